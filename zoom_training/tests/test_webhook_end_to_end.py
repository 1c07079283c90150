import logging
import random
import statistics
from datetime import datetime, timedelta, timezone

import requests

from odoo.tests import HttpCase, tagged

from .webhook_common import TIMEOUT, WebhookCase

_logger = logging.getLogger(__name__)

HOST = "host@example.com"
RUN_SECONDS = 480  # eight minutes: the sandbox's clock stays within the 300 s tolerance of Odoo's


class MeetingRunCase(WebhookCase, HttpCase):
    """A Zoom meeting in the sandbox linked to a training in Odoo, with registrants holding personal links,
    ready to be run: people join and leave in the sandbox, Zoom's webhooks reach Odoo over HTTP."""

    registrant_count = 50
    training_start = datetime(2026, 12, 15, 13)
    meeting_settings = {"approval_type": 0}

    def setUp(self):
        super().setUp()
        self.env.company.write({"zoom_attendance_threshold": 75, "zoom_recording_handling": "store"})
        self.token = self.sandbox.issue_token()
        self.zoom_id = self.zoom_api("POST", f"/users/{HOST}/meetings", json=self.meeting_body())["id"]
        self.training = self.env["event.event"].create(
            {
                "name": "Forklift safety",
                "date_begin": self.training_start,
                "date_end": self.training_start + timedelta(hours=1),
            }
        )
        self.meeting = (
            self.env["zoom.meeting"]
            .sudo()
            .create(
                {
                    "name": "Forklift safety",
                    "company_id": self.env.company.id,
                    "res_model": "event.event",
                    "res_id": self.training.id,
                    "zoom_id": str(self.zoom_id),
                }
            )
        )
        self.registrations = [self.register(number) for number in range(self.registrant_count)]
        # Read now: while deliveries are in flight, the requests own the test cursor.
        self.join_urls = [registration.zoom_join_url for registration in self.registrations]
        self.env.flush_all()
        self.addCleanup(setattr, self.sandbox.webhooks, "url", None)

    def meeting_body(self):
        return {
            "topic": "Forklift safety",
            "type": 2,
            "start_time": "2026-12-15T13:00:00Z",
            "duration": 60,
            "settings": dict(self.meeting_settings),
        }

    def zoom_api(self, method, path, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}"}
        answer = requests.request(
            method, self.sandbox.api_base + path, headers=headers, timeout=TIMEOUT, **kwargs
        )
        answer.raise_for_status()
        return answer.json()

    def register(self, number):
        email = f"trainee{number:02d}@example.com"
        registration = self.env["event.registration"].create(
            {"event_id": self.training.id, "name": f"Trainee {number:02d}", "email": email}
        )
        registrant = self.zoom_api(
            "POST",
            f"/meetings/{self.zoom_id}/registrants",
            json={"email": email, "first_name": f"Trainee {number:02d}"},
        )
        registration.write(
            {"zoom_registrant_id": registrant["registrant_id"], "zoom_join_url": registrant["join_url"]}
        )
        return registration

    def join(self, numbers):
        """Each joins with the personal link of the registration: no email given, the link says who it is."""
        return {
            number: self.sandbox.join(self.zoom_id, f"Trainee {number:02d}", join_url=self.join_urls[number])
            for number in numbers
        }

    def leave(self, present, numbers):
        for number in numbers:
            self.sandbox.leave(self.zoom_id, present.pop(number))


@tagged("post_install", "-at_install")
class TestWebhookEndToEnd(MeetingRunCase):
    """The sandbox runs a meeting; 50 registrants join through their personal links; Odoo ends with the
    attendance that the timeline implies."""

    def test_fifty_participants_end_with_the_right_attendance(self):
        always, rejoin_soon, rejoin_late, late, absent = (
            range(0, 20),
            range(20, 30),
            range(30, 40),
            range(40, 45),
            range(45, 50),
        )
        webhooks, clock = self.sandbox.webhooks, self.sandbox.clock
        webhooks.url = self.webhook_url()
        emitted_before = len(webhooks.events)  # meeting and registrants created without a receiver
        clock.set(datetime.now(timezone.utc) - timedelta(seconds=RUN_SECONDS / 2))
        self.sandbox.start_meeting(self.zoom_id)
        webhooks.reorder_next(6)
        present = self.join([*always, *rejoin_soon, *rejoin_late])
        clock.advance(60)
        webhooks.duplicate_next(4)
        second_devices = self.join([0, 1])  # the same people on a phone: counted once
        clock.advance(60)
        self.leave(second_devices, [0, 1])
        self.leave(present, [*rejoin_soon, *rejoin_late])  # 120 s each so far
        clock.advance(80)
        present.update(self.join(rejoin_soon))  # 200 → 480: 400 s in all
        clock.advance(40)
        present.update(self.join(late))  # 240 → 480: 240 s
        clock.advance(60)
        present.update(self.join(rejoin_late))  # 300 → 480: 300 s in all
        clock.advance(30)
        self.sandbox.join(self.zoom_id, "Trainee 45")  # a name alone: kept for review, never matched
        clock.advance(RUN_SECONDS - 330)
        self.sandbox.end_meeting(self.zoom_id)
        self.sandbox.complete_recording(self.zoom_id)
        self.assertTrue(webhooks.wait_idle(timeout=60))

        refused = [attempt for attempt in webhooks.deliveries if not attempt.ok]
        self.assertFalse(refused, f"Odoo refused deliveries: {refused[:3]}")
        latencies = [attempt.latency for attempt in webhooks.deliveries]
        _logger.info(
            "%s deliveries acknowledged: median %.1f ms, max %.1f ms",
            len(latencies),
            statistics.median(latencies) * 1000,
            max(latencies) * 1000,
        )
        self.assertLess(max(latencies), 3)

        inbox = self.inbox(state="received")
        self.assertEqual(
            len(inbox), len(webhooks.events) - emitted_before, "every event stored once, duplicates not twice"
        )
        jobs = list(inbox)
        random.Random(7).shuffle(jobs)  # the worker may take them in any order
        for delivery in jobs:
            delivery._process()
        self.assertEqual(
            set(inbox.mapped("state")), {"done"}, inbox.filtered(lambda d: d.state != "done").mapped("error")
        )

        self.assertEqual(self.meeting.zoom_status, "ended")
        self.assertAlmostEqual(
            (self.meeting.actual_end - self.meeting.actual_start).total_seconds(), RUN_SECONDS, delta=1
        )
        attended = {
            number for number, registration in enumerate(self.registrations) if registration.state == "done"
        }
        self.assertEqual(attended, {*always, *rejoin_soon})
        minutes = {
            number: registration.zoom_attended_minutes
            for number, registration in enumerate(self.registrations)
        }
        for group, expected in (
            (always, 8),
            (rejoin_soon, 400 / 60),
            (rejoin_late, 5),
            (late, 4),
            (absent, 0),
        ):
            for number in group:
                self.assertAlmostEqual(minutes[number], expected, delta=0.05, msg=f"trainee {number}")
        self.assertEqual({registration.state for registration in self.registrations} - {"done"}, {"open"})
        to_review = self.env["zoom.attendance"].search(
            [("meeting_id", "=", self.meeting.id), ("review_state", "=", "to_review")]
        )
        self.assertEqual(to_review.mapped("participant_name"), ["Trainee 45"])
        self.assertFalse(self.meeting.zoom_drift)

        files = self.meeting.zoom_recording_ids.file_ids
        self.assertEqual(len(files), 2)
        self.assertTrue(all(files.mapped("attachment_id")), files.mapped("error"))
