#!/usr/bin/env bash
# `make screenshots`: runs the browser tours on a throwaway database and saves the screens they end on
# into docs/screenshots/ (the pictures of the README).
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh

work="$(mktemp -d)"
db="zt_shots_$$_$(date +%s)"
cleanup() {
    psql_admin -c "drop database if exists \"$db\"" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

http_port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
odoo_run() {
    odoo_bin -d "$db" --data-dir="$work/data" --http-port="$http_port" --http-interface=127.0.0.1 \
        --workers=0 --max-cron-threads=0 --stop-after-init "$@"
}
say "installing zoom_training on $db"
odoo_run -i zoom_training --without-demo=all --logfile="$work/install.log"
say "running the tours; screenshots go to docs/screenshots/"
tours="TestAdminTours,TestTrainerTour,TestTraineeTours,TestAttendanceTour"
ZOOM_TRAINING_SCREENSHOTS="$REPO_ROOT/docs/screenshots" odoo_run --test-enable \
    --test-tags="$(echo "$tours" | sed 's#\([A-Za-z]*\)#/zoom_training:\1#g')" --logfile="$work/tours.log"
if grep -qE "(ERROR|CRITICAL) " "$work/tours.log"; then
    grep -E "(ERROR|CRITICAL|FAIL)" "$work/tours.log" >&2
    die "a tour failed: the screenshots may be incomplete"
fi
ls -l "$REPO_ROOT/docs/screenshots"
