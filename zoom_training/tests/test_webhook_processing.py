import json
from datetime import datetime

from odoo.tests import TransactionCase, tagged

from ..utils.webhook import parse_envelope
from .webhook_common import WebhookCase

ZOOM_ID = 85746065123
RUN = "run-uuid-1=="


def zoom_time(minute):
    return f"2026-12-15T13:{minute:02d}:00Z"


@tagged("post_install", "-at_install")
class TestWebhookProcessing(WebhookCase, TransactionCase):
    def setUp(self):
        super().setUp()
        self.env.company.zoom_attendance_threshold = 75
        self.training = self.env["event.event"].create(
            {
                "name": "Safety training",
                "date_begin": datetime(2026, 12, 15, 13),
                "date_end": datetime(2026, 12, 15, 14),
            }
        )
        self.meeting = (
            self.env["zoom.meeting"]
            .sudo()
            .create(
                {
                    "name": "Safety training",
                    "company_id": self.env.company.id,
                    "res_model": "event.event",
                    "res_id": self.training.id,
                    "zoom_id": str(ZOOM_ID),
                    "last_payload": json.dumps(
                        {"topic": "Safety training", "start_time": "2026-12-15T13:00:00Z"}
                    ),
                }
            )
        )
        self.anna, self.bob, self.carla = (
            self.env["event.registration"].create(
                {"event_id": self.training.id, "name": name, "email": f"{name.lower()}@example.com", **extra}
            )
            for name, extra in (("Anna", {"zoom_registrant_id": "reg-anna"}), ("Bob", {}), ("Carla", {}))
        )
        self.event_ts = 1_765_000_000_000

    def deliver(self, event, zoom_object, **payload):
        """Stored as the controller stores it, then processed as the job does."""
        self.event_ts += 1
        body = json.dumps(self.envelope(event, zoom_object, event_ts=self.event_ts, **payload)).encode()
        delivery, created = (
            self.env["zoom.webhook.event"]
            .sudo()
            ._store_delivery(parse_envelope(body), body, "meeting", self.env.company)
        )
        delivery._process()
        return delivery

    def session(self, **values):
        return {"id": str(ZOOM_ID), "uuid": RUN, "start_time": zoom_time(0), **values}

    def participant(self, action, who, minute, user_id, **extra):
        time_key = "join_time" if action == "joined" else "leave_time"
        person = {
            "user_id": user_id,
            "user_name": who,
            "participant_uuid": f"P-{user_id}",
            time_key: zoom_time(minute),
            **extra,
        }
        return self.deliver(f"meeting.participant_{action}", self.session(participant=person))

    def run_meeting(self, end_minute=60):
        self.deliver("meeting.started", self.session())
        self.deliver(
            "meeting.ended",
            self.session(end_time=zoom_time(end_minute) if end_minute < 60 else "2026-12-15T14:00:00Z"),
        )

    # Status -----------------------------------------------------------------------------------------

    def test_started_then_ended_sets_status_and_actual_times(self):
        self.assertEqual(self.deliver("meeting.started", self.session()).state, "done")
        self.assertEqual(self.meeting.zoom_status, "started")
        self.assertEqual(self.meeting.actual_start, datetime(2026, 12, 15, 13, 0))
        self.deliver("meeting.ended", self.session(id=ZOOM_ID, end_time="2026-12-15T14:00:00Z"))
        self.assertEqual(self.meeting.zoom_status, "ended")
        self.assertEqual(self.meeting.actual_end, datetime(2026, 12, 15, 14, 0))

    def test_ended_before_started_does_not_roll_the_status_back(self):
        self.deliver("meeting.ended", self.session(end_time="2026-12-15T14:00:00Z"))
        self.deliver("meeting.started", self.session())
        self.assertEqual(self.meeting.zoom_status, "ended")
        self.assertEqual(self.meeting.actual_start, datetime(2026, 12, 15, 13, 0))

    def test_int_and_string_ids_find_the_same_meeting(self):
        self.assertEqual(self.deliver("meeting.started", self.session(id=ZOOM_ID)).meeting_id, self.meeting)
        self.assertEqual(
            self.deliver("meeting.ended", self.session(id=str(ZOOM_ID), end_time=zoom_time(50))).meeting_id,
            self.meeting,
        )

    def test_an_event_of_a_meeting_odoo_does_not_hold_is_ignored(self):
        delivery = self.deliver("meeting.started", self.session(id=123))
        self.assertEqual(delivery.state, "ignored")

    # Attendance -------------------------------------------------------------------------------------

    def test_left_before_joined_ends_as_one_segment(self):
        self.participant("left", "Anna", 40, "1", registrant_id="reg-anna")
        self.participant("joined", "Anna", 5, "1", registrant_id="reg-anna")
        segment = self.anna.zoom_attendance_ids
        self.assertEqual(len(segment), 1)
        self.assertEqual((segment.join_time.minute, segment.leave_time.minute), (5, 40))
        self.assertEqual(segment.duration_minutes, 35)

    def test_processing_again_changes_nothing(self):
        delivery = self.participant("joined", "Anna", 5, "1", registrant_id="reg-anna")
        delivery.action_retry()
        delivery._process()
        self.assertEqual(len(self.env["zoom.attendance"].search([("meeting_id", "=", self.meeting.id)])), 1)
        self.assertEqual(delivery.state, "done")

    def test_matching_by_registrant_then_email_never_by_name(self):
        self.participant("joined", "A. Nonymous", 0, "1", registrant_id="reg-anna")
        self.participant("joined", "Robert", 0, "2", email="BOB@example.com")
        self.participant("joined", "Carla", 0, "3")
        self.assertEqual(self.anna.zoom_attendance_ids.participant_name, "A. Nonymous")
        self.assertEqual(self.bob.zoom_attendance_ids.participant_name, "Robert")
        self.assertFalse(self.carla.zoom_attendance_ids, "a name alone is never a match")
        unmatched = self.env["zoom.attendance"].search([("review_state", "=", "to_review")])
        self.assertEqual(unmatched.participant_name, "Carla")

    def test_the_threshold_marks_attended_after_the_meeting(self):
        self.env.company.zoom_attendance_threshold = 75
        self.participant("joined", "Anna", 0, "1", registrant_id="reg-anna")
        self.participant("left", "Anna", 20, "1", registrant_id="reg-anna")
        self.participant("joined", "Anna", 10, "2", registrant_id="reg-anna")  # second device, overlaps
        self.participant("left", "Anna", 30, "2", registrant_id="reg-anna")
        self.participant("joined", "Anna", 40, "3", registrant_id="reg-anna")  # rejoin until the end
        self.participant("joined", "Bob", 0, "4", email="bob@example.com")
        self.participant("left", "Bob", 44, "4", email="bob@example.com")
        self.assertEqual(self.anna.state, "open", "nothing is decided while the meeting runs")
        self.run_meeting()
        self.assertEqual(self.anna.zoom_attended_minutes, 50)
        self.assertEqual(self.anna.state, "done")
        self.assertEqual(self.bob.zoom_attended_minutes, 44)
        self.assertEqual(self.bob.state, "open")
        self.assertEqual(self.carla.state, "open")

    def test_a_late_leave_after_the_end_is_still_counted(self):
        self.participant("joined", "Bob", 0, "4", email="bob@example.com")
        self.run_meeting()
        self.assertEqual(self.bob.state, "done", "no leave yet: counted to the end")
        self.participant("left", "Bob", 10, "4", email="bob@example.com")
        self.assertEqual(self.bob.zoom_attended_minutes, 10)
        self.assertEqual(self.bob.state, "open", "Odoo's own mark is taken back")

    # Drift ------------------------------------------------------------------------------------------

    def test_the_echo_of_odoo_s_own_update_is_not_drift(self):
        self.deliver("meeting.updated", {"id": ZOOM_ID, "uuid": RUN, "topic": "Safety training"})
        self.assertFalse(self.meeting.zoom_drift)

    def test_a_change_made_in_zoom_is_flagged(self):
        self.deliver(
            "meeting.updated",
            {"id": ZOOM_ID, "uuid": RUN, "topic": "Renamed in Zoom"},
            operator="x@example.com",
        )
        self.assertTrue(self.meeting.zoom_drift)
        self.assertIn("topic", self.meeting.zoom_drift_note)

    def test_a_deletion_in_zoom_is_flagged(self):
        self.deliver("meeting.deleted", {"id": ZOOM_ID, "uuid": RUN}, operator="x@example.com")
        self.assertTrue(self.meeting.zoom_drift)
        self.assertIn("x@example.com", self.meeting.zoom_drift_note)

    def test_a_registrant_cancelled_in_zoom_is_flagged_not_applied(self):
        registrant = {"id": "reg-anna", "email": "anna@example.com", "first_name": "Anna"}
        self.deliver("meeting.registration_cancelled", {"id": ZOOM_ID, "uuid": RUN, "registrant": registrant})
        self.assertTrue(self.meeting.zoom_drift)
        self.assertEqual(self.anna.state, "open", "Odoo stays the truth")

    # Recordings -------------------------------------------------------------------------------------

    def test_a_completed_recording_is_linked(self):
        files = [
            {
                "id": "f1",
                "file_type": "MP4",
                "file_extension": "MP4",
                "recording_type": "shared_screen_with_speaker_view",
                "play_url": "https://zoom.us/rec/play/f1",
                "download_url": "https://zoom.us/rec/download/f1",
            }
        ]
        zoom_object = {
            "id": ZOOM_ID,
            "uuid": RUN,
            "topic": "Safety training",
            "start_time": zoom_time(0),
            "share_url": "https://zoom.us/rec/share/x",
            "recording_files": files,
        }
        self.env.company.zoom_recording_handling = "link"  # the default (the demo company stores them)
        self.deliver("recording.completed", zoom_object, download_token="tok")
        recording = self.meeting.zoom_recording_ids
        self.assertEqual(recording.event_id, self.training)
        self.assertEqual(recording.file_ids.play_url, "https://zoom.us/rec/play/f1")
        self.assertFalse(recording.file_ids.attachment_id, "linked, not copied")

    # Inbox ------------------------------------------------------------------------------------------

    def test_old_deliveries_are_purged_after_the_retention(self):
        delivery = self.participant("joined", "Anna", 5, "1")
        self.env.company.zoom_webhook_retention_days = 10
        self.env.cr.execute(
            "UPDATE zoom_webhook_event SET received_at = now() - interval '11 days' WHERE id = %s",
            [delivery.id],
        )
        self.env.invalidate_all()
        recent = self.participant("joined", "Bob", 5, "2")
        self.env["zoom.webhook.event"]._cron_purge()
        self.assertFalse(delivery.exists())
        self.assertTrue(recent.exists())

    def test_the_watchdog_warns_administrators_when_deliveries_stop(self):
        self.meeting.write({"zoom_status": "started", "actual_start": datetime(2020, 1, 1)})
        self.env["zoom.meeting"]._cron_zoom_webhook_watchdog()
        warned = self.meeting.activity_ids.filtered(
            lambda activity: activity.summary == "No Zoom webhook received"
        )
        self.assertTrue(warned)
        self.assertIn(self.env.ref("base.user_admin"), warned.user_id)
        self.env["zoom.meeting"]._cron_zoom_webhook_watchdog()
        self.assertEqual(len(self.meeting.activity_ids), len(warned), "one warning, not one per run")

    def test_no_warning_while_deliveries_arrive(self):
        self.participant("joined", "Anna", 5, "1")
        self.meeting.write({"zoom_status": "started", "actual_start": datetime(2020, 1, 1)})
        self.env["zoom.meeting"]._cron_zoom_webhook_watchdog()
        self.assertFalse(self.meeting.activity_ids)
