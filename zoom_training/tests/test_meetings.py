import logging
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from odoo.tests import Form, TransactionCase, new_test_user, tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import ZoomSandboxCase

HOST = "host@example.com"


class ZoomMeetingCase(ZoomSandboxCase, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox.add_user("basic@example.com", type="basic")
        cls.sandbox.add_user("nowebinar@example.com", type="licensed", webinar=False)
        cls.sandbox.add_user("trainer@example.com", type="licensed")
        cls.env.company.zoom_webinars_enabled = True
        cls.host = cls._user("host", HOST)
        cls.trainer = cls._user("trainer", "trainer@example.com")

    @classmethod
    def _user(cls, login, email, tz="Europe/Brussels"):
        return new_test_user(cls.env, login=login, email=email, tz=tz, groups="base.group_user")

    def setUp(self):
        super().setUp()
        self.connect_company(self.env)
        self.forget_tokens()
        self.sandbox.requests.clear()
        self.sandbox.faults.clear()

    def run_jobs(self, trap):
        trap.perform_enqueued_jobs()

    def zoom_calls(self, operation):
        return self.sandbox.requests.count(operation=operation)

    def in_zoom(self, record):
        odoo_meeting = record.zoom_meeting_id
        state = f"{odoo_meeting.sync_state}: {odoo_meeting.sync_error}"
        self.assertTrue(odoo_meeting.zoom_id, f"{record.display_name} is not in Zoom ({state})")
        meeting = self.sandbox.meeting(int(odoo_meeting.zoom_id))
        self.assertTrue(meeting, f"{record.display_name} has no meeting in Zoom")
        return meeting

    def calendar_event(self, **values):
        start = datetime(2026, 12, 14, 9, 0)
        defaults = {
            "name": "Onboarding training",
            "start": start,
            "stop": start + timedelta(hours=2),
            "user_id": self.host.id,
            "event_tz": "Europe/Brussels",
            "zoom_conference": "meeting",
            "partner_ids": [(4, self.host.partner_id.id)],
        }
        # Saved by the host, as in the calendar; examined by the test with every right.
        return (
            self.env["calendar.event"]
            .with_user(self.host)
            .create(dict(defaults, **values))
            .with_env(self.env)
        )

    def weekly_series(self, name, start, count, **values):
        """A one-hour calendar event every week on `start`'s weekday, `count` times: its occurrences."""
        weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[start.weekday()]
        values = dict(values, **{weekday: True})
        event = self.calendar_event(
            name=name,
            start=start,
            stop=start + timedelta(hours=1),
            recurrency=True,
            rrule_type="weekly",
            interval=1,
            end_type="count",
            count=count,
            **values,
        )
        return event.recurrence_id.calendar_event_ids.sorted("start")

    def training(self, **values):
        start = datetime(2026, 12, 15, 13, 0)
        defaults = {
            "name": "Safety webinar",
            "date_begin": start,
            "date_end": start + timedelta(minutes=90),
            "date_tz": "America/New_York",
            "user_id": self.host.id,
            "zoom_conference": "webinar",
        }
        return self.env["event.event"].create(dict(defaults, **values))


@tagged("post_install", "-at_install")
class TestMeetingLifecycle(ZoomMeetingCase):
    def test_a_calendar_event_becomes_a_zoom_meeting_after_the_job(self):
        with trap_jobs() as trap:
            event = self.calendar_event()
            self.assertEqual(self.zoom_calls("meetingCreate"), 0, "Zoom was called inside the request")
            trap.assert_jobs_count(1)
            self.assertEqual(event.zoom_sync_state, "pending")
            self.run_jobs(trap)
        meeting = self.in_zoom(event)
        self.assertEqual(meeting.host.email, HOST)
        self.assertEqual(meeting.type, 2)
        self.assertEqual(meeting.topic, "Onboarding training")
        self.assertEqual(meeting.start_time.strftime("%Y-%m-%dT%H:%M:%SZ"), "2026-12-14T09:00:00Z")
        self.assertEqual(meeting.timezone, "Europe/Brussels")
        self.assertEqual(meeting.duration, 120)
        self.assertEqual(meeting.settings["approval_type"], 0)
        self.assertEqual(event.zoom_sync_state, "synced")
        self.assertEqual(event.videocall_source, "zoom")
        self.assertTrue(event.videocall_location)
        self.assertEqual(event.videocall_location, event._zoom_join_location())

    def test_internal_attendees_become_alternative_hosts(self):
        with trap_jobs() as trap:
            event = self.calendar_event(
                partner_ids=[(4, self.host.partner_id.id), (4, self.trainer.partner_id.id)]
            )
            self.run_jobs(trap)
        self.assertEqual(self.in_zoom(event).settings["alternative_hosts"], "trainer@example.com")

    def test_a_training_becomes_a_webinar_with_its_instructors_as_panelists(self):
        with trap_jobs() as trap:
            training = self.training(zoom_instructor_ids=[(4, self.trainer.id)])
            self.run_jobs(trap)
        webinar = self.in_zoom(training)
        self.assertEqual(webinar.kind, "webinar")
        self.assertEqual(webinar.type, 5)
        self.assertEqual(webinar.host.email, HOST)
        self.assertEqual(webinar.timezone, "America/New_York")
        self.assertEqual(webinar.duration, 90)
        self.assertEqual(webinar.start_time.strftime("%Y-%m-%dT%H:%M:%SZ"), "2026-12-15T13:00:00Z")
        self.assertEqual([p.email for p in self.sandbox.panelists(webinar.id)], ["trainer@example.com"])
        self.assertTrue(training.zoom_join_url)
        with trap_jobs() as trap:
            training.zoom_instructor_ids = [(5, 0, 0)]
            self.run_jobs(trap)
        self.assertEqual(self.sandbox.panelists(webinar.id), [])

    def test_both_models_hold_both_kinds(self):
        with trap_jobs() as trap:
            calendar_webinar = self.calendar_event(name="Calendar webinar", zoom_conference="webinar")
            training_meeting = self.training(name="Training meeting", zoom_conference="meeting")
            self.run_jobs(trap)
        self.assertEqual(self.in_zoom(calendar_webinar).type, 5)
        self.assertEqual(self.in_zoom(training_meeting).type, 2)
        self.assertEqual(calendar_webinar.videocall_location, calendar_webinar._zoom_join_location())

    def test_the_host_starts_from_a_link_fetched_on_demand(self):
        with trap_jobs() as trap:
            event = self.calendar_event()
            self.run_jobs(trap)
        action = event.with_user(self.host).action_zoom_start_as_host()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("/s/", action["url"])
        with self.assertRaisesRegex(Exception, "Only the host"):
            event.with_user(self.trainer).action_zoom_start_as_host()

    def test_the_start_link_zoom_returns_is_stored_nowhere(self):
        """Zoom's start link lets anyone start the meeting as its host: no table, chatter, job or log line
        may keep it, although Zoom returns it with every meeting it creates or reads."""
        with self.assertLogs("odoo.addons.zoom_training", level="DEBUG") as logs, trap_jobs() as trap:
            logging.getLogger("odoo.addons.zoom_training").debug("what the addon logs while syncing:")
            event = self.calendar_event()
            jobs = []
            while len(jobs) < len(trap.enqueued_jobs):
                job = trap.enqueued_jobs[len(jobs)]
                jobs.append(repr((job.args, job.kwargs, job.perform())))
            event.with_user(self.host).action_zoom_start_as_host()
        self.assertEqual(event.zoom_sync_state, "synced")
        returned = {
            entry.response_json["start_url"]
            for entry in self.sandbox.requests.entries
            if isinstance(entry.response_json, dict) and entry.response_json.get("start_url")
        }
        self.assertTrue(returned, "Zoom returned no start link: this test would prove nothing")
        secrets = returned | {link.split("zak=")[1] for link in returned}
        for secret in secrets:
            self.assertEqual(self.columns_holding(secret), [], "a start link is stored")
            self.assertFalse([line for line in logs.output if secret in line], "a start link is logged")
            self.assertFalse([job for job in jobs if secret in job], "a start link is in a job")

    def columns_holding(self, text):
        """Every (table, column) of the database whose value contains `text`, as this transaction sees it."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """SELECT table_name, array_agg(column_name::text) FROM information_schema.columns
               WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json')
               GROUP BY table_name"""
        )
        found = []
        for table, columns in cr.fetchall():
            condition = " OR ".join(f'"{column}"::text LIKE %(pattern)s' for column in columns)
            cr.execute(f'SELECT 1 FROM "{table}" WHERE {condition} LIMIT 1', {"pattern": f"%{text}%"})
            found += [(table, columns)] if cr.fetchone() else []
        return found

    def test_a_webinar_needs_webinars_enabled_in_settings(self):
        self.env.company.zoom_webinars_enabled = False
        with self.assertRaisesRegex(Exception, "webinars are off"):
            self.training()

    def test_an_edit_sends_only_what_changed(self):
        with trap_jobs() as trap:
            event = self.calendar_event()
            self.run_jobs(trap)
        self.sandbox.requests.clear()
        with trap_jobs() as trap:
            event.name = "Onboarding training (advanced)"
            self.run_jobs(trap)
        updates = [entry for entry in self.sandbox.requests.entries if entry.operation == "meetingUpdate"]
        self.assertEqual(len(updates), 1)
        self.assertEqual(updates[0].request_json, {"topic": "Onboarding training (advanced)"})
        self.assertEqual(self.in_zoom(event).topic, "Onboarding training (advanced)")

    def test_a_field_zoom_does_not_hold_enqueues_nothing(self):
        with trap_jobs() as trap:
            event = self.calendar_event()
            self.run_jobs(trap)
        with trap_jobs() as trap:
            event.privacy = "private"
            trap.assert_jobs_count(0)

    def test_a_burst_of_twenty_edits_becomes_one_update(self):
        with trap_jobs() as trap:
            event = self.calendar_event()
            self.run_jobs(trap)
        self.sandbox.requests.clear()
        with trap_jobs() as trap:
            for edit in range(20):
                event.name = f"Onboarding training v{edit}"
            trap.assert_jobs_count(1)
            self.run_jobs(trap)
        self.assertEqual(self.zoom_calls("meetingUpdate"), 1)
        self.assertEqual(self.in_zoom(event).topic, "Onboarding training v19")

    def test_an_unchanged_payload_is_not_sent_again(self):
        with trap_jobs() as trap:
            event = self.calendar_event()
            self.run_jobs(trap)
        self.sandbox.requests.clear()
        with trap_jobs() as trap:
            event.action_zoom_sync_now()
            event.name = event.name
            self.run_jobs(trap)
        self.assertEqual(self.zoom_calls("meetingUpdate"), 0)

    def test_nine_in_new_york_stays_nine_in_zoom_across_the_dst_change(self):
        """The organizer lives in New York (the host of the other tests in Brussels) and picks 09:00, before
        and after the US leave summer time on 1 November 2026: Zoom must show 09:00 New York both times."""
        self.trainer.tz = "America/New_York"
        new_york = ZoneInfo("America/New_York")

        def utc(local):  # what Odoo stores for the time the organizer picks
            return local.replace(tzinfo=new_york).astimezone(timezone.utc).replace(tzinfo=None)

        summer, winter = datetime(2026, 10, 20, 9, 0), datetime(2026, 11, 3, 9, 0)
        with trap_jobs() as trap:
            event = self.calendar_event(
                start=utc(summer), stop=utc(summer) + timedelta(hours=1), user_id=self.trainer.id
            )
            self.run_jobs(trap)
        self.assertEqual(self.zoom_local_start(event), summer)
        with trap_jobs() as trap:
            event.write({"start": utc(winter), "stop": utc(winter) + timedelta(hours=1)})
            self.run_jobs(trap)
        self.assertEqual(self.zoom_local_start(event), winter)
        self.assertEqual(self.in_zoom(event).duration, 60)

    def zoom_local_start(self, record):
        """The start as Zoom shows it: the meeting's start_time in the meeting's own time zone."""
        meeting = self.in_zoom(record)
        start = meeting.start_time
        start = start if start.tzinfo else start.replace(tzinfo=timezone.utc)
        return start.astimezone(ZoneInfo(meeting.timezone)).replace(tzinfo=None)

    def test_cancelling_a_training_deletes_its_webinar(self):
        with trap_jobs() as trap:
            training = self.training()
            self.run_jobs(trap)
        zoom_id = int(training.zoom_meeting_id.zoom_id)
        with trap_jobs() as trap:
            training.stage_id = self.env.ref("event.event_stage_cancelled")
            self.run_jobs(trap)
        self.assertIsNone(self.sandbox.meeting(zoom_id))
        self.assertEqual(training.zoom_meeting_id.sync_state, "deleted")

    def test_archiving_or_deleting_an_event_deletes_its_meeting(self):
        with trap_jobs() as trap:
            archived, deleted = self.calendar_event(), self.calendar_event(name="Second")
            self.run_jobs(trap)
        ids = [int(archived.zoom_meeting_id.zoom_id), int(deleted.zoom_meeting_id.zoom_id)]
        with trap_jobs() as trap:
            archived.action_archive()
            deleted.unlink()
            self.run_jobs(trap)
        self.assertEqual([self.sandbox.meeting(zoom_id) for zoom_id in ids], [None, None])

    def test_a_meeting_already_gone_in_zoom_counts_as_deleted(self):
        with trap_jobs() as trap:
            event = self.calendar_event()
            self.run_jobs(trap)
        meeting = event.zoom_meeting_id
        self.env["zoom.account"]._for_company(self.env.company)._zoom_client().delete(
            f"/meetings/{meeting.zoom_id}"
        )
        with trap_jobs() as trap:
            event.action_archive()
            self.run_jobs(trap)
        self.assertEqual(meeting.sync_state, "deleted")

    def test_switching_to_none_deletes_the_meeting(self):
        with trap_jobs() as trap:
            event = self.calendar_event()
            self.run_jobs(trap)
        zoom_id = int(event.zoom_meeting_id.zoom_id)
        with trap_jobs() as trap:
            event.zoom_conference = "none"
            self.run_jobs(trap)
        self.assertIsNone(self.sandbox.meeting(zoom_id))

    def test_the_form_offers_zoom_as_video_conference(self):
        with Form(self.env["calendar.event"].with_user(self.host)) as form:
            form.name = "From the form"
            form.zoom_conference = "meeting"
        self.assertEqual(form.record.zoom_sync_state, "pending")


@tagged("post_install", "-at_install")
class TestMeetingHosts(ZoomMeetingCase):
    def _failed(self, record):
        meeting = record.zoom_meeting_id
        self.assertEqual(meeting.sync_state, "error")
        self.assertFalse(meeting.zoom_id)
        return meeting.sync_error

    def test_a_host_unknown_to_zoom_is_explained(self):
        stranger = self._user("stranger", "stranger@example.com")
        with trap_jobs() as trap:
            event = self.calendar_event(user_id=stranger.id)
            self.run_jobs(trap)
        self.assertIn("stranger@example.com is not a user of your Zoom account", self._failed(event))
        self.assertIn("not a user of your Zoom account", event.message_ids[0].body)

    def test_a_zoom_email_overrides_the_odoo_email(self):
        stranger = self._user("alias", "alias@example.com")
        stranger.zoom_email = HOST
        with trap_jobs() as trap:
            event = self.calendar_event(user_id=stranger.id)
            self.run_jobs(trap)
        self.assertEqual(self.in_zoom(event).host.email, HOST)

    def test_a_basic_host_is_refused(self):
        basic = self._user("basic", "basic@example.com")
        with trap_jobs() as trap:
            event = self.calendar_event(user_id=basic.id)
            self.run_jobs(trap)
        self.assertIn("Basic Zoom license", self._failed(event))

    def test_a_webinar_host_needs_the_webinar_feature(self):
        host = self._user("nowebinar", "nowebinar@example.com")
        with trap_jobs() as trap:
            training = self.training(user_id=host.id)
            self.run_jobs(trap)
        self.assertIn("no Zoom Webinar license", self._failed(training))
        self.assertEqual(self.sandbox.webinars(), [])


@tagged("post_install", "-at_install")
class TestMeetingFaults(ZoomMeetingCase):
    def pass_utc_midnight(self):
        """Odoo's count of the hosts' calls belongs to yesterday now (it is kept on a committed cursor)."""
        with self.registry.cursor() as cr:
            cr.execute("UPDATE zoom_host_budget SET day = day - 1")

    def test_the_hosts_daily_budget_is_counted_in_odoo_and_never_exceeded(self):
        self.env["ir.config_parameter"].sudo().set_param("zoom_training.host_daily_limit", "2")
        with trap_jobs() as trap:
            events = [self.calendar_event(name=f"Budget training {n}") for n in range(3)]
            self.run_jobs(trap)
        self.assertEqual(self.zoom_calls("meetingCreate"), 2, "the third never reached Zoom")
        waiting = events[2].zoom_meeting_id
        self.assertEqual(waiting.sync_state, "quota")
        self.assertEqual((waiting.quota_until.hour, waiting.quota_until.minute), (0, 0))
        self.assertIn("host@example.com has made the 2 meeting creations and updates", waiting.sync_error)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.zoom_host_budget_message, "host@example.com: 2 of 2")
        requeued = trap.enqueued_jobs[-1]
        self.assertEqual(requeued.eta, waiting.quota_until)

        self.pass_utc_midnight()
        requeued.perform()
        self.assertEqual(waiting.sync_state, "synced")
        self.assertEqual(self.zoom_calls("meetingCreate"), 3)
        self.assertEqual(self.in_zoom(events[2]).topic, "Budget training 2")

    def test_zooms_own_daily_answer_stops_the_host_for_the_rest_of_the_day(self):
        with trap_jobs() as trap:
            first = self.calendar_event(name="Before Zoom's limit")
            self.run_jobs(trap)
        self.sandbox.limits.enabled = True
        self.sandbox.limits.host_daily_limit = 0
        self.addCleanup(setattr, self.sandbox.limits, "enabled", False)
        self.addCleanup(setattr, self.sandbox.limits, "host_daily_limit", 100)
        with trap_jobs() as trap:
            first.name = "Refused by Zoom"
            second = self.calendar_event(name="Never sent")
            self.run_jobs(trap)
        self.assertEqual(first.zoom_meeting_id.sync_state, "quota")
        self.assertEqual(second.zoom_meeting_id.sync_state, "quota")
        self.assertEqual(
            self.zoom_calls("meetingUpdate") + self.zoom_calls("meetingCreate"),
            2,
            "the first 429 stops the host: the other call waits in Odoo",
        )

    def test_the_daily_host_quota_waits_until_midnight_utc_and_recovers(self):
        with trap_jobs() as trap:
            event = self.calendar_event()
            self.run_jobs(trap)
        self.sandbox.limits.enabled = True
        self.sandbox.limits.host_daily_limit = 1
        self.addCleanup(setattr, self.sandbox.limits, "enabled", False)
        self.addCleanup(setattr, self.sandbox.limits, "host_daily_limit", 100)
        with trap_jobs() as trap:
            event.name = "Renamed once"
            self.run_jobs(trap)
        self.assertEqual(event.zoom_sync_state, "synced")
        with trap_jobs() as trap:
            event.name = "Renamed twice"
            self.run_jobs(trap)
        meeting = event.zoom_meeting_id
        self.assertEqual(meeting.sync_state, "quota")
        self.assertEqual((meeting.quota_until.hour, meeting.quota_until.minute), (0, 0))
        self.assertIn("deferred until", meeting.sync_error)
        self.assertEqual(self.in_zoom(event).topic, "Renamed once")
        requeued = trap.enqueued_jobs[-1]
        self.assertEqual(requeued.eta, meeting.quota_until)

        self.sandbox.clock.advance(24 * 3600)
        self.addCleanup(self.sandbox.limits.reset)
        self.pass_utc_midnight()
        meeting._zoom_push()
        self.assertEqual(meeting.sync_state, "synced")
        self.assertEqual(self.in_zoom(event).topic, "Renamed twice")

    def test_a_killed_job_retried_never_creates_a_second_meeting(self):
        with trap_jobs() as trap:
            event = self.calendar_event(name="Training of the killed job")
            self.run_jobs(trap)
        meeting = event.zoom_meeting_id
        # The worker died after Zoom created the meeting and before Odoo committed its answer.
        meeting.write(
            {"zoom_id": False, "join_url": False, "last_payload": False, "last_payload_hash": False}
        )
        meeting._zoom_push()
        in_zoom = [m for m in self.sandbox.meetings() if m.topic == "Training of the killed job"]
        self.assertEqual(len(in_zoom), 1)
        self.assertEqual(meeting.zoom_id, str(in_zoom[0].id))
        self.assertEqual(self.zoom_calls("meetingCreate"), 1)

    def test_a_create_that_timed_out_is_adopted_not_repeated(self):
        self.env["ir.config_parameter"].sudo().set_param("zoom_training.timeout", 10)
        self.sandbox.faults.timeout(11, operation="meetingCreate", count=1)
        with trap_jobs() as trap:
            event = self.calendar_event(name="Training whose creation timed out")
            with self.assertRaisesRegex(Exception, "could not be reached"):
                self.run_jobs(trap)
        self.assertFalse(event.zoom_meeting_id.zoom_id)
        event.zoom_meeting_id._zoom_push()
        in_zoom = [m for m in self.sandbox.meetings() if m.topic == "Training whose creation timed out"]
        self.assertEqual(len(in_zoom), 1)
        self.assertEqual(event.zoom_meeting_id.zoom_id, str(in_zoom[0].id))
        self.assertEqual(self.zoom_calls("meetingCreate"), 1)
        self.assertEqual(event.zoom_sync_state, "synced")

    def test_an_outage_is_retried_not_failed(self):
        self.sandbox.faults.fail(503)
        with trap_jobs() as trap:
            event = self.calendar_event()
            with self.assertRaises(RetryableJobError) as retried:
                self.run_jobs(trap)
        self.assertIn("Zoom had an internal error (HTTP 503)", str(retried.exception))
        self.assertFalse(event.zoom_sync_error)
        self.assertEqual(event.zoom_sync_state, "pending")
        self.sandbox.faults.clear()
        event.zoom_meeting_id._zoom_push()
        self.assertEqual(event.zoom_sync_state, "synced")


@tagged("post_install", "-at_install")
class TestRecurringMeetings(ZoomMeetingCase):
    def weekly_practice(self, count=20):
        return self.weekly_series("Weekly practice", datetime(2026, 12, 7, 9, 0), count)  # Mondays

    def occurrence(self, event):
        meeting = self.sandbox.meeting(int(event.zoom_meeting_id.zoom_id))
        return next(o for o in meeting.occurrences if o.occurrence_id == event.zoom_occurrence_id)

    def test_a_weekly_series_of_twenty_is_one_recurring_meeting(self):
        with trap_jobs() as trap:
            series = self.weekly_practice()
            self.run_jobs(trap)
        self.assertEqual(len(series), 20)
        self.assertEqual(self.zoom_calls("meetingCreate"), 1)
        self.assertEqual(self.zoom_calls("meetingUpdate"), 0)
        self.assertEqual(len(series.zoom_meeting_id), 1)
        meeting = self.sandbox.meeting(int(series.zoom_meeting_id.zoom_id))
        self.assertEqual(meeting.type, 8)
        self.assertEqual(meeting.recurrence["weekly_days"], "2")
        self.assertEqual(len(meeting.occurrences), 20)
        self.assertEqual(len(set(series.mapped("zoom_occurrence_id"))), 20)
        self.assertEqual(
            series.mapped("videocall_location"), [event._zoom_join_location() for event in series]
        )
        for event in series:
            self.assertEqual(self.occurrence(event).start_time.replace(tzinfo=None), event.start)

    def test_moving_one_occurrence_moves_only_that_one_in_zoom(self):
        with trap_jobs() as trap:
            series = self.weekly_practice(count=5)
            self.run_jobs(trap)
        third = series[2]
        before = {event.id: self.occurrence(event).start_time for event in series - third}
        self.sandbox.requests.clear()
        with trap_jobs() as trap:
            third.write(
                {
                    "start": third.start + timedelta(hours=2),
                    "stop": third.stop + timedelta(hours=2),
                    "recurrence_update": "self_only",
                }
            )
            self.run_jobs(trap)
        updates = [entry for entry in self.sandbox.requests.entries if entry.operation == "meetingUpdate"]
        self.assertEqual(len(updates), 1)
        self.assertEqual(updates[0].query.get("occurrence_id"), third.zoom_occurrence_id)
        self.assertEqual(self.occurrence(third).start_time.replace(tzinfo=None), third.start)
        self.assertEqual({event.id: self.occurrence(event).start_time for event in series - third}, before)

    def test_cancelling_one_occurrence_cancels_only_that_one_in_zoom(self):
        with trap_jobs() as trap:
            series = self.weekly_practice(count=5)
            self.run_jobs(trap)
        second, fourth = series[1], series[3]
        second_occurrence = second.zoom_occurrence_id
        meeting = self.sandbox.meeting(int(series.zoom_meeting_id.zoom_id))
        with trap_jobs() as trap:
            second.unlink()
            fourth.action_archive()
            self.run_jobs(trap)
        statuses = {o.occurrence_id: o.status for o in meeting.occurrences}
        self.assertEqual(statuses[second_occurrence], "deleted")
        self.assertEqual(statuses[fourth.zoom_occurrence_id], "deleted")
        self.assertEqual(list(statuses.values()).count("deleted"), 2)
        self.assertEqual(self.zoom_calls("meetingDelete"), 2)

    def test_a_yearly_series_is_refused_with_a_plain_reason(self):
        start = datetime(2026, 12, 7, 9, 0)
        with trap_jobs() as trap:
            event = self.calendar_event(
                start=start, stop=start + timedelta(hours=1), recurrency=True, rrule_type="yearly", count=3
            )
            self.run_jobs(trap)
        self.assertEqual(event.zoom_sync_state, "error")
        self.assertIn("not yearly", event.zoom_sync_error)
        self.assertEqual(self.zoom_calls("meetingCreate"), 0)
