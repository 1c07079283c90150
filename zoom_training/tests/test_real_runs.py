"""Trainings as they really run (issue 19): the responsible user changes, trainees move to another session,
seats beyond the host's licence, two companies on one Zoom account."""

from datetime import datetime, timedelta

import requests

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .test_registrants import ZoomJoinCase, ZoomRegistrantCase
from .webhook_common import WebhookCase

TIMEOUT = 10


def start_link_opens(url):
    return requests.get(url, timeout=TIMEOUT).status_code == 200


class HostChangeCase(ZoomRegistrantCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox.add_user("standin@example.com", type="licensed", webinar=True)
        cls.standin = cls._user("standin", "standin@example.com")
        cls.outsider = cls._user("outsider", "outsider@example.com")  # no user of the Zoom account
        cls.basic = cls._user("basicuser", "basic@example.com")  # a Basic user of the account

    def link_mails(self, registrations):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "event.registration"),
                ("res_id", "in", registrations.ids),
                ("subject", "like", "Zoom link"),
            ]
        )

    def start_url_as(self, user, record):
        return record.zoom_meeting_id.with_user(user).action_start_as_host()["url"]


@tagged("post_install", "-at_install")
class TestHostChange(HostChangeCase):
    def test_the_stand_in_hosts_the_session_in_zoom_and_trainees_get_their_new_link_once(self):
        self.env.company.zoom_emails_enabled = False
        training = self.zoom_training("Host change: first aid", kind="meeting")
        registrations = self.sync(lambda: self.register(training, 3, prefix="firstaid"))
        old_zoom_id, old_links = training.zoom_meeting_id.zoom_id, set(registrations.mapped("zoom_join_url"))
        old_start = self.start_url_as(self.host, training)
        self.assertTrue(start_link_opens(old_start))
        self.assertEqual(len(self.link_mails(registrations)), 3)

        self.sync(lambda: training.write({"user_id": self.standin.id}))  # the trainer is ill

        meeting = self.in_zoom(training)
        self.assertEqual(meeting.host.email, "standin@example.com")
        self.assertNotEqual(str(meeting.id), old_zoom_id)
        self.assertIsNone(self.sandbox.meeting(int(old_zoom_id)), "the old host's meeting is still in Zoom")
        self.assertEqual(
            sorted(r.email for r in self.zoom_registrants(training, "approved")),
            sorted(registrations.mapped("email")),
        )
        self.assertEqual(set(registrations.mapped("zoom_sync_state")), {"synced"})
        self.assertFalse(old_links & set(registrations.mapped("zoom_join_url")), "an old link is kept")
        self.assertTrue(all(f"/w/{meeting.id}?" in url for url in registrations.mapped("zoom_join_url")))
        self.assertEqual(len(self.link_mails(registrations)), 6, "each trainee gets the new link once")
        self.assertTrue(start_link_opens(self.start_url_as(self.standin, training)))
        self.assertFalse(start_link_opens(old_start), "the old host's start link still opens the session")
        with self.assertRaises(AccessError):
            self.start_url_as(self.host, training)
        self.assertIn("standin", training.message_ids[0].body)
        self.assertIn("now hosts this session", training.message_ids[0].body)
        self.assertEqual(self.zoom_calls("meetingDelete"), 1)

    def test_a_webinar_follows_its_new_host_with_its_panelists(self):
        training = self.zoom_training(
            "Host change: webinar", kind="webinar", zoom_instructor_ids=[(4, self.trainer.id)]
        )
        registrations = self.sync(lambda: self.register(training, 2, prefix="webinarmove"))
        self.sync(lambda: training.write({"user_id": self.standin.id}))
        webinar = self.in_zoom(training)
        self.assertEqual(webinar.host.email, "standin@example.com")
        self.assertEqual([p.email for p in self.sandbox.panelists(webinar.id)], ["trainer@example.com"])
        self.assertEqual(len(self.zoom_registrants(training, "approved")), 2)
        self.assertEqual(set(registrations.mapped("zoom_sync_state")), {"synced"})

    def test_a_stand_in_unknown_to_zoom_leaves_the_session_with_its_host_and_says_why(self):
        training = self.zoom_training("Host change: unknown stand-in", kind="meeting")
        registrations = self.sync(lambda: self.register(training, 2, prefix="unknownhost"))
        old_zoom_id, links = training.zoom_meeting_id.zoom_id, registrations.mapped("zoom_join_url")
        self.sync(lambda: training.write({"user_id": self.outsider.id}))
        self.assertEqual(training.zoom_sync_state, "error")
        self.assertIn("outsider@example.com is not a user of your Zoom account", training.zoom_sync_error)
        self.assertEqual(training.zoom_meeting_id.zoom_id, old_zoom_id)
        self.assertEqual(self.sandbox.meeting(int(old_zoom_id)).host.email, "host@example.com")
        self.assertEqual(registrations.mapped("zoom_join_url"), links, "links were lost")

    def test_a_session_that_has_run_keeps_its_host(self):
        training = self.zoom_training("Host change: already held", kind="meeting")
        training.zoom_meeting_id.zoom_status = "ended"
        old_zoom_id = training.zoom_meeting_id.zoom_id
        self.sandbox.requests.clear()
        self.sync(lambda: training.write({"user_id": self.standin.id}))
        self.assertEqual(training.zoom_meeting_id.zoom_id, old_zoom_id)
        self.assertEqual(self.zoom_calls("meetingCreate"), 0)

    def test_a_new_zoom_identity_moves_the_sessions_its_user_hosts(self):
        self.sandbox.add_user("host.new@example.com", type="licensed", webinar=True)
        training = self.zoom_training("Host change: new identity", kind="meeting")
        manager = new_test_user(
            self.env, login="zoomadmin", groups="base.group_user,zoom_training.group_zoom_manager"
        )
        self.sync(lambda: self.host.with_user(manager).write({"zoom_email": "host.new@example.com"}))
        self.assertEqual(self.in_zoom(training).host.email, "host.new@example.com")

    def test_a_weekly_series_follows_its_new_organizer_without_its_cancelled_occurrence(self):
        monday = datetime(2026, 12, 7, 9, 0)
        series = self.sync(lambda: self.weekly_series("Host change: weekly series", monday, 3))
        old_zoom_id = series.zoom_meeting_id.zoom_id
        self.sync(lambda: series[1].action_archive())
        self.sync(lambda: series[0].write({"user_id": self.standin.id, "recurrence_update": "all_events"}))
        meeting = self.in_zoom(series[0])
        self.assertEqual(meeting.host.email, "standin@example.com")
        self.assertIsNone(self.sandbox.meeting(int(old_zoom_id)))
        available = [
            o.start_time.replace(tzinfo=None) for o in meeting.occurrences if o.status == "available"
        ]
        self.assertEqual(available, [series[0].start, series[2].start])

    def test_a_responsible_user_who_is_the_same_zoom_user_takes_over_without_a_new_meeting(self):
        twin = self._user("twin", "twin@example.com")
        twin.sudo().zoom_email = "host@example.com"  # an assistant using the trainer's Zoom account
        training = self.zoom_training("Host change: same Zoom user", kind="meeting")
        old_zoom_id = training.zoom_meeting_id.zoom_id
        self.sandbox.requests.clear()
        self.sync(lambda: training.write({"user_id": twin.id}))
        self.assertEqual(training.zoom_meeting_id.zoom_id, old_zoom_id)
        self.assertEqual(self.zoom_calls("meetingCreate") + self.zoom_calls("meetingDelete"), 0)
        self.assertTrue(start_link_opens(self.start_url_as(twin, training)))

    def test_the_job_deleting_the_replaced_meeting_is_configured_for_retries(self):
        function = self.env.ref("zoom_training.job_function_zoom_meeting_delete_replaced")
        self.assertEqual(function.channel_id.complete_name, "root.zoom")

    def test_zoom_refuses_handing_a_meeting_to_another_host_by_update(self):
        training = self.zoom_training("Host change: schedule_for", kind="meeting")
        client = training.zoom_meeting_id.sudo()._client()
        with self.assertRaises(Exception) as caught:
            client.patch(
                f"/meetings/{training.zoom_meeting_id.zoom_id}", json={"schedule_for": "standin@example.com"}
            )
        self.assertEqual(caught.exception.code, 3000)


