"""The mutation score of each file `make mutate` mutated, from mutmut's results in mutants/.

A mutant is killed when its tests fail or time out; it survives when they pass or when no test runs it.
"""

import json
import sys
from pathlib import Path

from mutmut.stats import status_by_exit_code

KILLED = {"killed", "timeout"}


def main(root="mutants"):
    rows = []
    for meta in sorted(Path(root).rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"].values()
        done = [code for code in codes if code is not None]
        killed = sum(status_by_exit_code[code] in KILLED for code in done)
        rows.append((str(meta.relative_to(root))[: -len(".meta")], killed, len(done), len(codes)))
    if not rows:
        sys.exit("No mutation results: run `make mutate` first.")
    print(f"{'file':40} {'killed':>7} {'mutants':>8} {'score':>7}")
    for path, killed, done, total in rows:
        pending = f"  ({total - done} not run)" if done < total else ""
        print(f"{path:40} {killed:7} {done:8} {killed / done:7.0%}{pending}")
    total_killed, total_done = sum(row[1] for row in rows), sum(row[2] for row in rows)
    print(f"{'all':40} {total_killed:7} {total_done:8} {total_killed / total_done:7.0%}")


if __name__ == "__main__":
    main(*sys.argv[1:])
