from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .test_meetings import ZoomMeetingCase


@tagged("post_install", "-at_install")
class TestFailuresAreVisible(ZoomMeetingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env, login="zoom_admin_watch", groups="base.group_user,base.group_system"
        )

    def _warnings_for(self, meeting, user):
        return meeting.activity_ids.filtered(lambda activity: activity.user_id == user)

    def test_a_failed_sync_shows_on_the_record_and_tells_the_administrators_once(self):
        stranger = self._user("stranger_f", "stranger-f@example.com")
        with trap_jobs() as trap:
            event = self.calendar_event(name="Failing training", user_id=stranger.id)
            self.run_jobs(trap)
        meeting = event.zoom_meeting_id
        self.assertEqual(event.zoom_sync_state, "error")
        self.assertEqual(len(self._warnings_for(meeting, self.admin)), 1)
        self.assertIn("not a user of your Zoom account", self._warnings_for(meeting, self.admin).note)
        with trap_jobs() as trap:
            event.action_zoom_sync_now()
            self.run_jobs(trap)
        self.assertEqual(
            len(self._warnings_for(meeting, self.admin)), 1, "a repeated failure piled up activities"
        )

    def test_one_action_retries_and_the_record_recovers(self):
        stranger = self._user("stranger_r", "stranger-r@example.com")
        with trap_jobs() as trap:
            event = self.calendar_event(name="Training fixed later", user_id=stranger.id)
            self.run_jobs(trap)
        self.assertEqual(event.zoom_sync_state, "error")
        stranger.zoom_email = "host@example.com"
        with trap_jobs() as trap:
            event.action_zoom_sync_now()
            self.run_jobs(trap)
        self.assertEqual(event.zoom_sync_state, "synced")

    def test_a_job_queue_job_gave_up_on_is_shown_on_its_meeting(self):
        with trap_jobs() as trap:
            event = self.calendar_event(name="Training whose job gave up")
        meeting = event.zoom_meeting_id
        self.assertEqual(meeting.sync_state, "pending")
        meeting._enqueue_push()
        job = self.env["queue.job"].search([("identity_key", "=", f"zoom-push-{meeting.id}")])
        self.assertTrue(job, "trap_jobs is no longer active: the job was stored")
        job.write({"state": "failed", "exc_message": "Zoom could not be reached", "retry": 5})
        self.env["zoom.meeting"]._cron_zoom_pick_up_stranded()
        self.assertEqual(meeting.sync_state, "error")
        self.assertIn("gave up after 5 tries", meeting.sync_error)
        self.assertEqual(len(self._warnings_for(meeting, self.admin)), 1)
        trap.assert_jobs_count(1)