@tagged("post_install", "-at_install")
class TestInstructorsInZoom(HostChangeCase):
    def test_instructors_unknown_to_zoom_are_named_and_the_others_become_alternative_hosts(self):
        training = self.zoom_training(
            "Instructors: three",
            kind="meeting",
            zoom_instructor_ids=[(4, self.trainer.id), (4, self.outsider.id), (4, self.basic.id)],
        )
        self.assertEqual(self.in_zoom(training).settings["alternative_hosts"], "trainer@example.com")
        self.assertEqual(training.zoom_sync_state, "synced")
        self.assertIn("outsider@example.com is not a licensed user", training.zoom_sync_warning)
        self.assertIn("basic@example.com is not a licensed user", training.zoom_sync_warning)
        self.assertIn("basic@example.com", training.message_ids[0].body)
        form = Form(training)
        self.assertIn("outsider@example.com", form.zoom_sync_warning)

        self.sandbox.requests.clear()
        self.sync(
            lambda: training.write({"zoom_instructor_ids": [(3, self.outsider.id), (3, self.basic.id)]})
        )
        self.assertFalse(training.zoom_sync_warning)
        self.assertEqual(self.zoom_calls("user"), 0, "an alternative host already sent is looked up again")
        self.sync(
            lambda: training.write({"zoom_instructor_ids": [(3, self.trainer.id), (4, self.standin.id)]})
        )
        self.assertEqual(self.in_zoom(training).settings["alternative_hosts"], "standin@example.com")
        self.assertEqual(self.zoom_calls("user"), 1)

    def test_an_instructor_without_zoom_identity_is_named(self):
        self.trainer.sudo().zoom_email = False
        self.addCleanup(setattr, self.trainer.sudo(), "zoom_email", "trainer@example.com")
        training = self.zoom_training(
            "Instructors: no identity", kind="webinar", zoom_instructor_ids=[(4, self.trainer.id)]
        )
        self.assertIn("has no Zoom identity", training.zoom_sync_warning)
        self.assertIn(self.trainer.name, training.zoom_sync_warning)
        self.assertEqual(self.sandbox.panelists(self.in_zoom(training).id), [])


