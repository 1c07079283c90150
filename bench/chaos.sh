#!/usr/bin/env bash
# `make chaos`: set-up, then bench/chaos.py (a throwaway database, the Zoom sandbox and a prefork Odoo with
# 2 workers, a cron worker and queue_job's runner; faults during a sync of 600 trainees; a table on stdout).
source "$(dirname "$0")/../scripts/common.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh
export ODOO_SRC PGHOST PGPORT ODOO_DB_USER
export BENCH_ADDONS_PATH="$(addons_path)"
exec "$PY" bench/chaos.py "$@"
