"""The figures of `make fuzz` (written by zoom_training/tests/test_webhook_fuzz.py), and its last line."""

import json
import sys
from pathlib import Path

RUNS = {"intake": "the intake function", "http": "the HTTP endpoints (fast path and Odoo's routes)"}


def main(prefix):
    total = {"cases": 0, "errors_5xx": 0, "unsigned_rows": 0}
    for run, title in RUNS.items():
        path = Path(f"{prefix}.{run}.json")
        if not path.exists():
            print(f"{title}: no report (the run did not finish; see the log above)")
            total["errors_5xx"] += 1
            continue
        figures = json.loads(path.read_text())
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(figures["statuses"].items()))
        print(f"{title}: {figures['cases']} cases; answers {statuses}")
        print(f"  peak memory of the server process: {figures['peak_rss_kb'] / 1024:.0f} MB")
        for key in total:
            total[key] += figures[key]
    print(
        f"fuzz: {total['cases']} cases, {total['errors_5xx']} errors 500, "
        f"{total['unsigned_rows']} unsigned rows stored"
    )
    return 1 if total["errors_5xx"] or total["unsigned_rows"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
