"""One process of a deployment calling Zoom through the shared per-second budget (test_rate_budget.py).

Run as `python rate_probe.py '<json options>'`: `threads` threads call `path` on the sandbox for `seconds`,
each paced by `RateBudget` on the database's `zoom.rate.slot` (or in this process only, `"local": true`).
Prints one JSON line: calls, 429s, the instants of the calls, the database round trips' cost."""

import json
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import psycopg2

from zoom_training.utils.budget import LocalPacer, RateBudget, SqlPacer
from zoom_training.utils.client import ZoomClient
from zoom_training.utils.errors import ZoomRateLimited
from zoom_training.utils.oauth import CachedTokenSource


class TimedSqlPacer(SqlPacer):
    def __init__(self, *args):
        super().__init__(*args)
        self.costs = []

    def reserve(self, category, interval, lead):
        started = time.perf_counter()
        answer = super().reserve(category, interval, lead)
        self.costs.append((time.perf_counter() - started) * 1000)
        return answer


def main(options):
    local = threading.local()

    @contextmanager
    def cursor():
        if not hasattr(local, "connection"):
            local.connection = psycopg2.connect(options["dsn"])
        with local.connection.cursor() as cr:
            yield cr
        local.connection.commit()

    pacer = LocalPacer() if options.get("local") else TimedSqlPacer(cursor, options["account_key"])
    budget = RateBudget(options["plan"], pacer=pacer)
    tokens = CachedTokenSource.for_credentials(options["url"], *options["credentials"])
    tokens.get_token()
    instants, refused = [], []
    start_at = options["start_at"]
    deadline = start_at + options["seconds"]

    def work():
        client = ZoomClient(tokens, api_url=options["url"], max_retries=0, budget=budget)
        time.sleep(max(start_at - time.time(), 0))
        while time.time() < deadline:
            try:
                client.get(options["path"])
                instants.append(time.time())
            except ZoomRateLimited:
                refused.append(time.time())

    threads = [threading.Thread(target=work) for _ in range(options["threads"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    costs = sorted(getattr(pacer, "costs", [])) or [0.0]
    answer = {
        "calls": len(instants),
        "refused": len(refused),
        "instants": instants,
        "reserve_ms_p50": costs[len(costs) // 2],
        "reserve_ms_p95": costs[int(len(costs) * 0.95)],
    }
    sys.stdout.write(json.dumps(answer) + "\n")


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
