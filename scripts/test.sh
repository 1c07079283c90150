#!/usr/bin/env bash
# `make test`: set-up, linters, the plain-Python suite (utils/, sandbox/) and the Odoo suite on a
# throwaway database that is dropped afterwards. Ends with the line `N passed, N failed`.
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh

work="$(mktemp -d)"
db="${TEST_DB_PREFIX:-zt_test}_$$_$(date +%s)"
glue_db="${db}_glue"
cleanup() {
    psql_admin -c "drop database if exists \"$db\"" >/dev/null 2>&1 || true
    psql_admin -c "drop database if exists \"$glue_db\"" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

lint_status=0
bash scripts/lint.sh > "$work/lint.log" 2>&1 || lint_status=1
bash scripts/check_package.sh >> "$work/lint.log" 2>&1 || lint_status=1
cat "$work/lint.log"

say "plain-Python tests (utils/, sandbox/)"
"$PY" -m pytest zoom_training -q -p no:cacheprovider --junitxml="$work/pytest.xml" \
    --ignore=zoom_training/tests || true

http_port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
odoo_run() {
    local database="$1"
    shift
    odoo_bin -d "$database" --data-dir="$work/data" --http-port="$http_port" --http-interface=127.0.0.1 \
        --workers=0 --max-cron-threads=0 --stop-after-init "$@"
}

say "installing zoom_training on the throwaway database $db"
odoo_run "$db" -i zoom_training --logfile="$work/install.log" || true
say "Odoo tests"
odoo_run "$db" --test-enable --test-tags=/zoom_training --logfile="$work/odoo-tests.log" || true

# The glue modules on a database of their own, with website_event and event_sale: zoom_training's suite above
# runs without them, as most installations have it.
say "installing $GLUE_ADDONS (website_event, event_sale) on the throwaway database $glue_db"
odoo_run "$glue_db" -i "$GLUE_ADDONS" --logfile="$work/install-glue.log" || true
say "Odoo tests of the glue modules"
odoo_run "$glue_db" --test-enable --test-tags="/${GLUE_ADDONS//,/,/}" --logfile="$work/odoo-tests-glue.log" || true

"$PY" scripts/test_report.py --lint-status "$lint_status" --pytest "$work/pytest.xml" \
    --install-log "$work/install.log" --odoo-log "$work/odoo-tests.log" \
    --install-log "$work/install-glue.log" --odoo-log "$work/odoo-tests-glue.log"
