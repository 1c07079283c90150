#!/usr/bin/env bash
# `make fuzz`: Hypothesis against the webhook intake and the real HTTP endpoints (the fast path and Odoo's
# routes) of a test Odoo on a throwaway database: ZOOM_FUZZ_EXAMPLES (10,000) seeded cases each; then the
# answers by status, the server process's peak memory, and the line
# `fuzz: N cases, E errors 500, S unsigned rows stored`. Exits non-zero unless E and S are 0.
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh

work="$REPO_ROOT/.run/fuzz"  # its logs stay there after the run
rm -rf "$work" && mkdir -p "$work"
db="${TEST_DB_PREFIX:-zt_fuzz}_$$_$(date +%s)"
cleanup() {
    psql_admin -c "drop database if exists \"$db\"" >/dev/null 2>&1 || true
    rm -rf "$work/data"
}
trap cleanup EXIT
export ZOOM_FUZZ_EXAMPLES="${ZOOM_FUZZ_EXAMPLES:-10000}"
export ZOOM_FUZZ_REPORT="$work/fuzz"

say "plain-Python properties of the reader ($ZOOM_FUZZ_EXAMPLES examples each)"
"$PY" -m pytest zoom_training/utils/tests/test_webhook_input.py -q -p no:cacheprovider | tail -1

http_port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
odoo_run() {
    odoo_bin -d "$db" --data-dir="$work/data" --http-port="$http_port" --http-interface=127.0.0.1 \
        --workers=0 --max-cron-threads=0 --stop-after-init "$@"
}
say "installing zoom_training on the throwaway database $db"
odoo_run -i zoom_training --without-demo=all --logfile="$work/install.log" || die "install failed: $work/install.log"
say "fuzzing the intake and http://127.0.0.1:$http_port/webhook/zoom-* ($ZOOM_FUZZ_EXAMPLES cases each)"
odoo_run --test-enable --test-tags=zoom_fuzz --logfile="$work/fuzz.log" || true
grep -E "FAIL:|Falsifying|AssertionError" -A12 "$work/fuzz.log" | head -60 || true
"$PY" scripts/fuzz_report.py "$ZOOM_FUZZ_REPORT"
