"""`make run-cluster`: two Odoo servers on one throwaway database behind nginx, as README's *Deploying* and
*Scaling* describe, with the Zoom sandbox; runs until Ctrl-C, then stops everything and drops the database.

Ports as `make bench` (BENCH_ODOO_PORT 8569 and +100, gevent +3, nginx BENCH_NGINX_PORT 8580, the runner's
loopback listener 8581); the database is BENCH_DB (zt_cluster here); no demo data.
"""

import os
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from stack import Settings, Stack, say


def main():
    os.environ.setdefault("BENCH_DB", "zt_cluster")
    settings = Settings().as_cluster()
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    with Stack(settings):
        say(
            f"nginx (the front): {settings.front_url}  (login admin / admin); Odoo servers on "
            f"127.0.0.1:{settings.odoo_port} (with the job runner) and 127.0.0.1:{settings.second_port}; "
            f"Zoom sandbox {settings.sandbox_url}; logs in {settings.run_dir}. Stop with Ctrl-C."
        )
        stopped.wait()
        say("stopping; the database is dropped")


if __name__ == "__main__":
    main()
