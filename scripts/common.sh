# Shared settings for scripts/*.sh. Sourced, never run.
# shellcheck shell=bash
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_DEFAULT_SRC="/opt/odoo-18.0"
ODOO_SRC="${ODOO_SRC:-$ODOO_DEFAULT_SRC}"
VENV="$REPO_ROOT/.venv"
PY="$VENV/bin/python"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
ODOO_DB_USER="${ODOO_DB_USER:-odoo}"
SITE_ADDONS=""

say() { printf '[zoom_training] %s\n' "$*" >&2; }
die() { printf '[zoom_training] %s\n' "$*" >&2; exit 2; }

require_odoo() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        die "Odoo 18.0 is missing: no odoo-bin in '$ODOO_SRC'; get the official Odoo 18.0 source (git clone --depth 1 -b 18.0 https://github.com/odoo/odoo) and point ODOO_SRC at it, or put it at $ODOO_DEFAULT_SRC."
    fi
    if ! grep -q "^version_info = (18, 0" "$ODOO_SRC/odoo/release.py"; then
        die "The Odoo in '$ODOO_SRC' is not 18.0; point ODOO_SRC at an Odoo 18.0 source."
    fi
}

require_postgres() {
    if ! psql_admin -c 'select 1' >/dev/null 2>&1; then
        die "No PostgreSQL answers on $PGHOST:$PGPORT; install one (apt-get install postgresql) and start it, or set PGHOST/PGPORT."
    fi
}

psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U "${PGADMIN:-postgres}" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

ensure_db_role() {
    if [ "$(psql_admin -c "select 1 from pg_roles where rolname='$ODOO_DB_USER'")" != "1" ]; then
        say "creating the PostgreSQL role '$ODOO_DB_USER' (Odoo refuses to run as postgres)"
        psql_admin -c "create role \"$ODOO_DB_USER\" login createdb"
    fi
}

ensure_chromium() {
    # The browser tours of `make test` run in Debian's Chromium; Odoo looks for it on PATH.
    if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null; then
        return
    fi
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        say "installing Chromium for the browser tours (apt-get install chromium)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
            || die "apt-get could not install chromium; install it (or Google Chrome) and run again."
    else
        die "Chromium is missing: the browser tours need it. Install Debian's chromium (sudo apt-get install chromium) and run again."
    fi
}

site_addons() {
    "$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"] + "/odoo/addons")'
}

addons_path() {
    echo "$ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$(site_addons),$REPO_ROOT"
}

odoo_bin() {
    "$PY" "$ODOO_SRC/odoo-bin" --addons-path="$(addons_path)" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$ODOO_DB_USER" "$@"
}
