"""Erasure end to end against the sandbox: a forgotten trainee leaves no registrant in Zoom, no name in the
attendance and none in the webhook inbox; the others are untouched; only Zoom administrators forget."""

import json
from datetime import datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_registrants import ZoomRegistrantCase

NAME, EMAIL = "Forgotten Person", "forgotten.person@example.com"


@tagged("post_install", "-at_install")
class TestForgetInZoom(ZoomRegistrantCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zoom_admin = new_test_user(
            cls.env, login="privacy_admin", groups="base.group_user,zoom_training.group_zoom_manager"
        )
        cls.employee = new_test_user(cls.env, login="privacy_employee", groups="base.group_user")

    def setUp(self):
        super().setUp()
        self.training = self.zoom_training(f"Privacy training {self._testMethodName}")  # never adopted
        self.person = self.env["res.partner"].create({"name": NAME, "email": EMAIL})
        self.other = self.env["res.partner"].create({"name": "Kept Person", "email": "kept@example.com"})
        self.registrations = self.sync(
            lambda: self.env["event.registration"].create(
                [
                    {"event_id": self.training.id, "partner_id": partner.id, "state": "open"}
                    for partner in (self.person, self.other)
                ]
            )
        )
        self.assertEqual(set(self.registrations.mapped("zoom_sync_state")), {"synced"})
        self.meeting = self.training.zoom_meeting_id
        start = datetime(2026, 12, 16, 9, 0)
        Attendance = self.env["zoom.attendance"].sudo()
        self.segments = Attendance.create(
            [
                {
                    "meeting_id": self.meeting.id,
                    "segment_key": f"run|{registration.id}",
                    "participant_name": registration.name,
                    "email": registration.email,
                    "participant_user_id": f"zoom-user-{registration.id}",
                    "registration_id": registration.id,
                    "join_time": start,
                    "leave_time": start + timedelta(minutes=40),
                }
                for registration in self.registrations
            ]
        )
        body = {
            "event": "meeting.participant_joined",
            "payload": {"object": {"participant": {"user_name": NAME, "email": EMAIL.upper()}}},
        }
        self.delivery = (
            self.env["zoom.webhook.event"]
            .sudo()
            .create({"event": "meeting.participant_joined", "body": json.dumps(body), "state": "done"})
        )

    def registrant_emails(self):
        return {registrant.email for registrant in self.zoom_registrants(self.training)}

    def test_a_forgotten_trainee_leaves_no_trace_in_zoom_or_odoo(self):
        self.assertIn(EMAIL, self.registrant_emails())
        minutes = self.segments[0].duration_minutes
        self.sync(lambda: self.person.with_user(self.zoom_admin).action_zoom_forget())
        self.assertEqual(self.registrant_emails(), {"kept@example.com"}, "deleted in Zoom, the other kept")
        self.assertEqual(self.zoom_calls("meetingregistrantdelete"), 1)
        forgotten, kept = self.registrations
        self.assertTrue(forgotten.zoom_forgotten)
        self.assertFalse(forgotten.sudo().zoom_join_url)
        self.assertEqual(kept.zoom_sync_state, "synced")
        segment, other_segment = self.segments
        self.assertEqual((segment.participant_name, segment.email), ("Anonymised participant", False))
        self.assertFalse(segment.participant_user_id)
        self.assertEqual(segment.duration_minutes, minutes, "minutes kept for statistics")
        self.assertEqual(other_segment.email, "kept@example.com")
        body = self.delivery.body
        self.assertNotIn(NAME, body)
        self.assertNotIn(EMAIL.upper(), body)
        self.assertIn("[redacted]", body)
        # a later sync or a Join click registers nobody again
        self.sync(lambda: self.meeting._zoom_sync_registrants())
        self.assertNotIn(EMAIL, self.registrant_emails())
        self.assertEqual(forgotten._zoom_join_answer()["state"], "requirements")

    def test_deleting_the_contact_forgets_them_in_zoom(self):
        self.sync(lambda: self.person.unlink())
        self.assertEqual(self.registrant_emails(), {"kept@example.com"})
        self.assertEqual(self.segments[0].participant_name, "Anonymised participant")
        self.assertNotIn(EMAIL.upper(), self.delivery.body)

    def test_only_a_zoom_administrator_forgets(self):
        with self.assertRaises(AccessError):
            self.person.with_user(self.employee).action_zoom_forget()
        self.assertIn(EMAIL, self.registrant_emails())
        self.assertEqual(self.segments[0].email, EMAIL)

    def test_attendance_details_are_anonymised_after_their_retention(self):
        self.env.company.zoom_attendance_retention_days = 30
        old, recent = self.segments
        old.sudo().write({"join_time": datetime.now() - timedelta(days=31), "leave_time": datetime.now()})
        recent.sudo().write({"join_time": datetime.now() - timedelta(days=2), "leave_time": datetime.now()})
        self.env["zoom.attendance"]._cron_attendance_retention()
        self.assertEqual((old.participant_name, old.email), ("Anonymised participant", False))
        self.assertEqual(recent.email, "kept@example.com")
