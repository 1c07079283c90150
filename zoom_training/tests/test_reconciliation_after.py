import json
from datetime import datetime, timedelta, timezone

from odoo.tests import tagged

from .test_webhook_end_to_end import HOST, MeetingRunCase

HALF_RUN = 240  # seconds; the whole run (480 s) stays within the 300 s tolerance of Odoo's clock


@tagged("post_install", "-at_install")
class TestReconciliationAfterTheMeeting(MeetingRunCase):
    """Zoom's webhooks about a run get lost or doubled; the next reconciliation leaves Odoo agreeing with
    Zoom on every attendance figure and on the recording."""

    registrant_count = 8
    meeting_settings = {"approval_type": 0, "auto_recording": "cloud"}

    def setUp(self):
        super().setUp()
        self.meeting.write(
            {
                "start": datetime.now().replace(microsecond=0) - timedelta(hours=3),  # the report is due
                "duration": 60,
                "sync_state": "synced",
                "host_email": HOST,
                "last_payload": json.dumps(self.meeting_body()),
            }
        )
        self.env.flush_all()

    def run_with_lost_and_doubled_webhooks(self):
        """0-5 join, 0-2 leave half way, 6-7 never come. Lost: the start, two joins, four leaves, the end
        and the recording; doubled: three joins."""
        webhooks, clock = self.sandbox.webhooks, self.sandbox.clock
        webhooks.url = self.webhook_url()
        clock.set(datetime.now(timezone.utc) - timedelta(seconds=2 * HALF_RUN))
        webhooks.drop_next(1)
        self.sandbox.start_meeting(self.zoom_id)
        webhooks.duplicate_next(3)
        present = self.join(range(0, 3))
        webhooks.drop_next(2)
        present.update(self.join(range(3, 6)))
        clock.advance(HALF_RUN)
        self.leave(present, [0, 1])
        webhooks.drop_next(1)
        self.leave(present, [2])
        clock.advance(HALF_RUN)
        webhooks.drop_next(4)
        self.sandbox.end_meeting(self.zoom_id)  # 3 participant_left, then meeting.ended: all lost
        webhooks.drop_next(1)
        self.sandbox.complete_recording(self.zoom_id)
        webhooks.drop_next(0)
        self.assertTrue(webhooks.wait_idle(timeout=60))
        for delivery in self.inbox(state="received"):
            delivery._process()

    def seconds_in_zoom(self):
        """Each registrant's time in the run, as the sandbox holds it."""
        run = self.sandbox.meeting(self.zoom_id).ended_instances()[-1]
        seconds = {}
        for stay in run.participants:
            seconds[stay.registrant_id] = seconds.get(stay.registrant_id, 0) + (
                (stay.leave_time - stay.join_time).total_seconds()
            )
        return seconds

    def reconcile(self):
        self.sandbox.requests.clear()
        return self.env["zoom.reconciliation"]._reconcile_company(self.env.company)

    def test_lost_and_doubled_webhooks_are_repaired_by_the_reconciliation(self):
        self.run_with_lost_and_doubled_webhooks()
        self.assertNotEqual(self.meeting.zoom_status, "ended", "the end was lost")
        self.assertFalse([r for r in self.registrations if r.state == "done"])
        self.assertFalse(self.meeting.zoom_recording_ids)

        report = self.reconcile()

        self.assertEqual(self.meeting.zoom_status, "ended")
        self.assertAlmostEqual(
            (self.meeting.actual_end - self.meeting.actual_start).total_seconds(), 2 * HALF_RUN, delta=1
        )
        in_zoom = self.seconds_in_zoom()
        for number, registration in enumerate(self.registrations):
            expected = in_zoom.get(registration.zoom_registrant_id, 0) / 60
            self.assertAlmostEqual(
                registration.zoom_attended_minutes, expected, delta=0.05, msg=f"trainee {number}"
            )
        attended = {number for number, r in enumerate(self.registrations) if r.state == "done"}
        self.assertEqual(attended, {3, 4, 5}, "75% of the run; 0-2 stayed half of it, 6-7 never came")
        segments = self.meeting.zoom_attendance_ids
        self.assertEqual(len(segments), 6, "one stay each: the doubled deliveries are not counted twice")
        files = self.meeting.zoom_recording_ids.file_ids
        self.assertEqual(len(files), 2)
        self.assertTrue(all(files.mapped("attachment_id")), files.mapped("error"))
        self.assertEqual(sorted(report.line_ids.mapped("result")), ["repaired", "repaired"])

        again = self.reconcile()
        self.assertFalse(again.line_ids)
        self.assertEqual(self.sandbox.requests.count(operation="pastMeetingParticipants"), 0, "run done once")
        self.assertEqual(self.sandbox.requests.count(operation="recordingGet"), 0)

    def test_a_session_that_did_not_take_place_costs_one_call_and_no_finding(self):
        report = self.reconcile()
        self.assertFalse(report.line_ids)
        self.assertEqual(self.sandbox.requests.count(operation="pastMeetingDetails"), 1)
        self.assertEqual(self.sandbox.requests.count(operation="pastMeetingParticipants"), 0)
