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

        self.sandbox.faults.clear()
        self.forget_tokens()  # the cooling period is over
        events[2].zoom_meeting_id._zoom_push()
        self.assertEqual(events[2].zoom_sync_state, "synced")
        self.assertFalse(self.env["res.config.settings"].create({}).zoom_calls_paused)
