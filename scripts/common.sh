# Shared settings for scripts/*.sh. Sourced, never run.
# shellcheck shell=bash
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_DEFAULT_SRC="${ODOO_DEFAULT_SRC:-/opt/odoo-18.0}"
ODOO_CACHE_SRC="${XDG_CACHE_HOME:-$HOME/.cache}/zoom_training/odoo-18.0"
ODOO_REPOSITORY="https://github.com/odoo/odoo"
if [ -z "${ODOO_SRC:-}" ] && [ ! -f "$ODOO_DEFAULT_SRC/odoo-bin" ] && [ -f "$ODOO_CACHE_SRC/odoo-bin" ]; then
    ODOO_SRC="$ODOO_CACHE_SRC"
fi
ODOO_SRC="${ODOO_SRC:-$ODOO_DEFAULT_SRC}"
VENV="$REPO_ROOT/.venv"
PY="$VENV/bin/python"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
ODOO_DB_USER="${ODOO_DB_USER:-odoo}"
SITE_ADDONS=""
# The addon and its optional glue modules (auto-installed beside website_event / event_sale), in the repo root.
REPO_ADDONS="zoom_training zoom_training_website_event zoom_training_event_sale"
GLUE_ADDONS="zoom_training_website_event,zoom_training_event_sale"

say() { printf '[zoom_training] %s\n' "$*" >&2; }
die() { printf '[zoom_training] %s\n' "$*" >&2; exit 2; }

fetch_odoo() {
    # Only when nobody chose a place: a shallow clone of the 18.0 branch into the cache folder.
    say "Odoo 18.0 is not at $ODOO_SRC: cloning the 18.0 branch into $ODOO_CACHE_SRC (once, about 1 GB)"
    mkdir -p "$(dirname "$ODOO_CACHE_SRC")"
    rm -rf "$ODOO_CACHE_SRC.partial"
    if timeout 1800 git clone -q --depth 1 -b 18.0 "$ODOO_REPOSITORY" "$ODOO_CACHE_SRC.partial" 2>/dev/null; then
        mv "$ODOO_CACHE_SRC.partial" "$ODOO_CACHE_SRC"
        ODOO_SRC="$ODOO_CACHE_SRC"
    else
        rm -rf "$ODOO_CACHE_SRC.partial"
        die "Odoo 18.0 is missing and $ODOO_REPOSITORY could not be cloned from here: put an Odoo 18.0 source tree at $ODOO_DEFAULT_SRC or point ODOO_SRC at one, then run again."
    fi
}

require_odoo() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ] && [ "$ODOO_SRC" = "$ODOO_DEFAULT_SRC" ]; then
        fetch_odoo
    fi
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        die "Odoo 18.0 is missing: no odoo-bin in '$ODOO_SRC'; point ODOO_SRC at an Odoo 18.0 source tree, or unset it to let make fetch one."
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

ensure_nginx() {
    # `make bench` and `make run-cluster` put Debian's nginx in front of two Odoo servers.
    if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
        return
    fi
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        say "installing nginx for the two-server front (apt-get install nginx)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null \
            || die "apt-get could not install nginx; install it and run again."
    else
        die "nginx is missing: the two-server benchmark runs behind it. Install Debian's nginx (sudo apt-get install nginx) and run again."
    fi
}

AXE_VERSION="4.14.1"
AXE_DIR="$REPO_ROOT/.run/axe"
ensure_axe() {
    # axe-core (the accessibility checker the browser tours run), from the npm registry, pinned.
    if [ -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] \
        && grep -q "\"version\": \"$AXE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json"; then
        return
    fi
    command -v npm >/dev/null || die "npm is missing: the accessibility tours need axe-core (apt-get install npm)."
    say "installing axe-core $AXE_VERSION for the accessibility tours (npm)"
    mkdir -p "$AXE_DIR"
    npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" "axe-core@$AXE_VERSION" >/dev/null \
        || die "npm could not install axe-core@$AXE_VERSION"
}

odoo_requirements() {
    # Odoo's requirements, less python-ldap (system headers, auth_ldap only) and with a cbor2 that builds on
    # Python 3.11 (5.4.2 does not).
    grep -v -i -E '^(python-ldap|cbor2)' "$ODOO_SRC/requirements.txt"
    echo "cbor2==5.6.2"
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
