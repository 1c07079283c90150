import json
import time
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.zoom_webhook_intake import REJECTIONS
from .webhook_common import WebhookCase, compact, zoom_signature

INTAKE_LOGGER = "odoo.addons.zoom_training.models.zoom_webhook_intake"
PARTICIPANT = {
    "id": "85746065123",
    "uuid": "4444AAAiAAAAAiAiAiiAii==",
    "participant": {
        "user_id": "16778240",
        "user_name": "Jill Chill",
        "participant_uuid": "027419D6-2E3C-2861-BCCD-B4F67D41C260",
        "join_time": "2023-11-14T22:13:20Z",
        "email": "jchill@example.com",
    },
}


@tagged("post_install", "-at_install")
class TestWebhookEndpoint(WebhookCase, HttpCase):
    def joined(self, **changes):
        return self.envelope("meeting.participant_joined", dict(PARTICIPANT, **changes))

    def test_a_signed_delivery_is_stored_once_and_enqueued(self):
        with trap_jobs() as trap:
            started = time.monotonic()
            answer = self.post(self.joined())
            elapsed = time.monotonic() - started
            self.assertEqual(answer.status_code, 200, answer.text)
            trap.assert_jobs_count(1)
        self.assertLess(elapsed, 3, "Zoom wants an answer within 3 seconds")
        delivery = self.inbox(event="meeting.participant_joined")
        self.assertEqual(len(delivery), 1)
        self.assertEqual(delivery.state, "received")
        self.assertEqual(delivery.company_id, self.env.company)
        self.assertEqual(delivery.object_id, "85746065123")
        self.assertTrue(self.env.company.zoom_last_webhook_at)

    def test_the_raw_bytes_are_verified_not_a_reformatted_body(self):
        raw = json.dumps(self.joined(), indent=2, ensure_ascii=False).encode()
        self.assertEqual(self.post(raw).status_code, 200)
        self.assertEqual(self.inbox(event="meeting.participant_joined").body, raw.decode())

    def test_a_repeated_delivery_is_answered_200_and_stored_once(self):
        body = self.joined()
        with trap_jobs() as trap:
            self.assertEqual(self.post(body).status_code, 200)
            self.assertEqual(self.post(body).status_code, 200)
            # a retry by Zoom is signed again, later: same event, same key
            self.assertEqual(self.post(body, timestamp=int(time.time()) + 5).status_code, 200)
            trap.assert_jobs_count(1)
        self.assertEqual(len(self.inbox(event="meeting.participant_joined")), 1)

    def test_the_same_event_with_an_int_id_is_the_same_delivery(self):
        self.assertEqual(self.post(self.joined(id="85746065123")).status_code, 200)
        self.assertEqual(self.post(self.joined(id=85746065123)).status_code, 200)
        self.assertEqual(len(self.inbox(event="meeting.participant_joined")), 1)

    def test_a_forged_signature_is_refused_and_logged_as_a_security_event(self):
        with self.assertLogs(INTAKE_LOGGER, "WARNING") as logs:
            answer = self.post(self.joined(), secret="not the secret token")
        self.assertEqual(answer.status_code, 401)
        self.assertIn("Security", logs.output[0])
        self.assertNotIn(self.secret, "\n".join(logs.output))
        self.assertFalse(self.inbox())

    def test_a_tampered_body_is_refused(self):
        raw = compact(self.joined())
        timestamp = str(int(time.time()))
        signature = zoom_signature(self.secret, timestamp, raw)
        tampered = raw.replace(b"Jill Chill", b"Jill Chilly")
        with self.assertLogs(INTAKE_LOGGER, "WARNING"):
            self.assertEqual(self.post(tampered, timestamp=timestamp, signature=signature).status_code, 401)
        self.assertFalse(self.inbox())

    def test_a_missing_signature_is_refused(self):
        with self.assertLogs(INTAKE_LOGGER, "WARNING"):
            self.assertEqual(self.post(self.joined(), signature="").status_code, 401)
        self.assertFalse(self.inbox())

    def test_stale_and_future_timestamps_are_refused_even_when_well_signed(self):
        for offset in (-301, 310, -3600):  # ahead by 310 s: still ahead when a loaded server reads it
            REJECTIONS.reset()  # refusals are logged once a minute: each is the first here
            with self.assertLogs(INTAKE_LOGGER, "WARNING") as logs:
                answer = self.post(self.joined(), timestamp=int(time.time()) + offset)
            self.assertEqual(answer.status_code, 401, offset)
            self.assertRegex(logs.output[0], "old|future")
        self.assertFalse(self.inbox())

    def test_the_timestamp_tolerance_is_configurable(self):
        self.env["ir.config_parameter"].sudo().set_param("zoom_training.webhook_tolerance_seconds", "30")
        with self.assertLogs(INTAKE_LOGGER, "WARNING"):
            self.assertEqual(self.post(self.joined(), timestamp=int(time.time()) - 60).status_code, 401)

    def test_an_unknown_account_is_refused(self):
        body = self.joined()
        body["payload"]["account_id"] = "someone_else"
        with self.assertLogs(INTAKE_LOGGER, "WARNING"):
            self.assertEqual(self.post(body).status_code, 401)
        self.assertFalse(self.inbox())

    def test_url_validation_is_answered_as_zoom_requires(self):
        body = {
            "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"},
            "event_ts": 1654503849680,
            "event": "endpoint.url_validation",
        }
        answer = self.post(body)
        self.assertEqual(answer.status_code, 200)
        expected = zoom_signature(self.secret, "", b"")  # the same HMAC, over the plain token alone:
        expected = (
            __import__("hmac").new(self.secret.encode(), b"qgg8vlvZRS6UYooatFL8Aw", "sha256").hexdigest()
        )
        self.assertEqual(answer.json(), {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected})
        self.assertFalse(self.inbox(), "a URL validation is answered, not stored")

    def test_url_validation_by_the_sandbox(self):
        result = self.sandbox.webhooks.validate_url(self.webhook_url())
        self.assertTrue(result.ok, result)

    def test_an_unsigned_url_validation_is_refused(self):
        body = {"payload": {"plainToken": "abc"}, "event_ts": 1, "event": "endpoint.url_validation"}
        with self.assertLogs(INTAKE_LOGGER, "WARNING"):
            self.assertEqual(self.post(body, secret="guess").status_code, 401)

    def test_a_malformed_body_is_answered_400_and_kept(self):
        with self.assertLogs(INTAKE_LOGGER, "WARNING"):
            answer = self.post(b'{"event": "meeting.started", "payload": ')
        self.assertEqual(answer.status_code, 400)
        kept = self.inbox(state="invalid")
        self.assertEqual(len(kept), 1)
        self.assertIn("not JSON", kept.error)
        self.assertEqual(kept.company_id, self.env.company, "signed by the company's Secret Token")

    def test_a_body_above_the_size_limit_is_refused(self):
        self.env["ir.config_parameter"].sudo().set_param("zoom_training.webhook_max_bytes", "1000")
        body = self.joined()
        body["payload"]["object"]["topic"] = "x" * 2000
        self.assertEqual(self.post(body).status_code, 413)
        self.assertFalse(self.inbox())

    def test_a_chunked_body_above_the_size_limit_is_refused_without_being_read_whole(self):
        self.env["ir.config_parameter"].sudo().set_param("zoom_training.webhook_max_bytes", "1000")
        body = self.joined()
        body["payload"]["object"]["topic"] = "x" * 5000
        raw = compact(body)
        chunks = (raw[start : start + 500] for start in range(0, len(raw), 500))  # no Content-Length
        self.assertEqual(self.post(chunks, timestamp=int(time.time()), signature="v0=any").status_code, 413)
        self.assertFalse(self.inbox())

    def test_an_event_odoo_does_not_handle_is_stored_as_ignored(self):
        with trap_jobs() as trap:
            answer = self.post(self.envelope("meeting.sharing_started", {"id": 1, "uuid": "u"}))
            trap.assert_jobs_count(0)
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(self.inbox(event="meeting.sharing_started").state, "ignored")

    def test_the_webinar_endpoint_takes_webinar_events(self):
        body = self.envelope(
            "webinar.started", {"id": "123", "uuid": "w1", "start_time": "2026-01-01T10:00:00Z"}
        )
        self.assertEqual(self.post(body, route="/webhook/zoom-webinar").status_code, 200)
        self.assertEqual(self.inbox(event="webinar.started").endpoint, "webinar")


@tagged("post_install", "-at_install")
class TestWebhookEndpointThroughOdooRoutes(TestWebhookEndpoint):
    """The same deliveries answered by Odoo's routes, as when the fast path is turned off or a worker has
    not loaded the database's registry yet."""

    allow_inherited_tests_method = True  # Odoo's loader runs only a class's own test methods otherwise

    def setUp(self):
        super().setUp()
        self.enterContext(patch.dict(config.options, {"zoom_training_webhook_fast_path": "False"}))
