#!/usr/bin/env bash
# `make mutate`: mutmut's mutation testing of utils/ (the files and fast tests named in setup.cfg), then
# the score of each file. Not part of `make test`: about 3 minutes on one core.
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh
rm -rf mutants  # mutmut reuses earlier results: start from the code as it is now
say "mutmut (one child process: the machine is shared)"
"$VENV/bin/mutmut" run --max-children "${MUTATE_CHILDREN:-1}" | tr '\r' '\n' | tail -n 3
"$VENV/bin/mutmut" results
"$PY" scripts/mutation_score.py
