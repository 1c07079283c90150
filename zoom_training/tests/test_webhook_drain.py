"""One drain job processes what the intake stored: a burst enqueues one job, a drain already waiting is
counted on, a started one is not, put-off deliveries come back, and nothing waits for ever."""

import json
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import config

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from ..controllers.webhook import ZoomWebhookController
from ..models import zoom_webhook_event
from ..utils.webhook import parse_envelope
from .webhook_common import WebhookCase

UNKNOWN_MEETING = {"id": "999000111", "uuid": "nobody==", "start_time": "2026-12-15T13:00:00Z"}


def drain_jobs(env, states=("pending", "enqueued", "wait_dependencies")):
    return env["queue.job"].search([("method_name", "=", "_drain"), ("state", "in", list(states))])


@tagged("post_install", "-at_install")
class TestWebhookDrainOverHttp(WebhookCase, HttpCase):
    def started(self, number):
        return self.envelope(
            "meeting.started", dict(UNKNOWN_MEETING, uuid=f"run-{number}=="), event_ts=number
        )

    def test_a_burst_of_deliveries_enqueues_one_drain_that_processes_them_all(self):
        with trap_jobs() as trap:
            for number in range(1, 11):
                self.assertEqual(self.post(self.started(number)).status_code, 200)
            trap.assert_jobs_count(1, only=self.env["zoom.webhook.event"]._drain)
            self.assertEqual(
                self.inbox(state="received").mapped("event_ts"), [str(n) for n in range(10, 0, -1)]
            )
        self.env["zoom.webhook.event"]._drain()  # the trapped job, on this test's cursor
        self.assertFalse(self.inbox(state="received"))
        self.assertEqual(len(self.inbox(state="ignored")), 10, "no Odoo meeting has this Zoom ID")
        self.assertEqual(set(self.inbox().mapped("attempts")), {1}, "each processed once")

    def test_a_drain_waiting_in_the_queue_is_counted_on(self):
        self.post(self.started(1))
        self.post(self.started(2))
        self.assertEqual(len(drain_jobs(self.env)), 1)

    def test_a_drain_already_started_is_not_counted_on(self):
        self.post(self.started(1))
        drain_jobs(self.env).write({"state": "started"})  # it may have read the inbox already
        self.post(self.started(2))
        self.assertEqual(len(drain_jobs(self.env)), 1, "a new one, for the delivery the started one missed")
        self.assertEqual(len(drain_jobs(self.env, ("started",))), 1)

    def test_a_repeated_delivery_still_waiting_is_drained(self):
        """A delivery Zoom sends again because Odoo's answer was lost still gets a drain."""
        body = self.started(1)
        self.post(body)
        drain_jobs(self.env).unlink()  # as if the first answer failed before the drain was enqueued
        self.post(body)
        self.assertEqual(len(self.inbox()), 1)
        self.assertEqual(len(drain_jobs(self.env)), 1)

    def test_the_fast_path_answers_before_odoo_s_routes_unless_turned_off(self):
        route = ZoomWebhookController._receive
        with patch.object(ZoomWebhookController, "_receive", autospec=True, side_effect=route) as spy:
            self.assertEqual(self.post(self.started(1)).status_code, 200)
            spy.assert_not_called()
            with patch.dict(config.options, {"zoom_training_webhook_fast_path": "False"}):
                self.assertEqual(self.post(self.started(2)).status_code, 200)
            spy.assert_called_once()
        self.assertEqual(self.inbox().mapped("state"), ["received", "received"])


@tagged("post_install", "-at_install")
class TestWebhookDrain(WebhookCase, TransactionCase):
    def store(self, number, event="meeting.started"):
        body = json.dumps(
            self.envelope(event, dict(UNKNOWN_MEETING, uuid=f"run-{number}=="), event_ts=number)
        ).encode()
        inbox = self.env["zoom.webhook.event"].sudo()
        delivery, _created = inbox._store_delivery(parse_envelope(body), body, "meeting", self.env.company)
        return delivery

    def test_a_drain_takes_a_batch_and_enqueues_the_next(self):
        deliveries = [self.store(number) for number in range(1, 6)]
        with patch.object(zoom_webhook_event, "DRAIN_BATCH", 3), trap_jobs() as trap:
            self.assertEqual(self.env["zoom.webhook.event"]._drain(), 3)
            trap.assert_jobs_count(1, only=self.env["zoom.webhook.event"]._drain)
            trap.perform_enqueued_jobs()
        self.assertEqual({delivery.state for delivery in deliveries}, {"ignored"})

    def test_a_delivery_put_off_waits_for_a_later_drain_then_fails_with_its_reason(self):
        delivery = self.store(1)
        inbox = self.env["zoom.webhook.event"]
        refusal = RetryableJobError("Zoom answered 503 to a recording download.")
        with patch.object(type(inbox), "_handle_started", side_effect=refusal), trap_jobs() as trap:
            inbox._drain()
            self.assertEqual(delivery.state, "received")
            self.assertIn("503", delivery.error)
            self.assertGreater(delivery.next_attempt_at, fields.Datetime.now() + timedelta(seconds=5))
            trap.assert_jobs_count(1, only=inbox._drain)
            self.assertEqual(trap.enqueued_jobs[0].eta, delivery.next_attempt_at)
            self.assertEqual(inbox._drain(), 0, "not due yet")
            for _attempt in range(zoom_webhook_event.MAX_ATTEMPTS - 1):
                delivery.next_attempt_at = fields.Datetime.now() - timedelta(seconds=1)
                inbox._drain()
        self.assertEqual(delivery.state, "failed")
        self.assertEqual(delivery.attempts, zoom_webhook_event.MAX_ATTEMPTS)
        self.assertIn("503", delivery.error)

    def test_deliveries_left_waiting_get_a_drain_from_the_scheduled_action(self):
        delivery = self.store(1)
        inbox = self.env["zoom.webhook.event"]
        with trap_jobs() as trap:
            inbox._cron_drain_left_behind()
            trap.assert_jobs_count(0)  # just received: its own drain is on its way
            self.env.cr.execute(
                "UPDATE zoom_webhook_event SET received_at = received_at - interval '2 min' WHERE id = %s",
                [delivery.id],
            )
            inbox._cron_drain_left_behind()
            trap.assert_jobs_count(1, only=inbox._drain)
            trap.perform_enqueued_jobs()
        self.assertEqual(delivery.state, "ignored")

    def test_retry_from_the_inbox_processes_again(self):
        delivery = self.store(1)
        delivery._process()
        self.assertEqual(delivery.state, "ignored")
        delivery.write({"state": "failed"})
        with trap_jobs() as trap:
            delivery.action_retry()
            trap.assert_jobs_count(1, only=delivery._drain)
            trap.perform_enqueued_jobs()
        self.assertEqual(delivery.state, "ignored")
        self.assertEqual(delivery.attempts, 2)