@tagged("post_install", "-at_install")
class TestSeatsAndLicences(HostChangeCase):
    def test_a_webinar_with_more_seats_than_the_licence_is_flagged_in_the_form(self):
        self.sandbox.user("host@example.com").webinar_capacity = 500
        training = self.zoom_training("Seats: big webinar", kind="webinar", seats_limited=True, seats_max=800)
        self.in_zoom(training)
        warning = training.zoom_capacity_warning
        self.assertIn("800 seats", warning)
        self.assertIn("500 attendees", warning)
        form = Form(training)
        form.seats_max = 450
        self.assertFalse(form.zoom_capacity_warning)
        form.seats_max = 501
        self.assertIn("501 seats", form.zoom_capacity_warning)

    def test_a_meeting_over_the_participant_capacity_is_flagged(self):
        self.sandbox.user("host@example.com").meeting_capacity = 300
        training = self.zoom_training("Seats: big meeting", kind="meeting", seats_limited=True, seats_max=350)
        self.assertIn("admits 300 per meeting", training.zoom_capacity_warning)
        small = self.zoom_training("Seats: small meeting", kind="meeting", seats_limited=True, seats_max=40)
        self.assertFalse(small.zoom_capacity_warning)

    def test_the_warnings_are_shown_to_staff_only(self):
        self.sandbox.user("host@example.com").webinar_capacity = 500
        training = self.zoom_training(
            "Seats: staff only",
            kind="webinar",
            seats_limited=True,
            seats_max=800,
            zoom_instructor_ids=[(4, self.outsider.id)],
        )
        self.outsider.sudo().zoom_email = False
        self.sync(lambda: training.write({"name": "Seats: staff only, renamed"}))
        portal = new_test_user(self.env, login="portal_reader", groups="base.group_portal")
        self.assertTrue(training.zoom_capacity_warning and training.zoom_sync_warning)
        for field in ("zoom_capacity_warning", "zoom_sync_warning"):
            self.assertNotIn(field, training.with_user(portal).fields_get())
            with self.assertRaises(AccessError):
                training.with_user(portal).read([field])

    def test_the_capacity_and_warnings_are_written_by_the_sync_only(self):
        training = self.zoom_training("Seats: written by sync", kind="meeting")
        organiser = new_test_user(self.env, login="organiser", groups="event.group_event_manager")
        meeting = training.zoom_meeting_id.with_user(organiser)
        for values in ({"host_capacity": 100000}, {"sync_warning": "fake"}):
            with self.assertRaises(AccessError):
                meeting.write(values)


