# zoom_training — the two commands of the README, and their parts.
# Odoo is found through ODOO_SRC (default /opt/odoo-18.0); PostgreSQL on 127.0.0.1:5432.
.PHONY: run test bench chaos screenshots setup lint clean help

help:
	@echo "make run    set up what is missing, start the Zoom sandbox and Odoo (with queue_job's runner)"
	@echo "make test   set up what is missing, run the linters and the whole test suite on a throwaway database"
	@echo "make screenshots  run the browser tours and save the README's screenshots in docs/screenshots/"
	@echo "make bench  the benchmarks against the Zoom sandbox and Odoo with 13 workers (tables, bench/results/)"
	@echo "make chaos  kill -9, cut database connections, restart PostgreSQL, Zoom down: 600 trainees still synced"

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

bench:
	@bash bench/run.sh

chaos:
	@BENCH_MAIN=bench/chaos.py bash bench/run.sh

screenshots:
	@bash scripts/screenshots.sh

setup:
	@bash scripts/setup.sh

lint: setup
	@bash scripts/lint.sh

clean:
	rm -rf .venv .run
