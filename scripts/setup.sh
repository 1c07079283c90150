#!/usr/bin/env bash
# Does whatever set-up is missing: the virtualenv at .venv, Odoo's requirements, ours, the PostgreSQL role.
# Idempotent: a second run only checks. Called by `make run` and `make test`.
source "$(dirname "$0")/common.sh"

require_odoo
require_postgres

stamp="$VENV/.zoom_training-setup"
wanted="$(cat "$REPO_ROOT/requirements.txt" "$ODOO_SRC/requirements.txt" | sha1sum | cut -c1-12)"

if [ ! -x "$PY" ]; then
    say "creating the virtualenv at .venv"
    python3 -m venv "$VENV"
fi

if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    say "installing Odoo's and zoom_training's Python requirements into .venv (once)"
    "$PY" -m pip install -q --upgrade pip 'setuptools<81' wheel
    odoo_reqs="$(mktemp)"
    odoo_requirements > "$odoo_reqs"
    grep -v -i '^odoo-addon-' "$REPO_ROOT/requirements.txt" > "$odoo_reqs.own"
    "$PY" -m pip install -q -r "$odoo_reqs" -r "$odoo_reqs.own"
    # The OCA wheels require an `odoo` distribution; Odoo runs from its source tree here.
    grep -i '^odoo-addon-' "$REPO_ROOT/requirements.txt" | xargs "$PY" -m pip install -q --no-deps
    rm -f "$odoo_reqs" "$odoo_reqs.own"
    echo "$wanted" > "$stamp"
fi

ensure_db_role
ensure_chromium
ensure_nginx
ensure_axe