@tagged("post_install", "-at_install")
class TestMovedParticipants(ZoomJoinCase):
    def test_a_trainee_moved_to_another_session_joins_the_new_one_right_after_the_save(self):
        self.env.company.zoom_emails_enabled = False
        monday = self.soon_training("Moved: Monday session", minutes=10)
        tuesday = self.soon_training("Moved: Tuesday session", minutes=20)
        registration = self.sync(
            lambda: self.env["event.registration"].create(
                {"event_id": monday.id, "partner_id": self.trainee.partner_id.id, "state": "open"}
            )
        )
        old_link = registration.zoom_join_url
        with trap_jobs() as trap:
            registration.event_id = tuesday
            trap.assert_jobs_count(2)  # the old registrant's cancellation and the new session's sync
            response = self.click_join(registration)  # the Join button before any job ran
            self.assertEqual(response.status_code, 303)
            self.assertEqual(response.headers["Location"], registration.zoom_join_url)
            self.assertNotEqual(registration.zoom_join_url, old_link)
            self.assertIn(f"/w/{tuesday.zoom_meeting_id.zoom_id}?", registration.zoom_join_url)
            for job in trap.enqueued_jobs:  # the mail job queued by the request, on its closed cursor
                job.recordset = job.recordset.with_env(self.env)
            while trap.enqueued_jobs:
                trap.perform_enqueued_jobs()
        self.assertEqual([r.status for r in self.zoom_registrants(monday)], ["cancelled"])
        self.assertEqual(
            [r.email for r in self.zoom_registrants(tuesday, "approved")], ["zoom.trainee@example.com"]
        )
        self.assertEqual(registration.zoom_sync_state, "synced")
        mails = self.env["mail.mail"].search(
            [("model", "=", "event.registration"), ("res_id", "=", registration.id)]
        )
        self.assertEqual(len(mails.filtered(lambda mail: "Zoom link" in mail.subject)), 2)

    def test_moved_trainees_are_cancelled_and_registered_by_the_syncs_of_the_save(self):
        monday = self.zoom_training("Moved: batch Monday")
        tuesday = self.zoom_training("Moved: batch Tuesday", start=datetime(2026, 12, 17, 9, 0))
        registrations = self.sync(lambda: self.register(monday, 4, prefix="moved"))
        staying, moving = registrations[:2], registrations[2:]
        self.sync(lambda: moving.write({"event_id": tuesday.id}))
        self.assertEqual(
            sorted(r.email for r in self.zoom_registrants(monday, "approved")),
            sorted(staying.mapped("email")),
        )
        self.assertEqual(len(self.zoom_registrants(monday, "cancelled")), 2)
        self.assertEqual(
            sorted(r.email for r in self.zoom_registrants(tuesday, "approved")),
            sorted(moving.mapped("email")),
        )
        by_email = {r.email: r for r in self.zoom_registrants(tuesday)}
        for registration in moving:
            self.assertEqual(registration.zoom_registrant_id, by_email[registration.email].id)

    def test_a_calendar_attendee_moved_to_another_meeting(self):
        start = datetime(2026, 12, 18, 9, 0)
        first = self.sync(
            lambda: self.calendar_event(
                name="Moved attendee: first",
                start=start,
                stop=start + timedelta(hours=1),
                partner_ids=[(4, self.host.partner_id.id), (4, self.trainee.partner_id.id)],
            )
        )
        second = self.sync(
            lambda: self.calendar_event(
                name="Moved attendee: second",
                start=start + timedelta(days=1),
                stop=start + timedelta(days=1, hours=1),
            )
        )
        attendee = first.attendee_ids.filtered(lambda a: a.partner_id == self.trainee.partner_id)
        old_link = attendee.zoom_join_url
        self.sync(lambda: attendee.write({"event_id": second.id}))
        self.assertEqual(
            [r.status for r in self.sandbox.registrants(int(first.zoom_meeting_id.zoom_id))], ["cancelled"]
        )
        self.assertEqual(attendee.zoom_sync_state, "synced")
        self.assertNotEqual(attendee.zoom_join_url, old_link)
        self.assertIn(f"/w/{second.zoom_meeting_id.zoom_id}?", attendee.zoom_join_url)


