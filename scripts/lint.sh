#!/usr/bin/env bash
# ruff and pylint-odoo (OCA's mandatory checks) on the addon and its glue modules. Exits non-zero on any finding.
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"
status=0
say "ruff"
# shellcheck disable=SC2086  # REPO_ADDONS is a list of folders
"$VENV/bin/ruff" check $REPO_ADDONS || status=1
# shellcheck disable=SC2086
"$VENV/bin/ruff" format --check $REPO_ADDONS || status=1
say "pylint-odoo"
# shellcheck disable=SC2086
"$VENV/bin/pylint" --rcfile=.pylintrc-mandatory $REPO_ADDONS || status=1
say "JavaScript syntax (node --check, as the ES modules Odoo's bundles hold)"
js_check="$(mktemp -d)"
while IFS= read -r js; do
    cp "$js" "$js_check/module.mjs"
    node --check "$js_check/module.mjs" 2>&1 | sed "s|$js_check/module.mjs|$js|" || true
    node --check "$js_check/module.mjs" > /dev/null 2>&1 || status=1
# shellcheck disable=SC2086
done < <(find $REPO_ADDONS -path '*/static/*' -name '*.js' -not -path '*/lib/*')
rm -rf "$js_check"
exit $status
