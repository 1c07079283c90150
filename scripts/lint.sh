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
exit $status
