"""Property-based fuzzing of the webhook intake and of the real HTTP endpoints (the fast path and Odoo's
routes) with Hypothesis: whatever is sent, the answer is 200 or 4xx, never a 5xx, always an answer, and a
request that does not prove the Secret Token adds no row.

`make test` runs ZOOM_FUZZ_EXAMPLES (default 150) seeded examples of each; `make fuzz` (scripts/fuzz.sh) runs
10,000 and writes the figures to ZOOM_FUZZ_REPORT."""

import json
import os
import resource
from collections import Counter
from unittest.mock import patch

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from ..controllers.webhook import ENDPOINT_BY_ROUTE
from ..models.zoom_webhook_intake import WebhookRequest
from ..utils.tests.webhook_strategies import attempts, raw_request, send
from .webhook_common import WebhookCase

EXAMPLES = int(os.environ.get("ZOOM_FUZZ_EXAMPLES", "150"))
REPORT = os.environ.get("ZOOM_FUZZ_REPORT")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
ANSWERS = {200, 400, 401, 413}


class Figures:
    """What a fuzz run saw: answers by status, 5xx answers, unsigned requests that left a row."""

    def __init__(self, name):
        self.name, self.statuses, self.errors_5xx, self.unsigned_rows = name, Counter(), 0, 0

    def count(self, status, unsigned_rows_added):
        self.statuses[str(status)] += 1
        self.errors_5xx += isinstance(status, int) and status >= 500
        self.unsigned_rows += unsigned_rows_added

    def save(self):
        if not REPORT:
            return
        figures = {
            "cases": sum(self.statuses.values()),
            "statuses": dict(self.statuses),
            "errors_5xx": self.errors_5xx,
            "unsigned_rows": self.unsigned_rows,
            "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        }
        with open(f"{REPORT}.{self.name}.json", "w", encoding="utf-8") as report:
            json.dump(figures, report)


@tagged("post_install", "-at_install", "zoom_fuzz")
class TestWebhookFuzz(WebhookCase, HttpCase):
    def rows(self):
        self.env.cr.execute("SELECT count(*) FROM zoom_webhook_event")
        return self.env.cr.fetchone()[0]

    def check(self, figures, attempt, status, rows_before):
        added = self.rows() - rows_before
        unsigned_rows = added if not attempt.proves_the_secret else 0
        figures.count(status, unsigned_rows)
        self.assertIn(status, ANSWERS, f"{attempt!r:.600}")
        self.assertEqual(unsigned_rows, 0, f"a row from a sender without the secret: {attempt!r:.600}")

    def test_the_intake_answers_any_delivery_200_or_4xx_and_keeps_nothing_unsigned(self):
        figures = Figures("intake")
        inbox = self.env["zoom.webhook.event"].sudo()

        @seed(18)
        @FUZZ
        @given(attempts(self.account_id), st.sampled_from(("meeting", "webinar")))
        def delivered(attempt, endpoint):
            headers = attempt.headers(self.secret)
            delivery = WebhookRequest(
                endpoint=endpoint,
                raw_body=attempt.body,
                timestamp=headers[b"x-zm-request-timestamp"].decode("latin-1"),
                signature=headers[b"x-zm-signature"].decode("latin-1"),
                remote_addr="203.0.113.7",
            )
            rows_before = self.rows()
            self.check(figures, attempt, inbox._receive(delivery).status, rows_before)

        try:
            delivered()
        finally:
            figures.save()

    def test_the_http_endpoints_answer_any_request_200_or_4xx_and_keep_nothing_unsigned(self):
        figures = Figures("http")
        address = ("127.0.0.1", int(config["http_port"]))
        host = f"127.0.0.1:{config['http_port']}"

        @seed(18)
        @FUZZ
        @given(attempts(self.account_id), st.sampled_from(sorted(ENDPOINT_BY_ROUTE)), st.booleans())
        def posted(attempt, route, fast_path):
            rows_before = self.rows()
            with patch.dict(config.options, {"zoom_training_webhook_fast_path": str(fast_path)}):
                status = send(address, raw_request(attempt, route, host, self.secret))
            self.check(figures, attempt, status, rows_before)

        try:
            posted()
        finally:
            figures.save()
