from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from .test_meetings import ZoomMeetingCase


@tagged("post_install", "-at_install")
class TestCircuitBreaker(ZoomMeetingCase):
    def setUp(self):
        super().setUp()
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("zoom_training.breaker_threshold", 2)
        params.set_param("zoom_training.breaker_cooling_seconds", 600)
        params.set_param("zoom_training.max_retries", 0)
        self.addCleanup(self.forget_tokens)

    def test_an_outage_pauses_zoom_calls_and_jobs_wait_instead_of_failing(self):
        self.sandbox.faults.fail(503, operation="user")
        with trap_jobs() as trap:
            events = [self.calendar_event(name=f"Outage training {n}") for n in range(3)]
            postponed = []
            for job in trap.enqueued_jobs:
                with self.assertRaises(RetryableJobError) as raised:
                    job.perform()
                postponed.append(raised.exception)
        self.assertEqual(self.zoom_calls("user"), 2, "the third job called Zoom although calls were paused")
        self.assertTrue(postponed[2].ignore_retry)
        self.assertGreater(postponed[2].seconds, 590)
        self.assertEqual({event.zoom_sync_state for event in events}, {"pending"})
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.zoom_calls_paused)
        self.assertIn("paused until", settings.zoom_circuit_message)

        self.end_cooling()
        calls = self.zoom_calls("user")
        with self.assertRaises(RetryableJobError):
            events[0].zoom_meeting_id._zoom_push()
        self.assertEqual(
            self.zoom_calls("user"), calls + 1, "after the cooling period one trial call goes out"
        )
        with self.assertRaises(RetryableJobError) as paused_again:
            events[1].zoom_meeting_id._zoom_push()
        self.assertEqual(self.zoom_calls("user"), calls + 1, "the trial failed: calls are paused again")
        self.assertTrue(paused_again.exception.ignore_retry)
        self.assertTrue(self.env["res.config.settings"].create({}).zoom_calls_paused)

        self.sandbox.faults.clear()
        self.end_cooling()
        events[2].zoom_meeting_id._zoom_push()
        self.assertEqual(events[2].zoom_sync_state, "synced", "the trial call succeeded")
        events[1].zoom_meeting_id._zoom_push()
        self.assertEqual(events[1].zoom_sync_state, "synced", "the breaker closed: calls go on")
        self.assertFalse(self.env["res.config.settings"].create({}).zoom_calls_paused)
        with self.registry.cursor() as cr:
            cr.execute("SELECT failures, open_until FROM zoom_breaker")
            self.assertEqual(cr.fetchall(), [(0, None)])

    def end_cooling(self):
        """The cooling period is over; the pause is kept on a committed cursor, as every worker sees it."""
        with self.registry.cursor() as cr:
            cr.execute(
                "UPDATE zoom_breaker SET open_until = now() at time zone 'UTC' - interval '1 second'"
                " WHERE open_until IS NOT NULL"
            )
