#!/usr/bin/env bash
# `make bench`: set-up, then bench/run_all.py (a throwaway database, the Zoom sandbox and Odoo as separate
# processes, five scenarios, tables on stdout, SVG plots and a summary under bench/results/).
# `make chaos` runs bench/chaos.py the same way (BENCH_MAIN).
source "$(dirname "$0")/../scripts/common.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh
export ODOO_SRC PGHOST PGPORT ODOO_DB_USER
export BENCH_ADDONS_PATH="$(addons_path)"
exec "$PY" "${BENCH_MAIN:-bench/run_all.py}" "$@"
