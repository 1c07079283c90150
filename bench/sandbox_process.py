"""The Zoom sandbox as its own process for the benchmarks: `python -m zoom_training.sandbox` with one
change, the host's webinar licence holds 5,000 attendees (Zoom sells 500 to 10,000) so that one webinar
can take the 3,000 registrants of the benchmark.

Usage: python bench/sandbox_process.py --port PORT --plan PLAN (the sandbox's own options).
"""

import os
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zoom_training.sandbox.__main__ import build, describe, parse_args

WEBINAR_CAPACITY = int(os.environ.get("BENCH_WEBINAR_CAPACITY") or 5000)  # the 10x sync: more


def main():
    args = parse_args()
    sandbox = build(args)
    for user in sandbox.users():
        user.webinar_capacity = WEBINAR_CAPACITY
    sandbox.start()
    print(describe(sandbox, args), flush=True)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    sandbox.stop()


if __name__ == "__main__":
    main()
