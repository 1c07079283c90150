# zoom_training — the two commands of the README, and their parts.
# Odoo is found through ODOO_SRC (default /opt/odoo-18.0); PostgreSQL on 127.0.0.1:5432.
.PHONY: run run-cluster test fuzz bench chaos screenshots mutate setup lint clean help package-check

help:
	@echo "make run    set up what is missing, start the Zoom sandbox and Odoo (with queue_job's runner)"
	@echo "make run-cluster  two Odoo servers on one throwaway database behind nginx (docs/nginx/zoom_training.conf)"
	@echo "make test   set up what is missing, run the linters and the whole test suite on a throwaway database"
	@echo "make fuzz   Hypothesis against the webhook endpoints of a test Odoo: 10,000 cases, answers by status, 0 errors 500"
	@echo "make screenshots  run the browser tours and save the README's screenshots in docs/screenshots/"
	@echo "make package-check  build the wheel, pip install it with Odoo into a fresh virtualenv, odoo -i zoom_training"
	@echo "make mutate mutation testing of utils/ with mutmut (not part of make test); the score per file"
	@echo "make bench  the benchmarks against the Zoom sandbox and Odoo with 13 workers (tables, bench/results/)"
	@echo "make chaos  kill -9, cut database connections, restart PostgreSQL, Zoom down: 600 trainees still synced"

run:
	@bash scripts/run.sh

run-cluster:
	@BENCH_MAIN=bench/run_cluster.py bash bench/run.sh

test:
	@bash scripts/test.sh

fuzz:
	@bash scripts/fuzz.sh

bench:
	@bash bench/run.sh

package-check:
	@bash scripts/check_package_in_odoo.sh

chaos:
	@BENCH_MAIN=bench/chaos.py bash bench/run.sh

screenshots:
	@bash scripts/screenshots.sh

mutate:
	@bash scripts/mutate.sh

setup:
	@bash scripts/setup.sh

lint: setup
	@bash scripts/lint.sh

clean:
	rm -rf .venv .run mutants
