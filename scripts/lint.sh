#!/usr/bin/env bash
# ruff and pylint-odoo (OCA's mandatory checks) on the addon. Exits non-zero on any finding.
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"
status=0
say "ruff"
"$VENV/bin/ruff" check zoom_training || status=1
"$VENV/bin/ruff" format --check zoom_training || status=1
say "pylint-odoo"
"$VENV/bin/pylint" --rcfile=.pylintrc-mandatory zoom_training || status=1
exit $status
