"""One per-second budget per Zoom account for the whole deployment: processes sharing the database pace
together (zoom.rate.slot), against the sandbox's rate limits as Zoom counts them."""

import json
import logging
import subprocess
import sys
import time
import uuid
from pathlib import Path

from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from .common import ZoomSandboxCase

_logger = logging.getLogger(__name__)
PROBE = Path(__file__).with_name("rate_probe.py")
SECONDS = 3
MEDIUM_PRO = 20  # Zoom's Medium calls per second on a Pro account


@tagged("post_install", "-at_install")
class TestSharedRateBudget(ZoomSandboxCase, TransactionCase):
    sandbox_options = {"plan": "pro", "rate_limits": True}

    def _dsn(self):
        parts = {"dbname": self.env.cr.dbname, "host": config["db_host"], "port": config["db_port"]}
        parts.update(user=config["db_user"], password=config["db_password"])
        return " ".join(f"{key}={value}" for key, value in parts.items() if value)

    def _run_processes(self, count=2, threads=3, local=False):
        """`count` processes hammering one account's Medium category at once; their JSON answers."""
        key = f"test-{uuid.uuid4().hex}"
        options = {
            "dsn": self._dsn(),
            "account_key": key,
            "plan": "pro",
            "url": self.sandbox.url,
            "credentials": [self.sandbox.account_id, self.sandbox.client_id, self.sandbox.client_secret],
            "path": "/users/me/settings",
            "threads": threads,
            "seconds": SECONDS,
            "start_at": time.time() + 3,  # both processes have imported and connected by then
            "local": local,
        }
        processes = [
            subprocess.Popen(
                [sys.executable, str(PROBE), json.dumps(options)], stdout=subprocess.PIPE, text=True
            )
            for _ in range(count)
        ]
        answers = [json.loads(process.communicate(timeout=60)[0]) for process in processes]
        with db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute("DELETE FROM zoom_rate_slot WHERE account_key = %s", [key])
        return answers

    def test_two_processes_share_one_limit_and_use_most_of_it(self):
        self.sandbox.requests.clear()
        answers = self._run_processes()
        instants = sorted(t for answer in answers for t in answer["instants"])
        busiest = max(sum(1 for t in instants if start <= t < start + 1) for start in instants)
        _logger.info(
            "shared budget: %d calls in %d s by 2 processes, busiest 1 s window %d (limit %d), booking %s ms",
            len(instants),
            SECONDS,
            busiest,
            MEDIUM_PRO,
            [round(answer["reserve_ms_p50"], 2) for answer in answers],
        )
        self.assertEqual(sum(answer["refused"] for answer in answers), 0, "no 429 from Zoom")
        self.assertEqual(self.sandbox.requests.count(status=429), 0)
        self.assertLessEqual(busiest, MEDIUM_PRO, "Zoom's limit in every 1 s window, both processes together")
        self.assertGreaterEqual(len(instants), 0.85 * MEDIUM_PRO * SECONDS, "most of the limit is used")
        self.assertTrue(all(answer["calls"] > 0.3 * len(instants) for answer in answers), "both got turns")
        self.assertLess(max(answer["reserve_ms_p50"] for answer in answers), 20, "a booking costs little")

    def test_each_process_pacing_on_its_own_would_go_over_the_limit(self):
        """What the shared budget replaces: two processes each at 95% of the plan send up to 190%."""
        self.sandbox.requests.clear()
        answers = self._run_processes(local=True)
        self.assertGreater(sum(answer["refused"] for answer in answers), 0)
