#!/usr/bin/env bash
# `make package-check`: what an administrator does with the wheel. A fresh virtualenv gets Odoo 18.0 installed
# with pip from $ODOO_SRC, then `pip install` of the built wheel (its dependencies from the package index), then
# `odoo -i zoom_training` on a throwaway database: Odoo finds the addon and queue_job where pip put them.
source "$(dirname "$0")/common.sh"
require_odoo
require_postgres
ensure_db_role
work="$(mktemp -d)"
db="zt_package_$$"
cleanup() {
    psql_admin -c "drop database if exists \"$db\"" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
started=$SECONDS
python3 -m venv "$work/venv"
pip="$work/venv/bin/pip"
"$pip" install -q --upgrade pip 'setuptools<81' wheel 2>&1 | grep -v "is ignored" || true
odoo_requirements > "$work/odoo-requirements.txt"
say "package-check: Odoo's requirements and Odoo itself into a fresh virtualenv"
"$pip" install -q -r "$work/odoo-requirements.txt" 2>&1 | grep -v "is ignored" || true
"$pip" install -q --no-deps "$ODOO_SRC" 2>&1 | grep -v "is ignored" || true
say "package-check: the wheel, with its dependencies"
"$pip" wheel -q --no-deps --wheel-dir "$work/dist" "$REPO_ROOT/zoom_training" 2>&1 | grep -v "is ignored" || true
"$pip" install -q -c "$REPO_ROOT/requirements.txt" "$work"/dist/odoo_addon_zoom_training-*.whl 2>&1 \
    | grep -v "is ignored" || true
site="$("$work/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
for addon in zoom_training queue_job; do
    [ -f "$site/odoo/addons/$addon/__manifest__.py" ] \
        || die "package-check: pip did not install $addon where Odoo finds addons ($site/odoo/addons)"
done
# Odoo's community addons (calendar, event, portal...) stay in the source tree's addons/ folder.
say "package-check: odoo -i zoom_training (addons path: Odoo's own addons only)"
"$work/venv/bin/odoo" -d "$db" --addons-path="$ODOO_SRC/addons" \
    --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$ODOO_DB_USER" \
    --data-dir="$work/data" --without-demo=all --stop-after-init -i zoom_training --logfile="$work/install.log" \
    || true
state="$(psql_admin -d "$db" -c "select state from ir_module_module where name = 'zoom_training'" 2>/dev/null || true)"
if [ "$state" != "installed" ] || grep -q " ERROR \| CRITICAL " "$work/install.log"; then
    grep -E " (ERROR|CRITICAL) " "$work/install.log" | head -20 >&2
    die "package-check: zoom_training is '${state:-not installed}' after odoo -i in a fresh environment"
fi
say "package-check: a fresh Odoo 18.0 environment installs the wheel and zoom_training in $((SECONDS - started)) s"
