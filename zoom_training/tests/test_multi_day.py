"""A three-day course, 9:00-17:00 in Brussels, as a trainer runs it: one daily Zoom series, one personal link
per trainee for the three days, attendance per day and in total (the threshold applies to the total)."""

import json
from datetime import datetime, timedelta, timezone

from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..utils.webhook import parse_envelope
from .test_registrants import ZoomRegistrantCase

BRUSSELS = "Europe/Brussels"
DAY_ONE = datetime(2026, 12, 16, 8, 0)  # 09:00 in Brussels (winter time)


@tagged("post_install", "-at_install")
class TestMultiDayTraining(ZoomRegistrantCase):
    def course(self, name, **values):
        defaults = {
            "name": name,
            "date_begin": DAY_ONE,
            "date_end": DAY_ONE + timedelta(days=2, hours=8),  # Friday 17:00
            "date_tz": BRUSSELS,
            "zoom_conference": "meeting",
        }
        return self.sync(lambda: self.training(**dict(defaults, **values)))

    def test_three_days_are_one_daily_series_with_the_day_s_hours(self):
        course = self.course("Three-day course, daily series")
        zoom = self.in_zoom(course)
        self.assertEqual(zoom.type, 8)
        self.assertEqual(zoom.recurrence, {"type": 1, "repeat_interval": 1, "end_times": 3})
        self.assertEqual(zoom.settings["registration_type"], 1)
        self.assertEqual(zoom.timezone, BRUSSELS)
        self.assertEqual(
            [(o.start_time, o.duration) for o in zoom.occurrences],
            [(DAY_ONE.replace(tzinfo=timezone.utc) + timedelta(days=n), 480) for n in range(3)],
        )
        self.assertEqual(self.zoom_calls("meetingCreate"), 1)
        meeting = course.zoom_meeting_id
        self.assertEqual(meeting.last_occurrence_end, DAY_ONE + timedelta(days=2, hours=8))

        trainees = self.sync(lambda: self.register(course, 3))
        self.assertEqual(self.zoom_calls("addBatchRegistrants"), 0, "Zoom batches no series")
        self.assertEqual(self.zoom_calls("meetingRegistrantCreate"), 3)
        self.assertEqual(set(trainees.mapped("zoom_sync_state")), {"synced"})
        self.assertEqual(len(set(trainees.mapped("zoom_join_url"))), 3, "one personal link each")
        for registrant in self.zoom_registrants(course):
            self.assertEqual(registrant.occurrence_ids, [], "registered once for every day")

    def test_the_training_s_own_daily_hours_and_a_clear_error(self):
        course = self.course("Three-day course, own hours", zoom_day_hour_from=9.5, zoom_day_hour_to=12.5)
        zoom = self.in_zoom(course)
        self.assertEqual([o.duration for o in zoom.occurrences], [180] * 3)
        self.assertEqual(zoom.occurrences[0].start_time.hour, 8)  # 09:30 Brussels = 08:30 UTC
        self.assertEqual(zoom.occurrences[0].start_time.minute, 30)
        # ends at 07:00 on its last day, begins at 09:00: the days cannot be told
        self.sync(
            lambda: course.write(
                {
                    "zoom_day_hour_from": 0,
                    "zoom_day_hour_to": 0,
                    "date_end": DAY_ONE + timedelta(days=2, hours=-2),
                }
            )
        )
        self.assertEqual(course.zoom_sync_state, "error")
        self.assertIn("set its daily hours", course.zoom_sync_error)

    def test_shortened_to_one_day_it_becomes_a_single_meeting_again(self):
        course = self.course("Three-day course, shortened")
        zoom_id = course.zoom_meeting_id.zoom_id
        self.sync(lambda: course.write({"date_end": DAY_ONE + timedelta(hours=8)}))
        zoom = self.in_zoom(course)
        self.assertEqual(course.zoom_meeting_id.zoom_id, zoom_id, "the same meeting, updated")
        self.assertEqual((zoom.type, zoom.duration, zoom.occurrences), (2, 480, []))
        self.assertFalse(course.zoom_meeting_id.last_occurrence_end)
        self.sync(lambda: course.write({"date_end": DAY_ONE + timedelta(days=1, hours=8)}))
        self.assertEqual(len(self.in_zoom(course).occurrences), 2)
        self.assertEqual(self.zoom_calls("meetingCreate"), 1)

    def run_day(self, course, day, stays):
        """Day `day` (0-based) held in Zoom: {registration: minutes present from 09:00}; then Zoom's webhooks
        as the sandbox emitted them, stored and processed by Odoo as the webhook job does."""
        zoom_id = int(course.zoom_meeting_id.zoom_id)
        emitted = len(self.sandbox.webhooks.events)
        self.sandbox.clock.set(DAY_ONE.replace(tzinfo=timezone.utc) + timedelta(days=day))
        self.sandbox.start_meeting(zoom_id)
        present = {
            registration: self.sandbox.join(zoom_id, registration.name, join_url=registration.zoom_join_url)
            for registration in stays
        }
        for registration, minutes in sorted(stays.items(), key=lambda item: item[1]):
            self.sandbox.clock.set(
                DAY_ONE.replace(tzinfo=timezone.utc) + timedelta(days=day, minutes=minutes)
            )
            self.sandbox.leave(zoom_id, present[registration])
        self.sandbox.clock.set(DAY_ONE.replace(tzinfo=timezone.utc) + timedelta(days=day, hours=8))
        self.sandbox.end_meeting(zoom_id)
        for body in self.sandbox.webhooks.events[emitted:]:
            raw = json.dumps(body).encode()
            delivery, _created = (
                self.env["zoom.webhook.event"]
                .sudo()
                ._store_delivery(parse_envelope(raw), raw, "meeting", self.env.company)
            )
            delivery._process()
            self.assertEqual(delivery.state, "done", delivery.error)
        self.env.invalidate_all()

    def test_attendance_per_day_and_the_threshold_on_the_total(self):
        self.env.company.zoom_attendance_threshold = 75
        course = self.course("Three-day course, attendance")
        anna, bob, carla = self.sync(lambda: self.register(course, 3))
        self.run_day(course, 0, {anna: 480, bob: 480, carla: 480})
        self.run_day(course, 1, {anna: 480, bob: 480})
        self.assertEqual(
            (anna | bob | carla).mapped("state"), ["open"] * 3, "not marked before the last day is held"
        )
        self.run_day(course, 2, {anna: 420, bob: 60})
        self.assertEqual(anna.zoom_attended_minutes, 1380)  # 1,380 of 1,440 minutes: 96%
        self.assertEqual(bob.zoom_attended_minutes, 1020)  # 71%
        self.assertEqual(carla.zoom_attended_minutes, 480)  # 33%
        self.assertEqual((anna.state, bob.state, carla.state), ("done", "open", "open"))
        days = [part.split(": ")[1] for part in bob.zoom_attended_days.split(" · ")]
        self.assertEqual(days, ["480 min", "480 min", "60 min"])
        self.assertIn("12/16/2026", bob.zoom_attended_days)
        segments = self.env["zoom.attendance"].search([("registration_id", "=", carla.id)])
        self.assertEqual(segments.mapped("day"), [DAY_ONE.date()])
        self.assertEqual(len(set(course.zoom_meeting_id.zoom_attendance_ids.mapped("instance_uuid"))), 3)


@tagged("post_install", "-at_install")
class TestAllDayCalendarEvent(ZoomRegistrantCase):
    def test_an_all_day_event_starts_at_midnight_in_its_time_zone(self):
        with trap_jobs() as trap:
            event = self.calendar_event(
                name="All-day workshop",
                allday=True,
                start=datetime(2026, 12, 14, 8, 0),
                stop=datetime(2026, 12, 14, 18, 0),
            )
            trap.perform_enqueued_jobs()
        zoom = self.in_zoom(event)
        # the organiser's time zone: 14 December, 00:00 in Brussels is 13 December, 23:00 UTC; one day long
        self.assertEqual(zoom.start_time, datetime(2026, 12, 13, 23, 0, tzinfo=timezone.utc))
        self.assertEqual((zoom.duration, zoom.timezone), (1440, BRUSSELS))