@tagged("post_install", "-at_install")
class TestCompaniesSharingAnAccount(HostChangeCase, WebhookCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Training Company B"})
        cls.host_b = new_test_user(
            cls.env,
            login="host_b",
            email="standin@example.com",
            groups="base.group_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, [cls.company_b.id])],
        )

    def setUp(self):
        super().setUp()
        self.company_b.zoom_webinars_enabled = True

    def training_of(self, company, host, topic):
        with trap_jobs() as trap:
            training = self.training(
                name=topic, zoom_conference="meeting", company_id=company.id, user_id=host.id
            )
            trap.perform_enqueued_jobs()
        self.in_zoom(training)
        return training

    def started(self, meeting, account_id=None, secret=None):
        zoom_object = {
            "id": meeting.zoom_id,
            "uuid": f"run-{meeting.id}==",
            "host_id": "x",
            "topic": meeting.name,
            "type": 2,
            "start_time": "2026-12-15T13:00:00Z",
            "duration": 90,
        }
        envelope = self.envelope("meeting.started", zoom_object, event_ts=1_765_000_000_000 + meeting.id)
        if account_id:
            envelope["payload"]["account_id"] = account_id
        self.assertEqual(self.post(envelope, secret=secret).status_code, 200)
        self.env["zoom.webhook.event"].sudo()._drain()
        self.env.invalidate_all()

    def test_a_delivery_reaches_the_company_holding_the_meeting_whichever_signed_it(self):
        self.connect_company(self.env, self.company_b)  # the same Zoom account, both connected
        training_a = self.training_of(self.env.company, self.host, "Shared account: company A")
        training_b = self.training_of(self.company_b, self.host_b, "Shared account: company B")
        self.assertEqual(training_b.zoom_meeting_id.company_id, self.company_b)
        self.started(training_b.zoom_meeting_id)
        self.assertEqual(training_b.zoom_meeting_id.zoom_status, "started")
        delivery = self.inbox(meeting_id=training_b.zoom_meeting_id.id)
        self.assertEqual((delivery.state, delivery.company_id), ("done", self.company_b))
        self.started(training_a.zoom_meeting_id)
        self.assertEqual(training_a.zoom_meeting_id.zoom_status, "started")

    def test_companies_with_their_own_accounts_never_receive_each_others_deliveries(self):
        training_a = self.training_of(self.env.company, self.host, "Own accounts: company A")
        meeting_a = training_a.zoom_meeting_id
        # company B is connected to another Zoom account, and holds a meeting with the same Zoom id there
        account_b = self.env["zoom.account"]._for_company(self.company_b)
        account_b._update_credentials(
            "other_account", "other_client", {"client_secret": "other", "webhook_secret": "other_secret"}
        )
        meeting_b = meeting_a.sudo().copy({"company_id": self.company_b.id, "zoom_id": meeting_a.zoom_id})
        self.started(meeting_b, account_id="other_account", secret="other_secret")
        self.assertEqual((meeting_a.zoom_status, meeting_b.zoom_status), ("waiting", "started"))
        meeting_b.zoom_status = "waiting"
        self.started(meeting_a)
        self.assertEqual((meeting_a.zoom_status, meeting_b.zoom_status), ("started", "waiting"))


@tagged("post_install", "-at_install")
class TestCatchUp(ZoomRegistrantCase):
    def waiting(self, training, prefix):
        with trap_jobs():  # the sync of the save is lost: the registrations wait for the catch-up
            return self.register(training, 2, prefix=prefix)

    def catch_up(self):
        with trap_jobs() as trap:
            before = self.env.cr.sql_log_count
            looked_at = self.env["zoom.meeting"]._cron_zoom_registrant_catch_up()
            queries = self.env.cr.sql_log_count - before
            jobs = len(trap.enqueued_jobs)
            while trap.enqueued_jobs:
                trap.perform_enqueued_jobs()
        return looked_at, jobs, queries

    def test_the_hourly_catch_up_looks_only_at_sessions_that_have_not_ended(self):
        now = fields.Datetime.now().replace(microsecond=0)
        upcoming = self.zoom_training("Catch-up: upcoming")
        held = self.zoom_training("Catch-up: held this morning", start=now - timedelta(hours=3))
        ended_early = self.zoom_training("Catch-up: ended early", start=now - timedelta(minutes=30))
        ended_early.zoom_meeting_id.zoom_status = "ended"  # as Zoom's meeting.ended said
        late = {t: self.waiting(t, f"late{t.id}-") for t in (upcoming, held, ended_early)}
        self.sandbox.requests.clear()
        looked_at, jobs, _queries = self.catch_up()
        sessions = (upcoming | held | ended_early).zoom_meeting_id
        self.assertEqual(looked_at & sessions, upcoming.zoom_meeting_id)
        self.assertEqual(jobs, 1)
        self.assertEqual(set(late[upcoming].mapped("zoom_sync_state")), {"synced"})
        self.assertEqual(set((late[held] | late[ended_early]).mapped("zoom_sync_state")), {"to_sync"})
        self.assertEqual(self.zoom_calls("addBatchRegistrants"), 1)

    def test_the_catch_up_costs_the_same_queries_for_one_session_or_seven(self):
        """Looking costs a fixed number of queries; each sync it queues, one (queue_job's identity check)."""
        start = datetime(2026, 12, 21, 9, 0)
        trainings = [self.zoom_training("Catch-up cost: 1", start=start)]
        self.sync(lambda: self.register(trainings[0], 2, prefix="costone-"))
        _looked, jobs, one = self.catch_up()
        self.assertEqual(jobs, 0)
        for n in range(2, 8):
            training = self.zoom_training(f"Catch-up cost: {n}", start=start)
            self.sync(lambda t=training: self.register(t, 2, prefix=f"cost{t.id}-"))
            trainings.append(training)
        _looked, jobs, seven = self.catch_up()
        self.assertEqual((jobs, seven), (0, one), "the catch-up's queries grow with the number of sessions")
        for training in trainings[:3]:
            self.waiting(training, f"late{training.id}-")
        _looked, jobs, three = self.catch_up()
        self.assertEqual(jobs, 3)
        for training in trainings[:6]:
            self.waiting(training, f"later{training.id}-")
        _looked, jobs, six = self.catch_up()
        self.assertEqual((jobs, six - three), (6, 3))
