from datetime import datetime, timedelta, timezone
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models import zoom_meeting_registrants
from .test_meetings import ZoomMeetingCase

TEST_DOMAINS = ".test,.example,.invalid,.localhost"  # example.com is the sandbox's and these tests' domain


class ZoomRegistrantCase(ZoomMeetingCase):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("zoom_training.test_email_domains", TEST_DOMAINS)

    def zoom_training(self, topic, kind="meeting", start=None, **values):
        start = start or datetime(2026, 12, 16, 9, 0)
        with trap_jobs() as trap:
            training = self.training(
                name=topic,
                zoom_conference=kind,
                date_begin=start,
                date_end=start + timedelta(hours=1),
                **values,
            )
            trap.perform_enqueued_jobs()
        self.in_zoom(training)
        return training

    def register(self, training, count, prefix="trainee", state="open"):
        return self.env["event.registration"].create(
            [
                {
                    "event_id": training.id,
                    "name": f"Trainee {number}",
                    "email": f"{prefix}{number}@example.com",
                    "state": state,
                }
                for number in range(count)
            ]
        )

    def sync(self, do):
        with trap_jobs() as trap:
            result = do()
            while trap.enqueued_jobs:
                trap.perform_enqueued_jobs()
        return result

    def zoom_registrants(self, training, status=None):
        registrants = self.sandbox.registrants(int(training.zoom_meeting_id.zoom_id))
        return [registrant for registrant in registrants if status is None or registrant.status == status]


@tagged("post_install", "-at_install")
class TestRegistrantSync(ZoomRegistrantCase):
    def test_100_registrations_become_4_batch_calls_with_a_personal_link_each(self):
        training = self.zoom_training("Batch of a hundred")
        registrations = self.sync(lambda: self.register(training, 100))
        self.assertEqual(self.zoom_calls("addBatchRegistrants"), 4)
        self.assertEqual(len(self.zoom_registrants(training, "approved")), 100)
        self.assertEqual(set(registrations.mapped("zoom_sync_state")), {"synced"})
        self.assertEqual(len(set(registrations.mapped("zoom_join_url"))), 100)
        by_email = {r.email: r for r in self.zoom_registrants(training)}
        for registration in registrations:
            self.assertEqual(by_email[registration.email].id, registration.zoom_registrant_id)
        batch = next(e for e in self.sandbox.requests.entries if e.operation == "addBatchRegistrants")
        self.assertIs(batch.request_json["auto_approve"], True)
        self.assertIs(batch.request_json["registrants_confirmation_email"], False)

    def test_300_registrations_on_a_webinar_take_10_batch_calls(self):
        training = self.zoom_training("Webinar of three hundred", kind="webinar")
        registrations = self.sync(lambda: self.register(training, 300))
        self.assertEqual(self.zoom_calls("addBatchWebinarRegistrants"), 10)
        self.assertEqual(len(self.zoom_registrants(training, "approved")), 300)
        self.assertEqual(len(set(registrations.mapped("zoom_join_url"))), 300)

    def test_the_one_registrant_zoom_refuses_in_a_batch_is_flagged_and_the_others_are_registered(self):
        training = self.zoom_training("One refused in the batch")
        self.sandbox.refused_emails.add("trainee2@example.com")
        self.addCleanup(self.sandbox.refused_emails.clear)
        registrations = self.sync(lambda: self.register(training, 4))
        refused = registrations.filtered(lambda registration: registration.email == "trainee2@example.com")
        self.assertEqual(refused.zoom_sync_state, "flagged")
        self.assertIn("Invalid field", refused.zoom_sync_error)
        self.assertFalse(refused.zoom_join_url)
        others = registrations - refused
        self.assertEqual(set(others.mapped("zoom_sync_state")), {"synced"})
        self.assertEqual(
            sorted(r.email for r in self.zoom_registrants(training, "approved")),
            sorted(others.mapped("email")),
        )
        self.assertEqual(len(set(others.mapped("zoom_join_url"))), 3)

    def test_enrolments_arriving_together_are_one_batch(self):
        training = self.zoom_training("Burst of enrolments")
        with trap_jobs() as trap:
            for number in range(5):
                self.register(training, 1, prefix=f"burst{number}-")
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
        self.assertEqual(self.zoom_calls("addBatchRegistrants"), 1)
        self.assertEqual(len(self.zoom_registrants(training, "approved")), 5)

    def test_registrations_made_before_the_meeting_exists_follow_its_creation(self):
        with trap_jobs() as trap:
            training = self.training(name="Registered early", zoom_conference="meeting")
            registrations = self.register(training, 3)
            while trap.enqueued_jobs:
                trap.perform_enqueued_jobs()
        self.assertEqual(set(registrations.mapped("zoom_sync_state")), {"synced"})
        self.assertEqual(len(self.zoom_registrants(training, "approved")), 3)

    def mails_with_links(self, registrations):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "event.registration"),
                ("res_id", "in", registrations.ids),
                ("subject", "like", "Zoom link"),
            ]
        )

    def test_without_zoom_emails_odoo_mails_each_personal_link_once(self):
        self.env.company.zoom_emails_enabled = False
        training = self.zoom_training("Odoo sends the links")
        registrations = self.sync(lambda: self.register(training, 3))
        mails = self.mails_with_links(registrations)
        self.assertEqual(sorted(mails.mapped("res_id")), sorted(registrations.ids))
        self.assertIn(
            f"/zoom/join/registration/{registrations[0].id}",
            mails.filtered(lambda mail: mail.res_id == registrations[0].id).body_html,
        )
        self.sync(lambda: registrations[0].write({"name": "Trainee renamed"}))
        self.assertEqual(len(self.mails_with_links(registrations)), 3, "a link was mailed twice")

    def test_the_links_are_mailed_by_one_job_after_the_sync_not_during_it(self):
        self.env.company.zoom_emails_enabled = False
        training = self.zoom_training("Links mailed after")
        with trap_jobs() as trap:
            registrations = self.register(training, 40)
            trap.perform_enqueued_jobs()  # the registrant sync: two batch calls to Zoom
            self.assertEqual(set(registrations.mapped("zoom_sync_state")), {"synced"})
            self.assertFalse(self.mails_with_links(registrations), "mails rendered inside the sync")
            mail_jobs = [job for job in trap.enqueued_jobs if job.method_name == "_zoom_link_ready"]
            self.assertEqual(len(mail_jobs), 1)
            self.assertEqual(mail_jobs[0].recordset, registrations)
            trap.perform_enqueued_jobs()
        self.assertEqual(len(self.mails_with_links(registrations)), 40)

    def test_many_links_are_mailed_by_jobs_of_a_bounded_size(self):
        self.env.company.zoom_emails_enabled = False
        training = self.zoom_training("Links mailed in parts")
        with trap_jobs() as trap, patch.object(zoom_meeting_registrants, "MAIL_JOB_SIZE", 25):
            registrations = self.register(training, 40)
            trap.perform_enqueued_jobs()
            mail_jobs = [job for job in trap.enqueued_jobs if job.method_name == "_zoom_link_ready"]
            self.assertEqual([len(job.recordset) for job in mail_jobs], [25, 15])
            self.assertEqual(sum((job.recordset for job in mail_jobs), registrations.browse()), registrations)
            trap.perform_enqueued_jobs()
        self.assertEqual(len(self.mails_with_links(registrations)), 40)

    def test_with_zoom_emails_odoo_sends_no_second_mail(self):
        self.env.company.zoom_emails_enabled = True
        training = self.zoom_training("Zoom mails the links")
        registrations = self.sync(lambda: self.register(training, 2))
        self.assertFalse(self.mails_with_links(registrations))

    def test_zoom_emails_switch_reaches_batch_registration(self):
        self.env.company.zoom_emails_enabled = True
        training = self.zoom_training("Zoom sends the emails")
        self.sync(lambda: self.register(training, 2))
        batch = next(e for e in self.sandbox.requests.entries if e.operation == "addBatchRegistrants")
        self.assertIs(batch.request_json["registrants_confirmation_email"], True)

    def test_a_cancelled_registration_is_cancelled_in_zoom_and_its_link_dies(self):
        training = self.zoom_training("Cancel one")
        registrations = self.sync(lambda: self.register(training, 3))
        leaving = registrations[1]
        self.sync(leaving.action_cancel)
        self.assertEqual(self.zoom_calls("meetingRegistrantStatus"), 1)
        status = next(e for e in self.sandbox.requests.entries if e.operation == "meetingRegistrantStatus")
        self.assertEqual(status.request_json["action"], "cancel")
        statuses = {r.email: r.status for r in self.zoom_registrants(training)}
        self.assertEqual(statuses[leaving.email], "cancelled")
        self.assertEqual(statuses[registrations[0].email], "approved")
        self.assertEqual(leaving.zoom_sync_state, "cancelled")
        self.assertFalse(leaving._zoom_personal_link())
        # registered again: approved again, with the same link
        self.sync(leaving.action_confirm)
        self.assertEqual(
            {r.email: r.status for r in self.zoom_registrants(training)}[leaving.email], "approved"
        )
        self.assertEqual(leaving.zoom_sync_state, "synced")
        self.assertEqual(self.zoom_calls("addBatchRegistrants"), 1)

    def test_a_deleted_registration_is_cancelled_in_zoom(self):
        training = self.zoom_training("Delete one")
        registrations = self.sync(lambda: self.register(training, 2))
        gone_email = registrations[0].email
        self.sync(registrations[0].unlink)
        statuses = {r.email: r.status for r in self.zoom_registrants(training)}
        self.assertEqual(statuses, {gone_email: "cancelled", registrations[1].email: "approved"})

    def test_draft_registrations_wait(self):
        training = self.zoom_training("Drafts wait")
        draft = self.sync(lambda: self.register(training, 1, state="draft"))
        self.assertEqual(draft.zoom_sync_state, "none")
        self.assertEqual(self.zoom_registrants(training), [])
        self.sync(draft.action_confirm)
        self.assertEqual(draft.zoom_sync_state, "synced")

    def test_a_second_run_sends_nothing(self):
        training = self.zoom_training("Idempotent")
        self.sync(lambda: self.register(training, 4))
        self.sandbox.requests.clear()
        self.sync(lambda: training.zoom_meeting_id._zoom_sync_registrants())
        self.assertEqual(len(self.sandbox.requests.entries), 0)

    def test_calendar_attendees_are_registered_except_the_hosts(self):
        guest = self.env["res.partner"].create({"name": "Guest Person", "email": "guest@example.com"})
        event = self.sync(
            lambda: self.calendar_event(
                name="Calendar registrants",
                partner_ids=[
                    (4, self.host.partner_id.id),
                    (4, self.trainer.partner_id.id),
                    (4, guest.id),
                ],
            )
        )
        registrants = self.sandbox.registrants(int(event.zoom_meeting_id.zoom_id))
        self.assertEqual([r.email for r in registrants], ["guest@example.com"])
        attendee = event.attendee_ids.filtered(lambda a: a.partner_id == guest)
        self.assertEqual(attendee.zoom_sync_state, "synced")
        self.assertTrue(attendee.zoom_join_url)
        host_attendee = event.attendee_ids.filtered(lambda a: a.partner_id == self.host.partner_id)
        self.assertEqual(host_attendee.zoom_sync_state, "none")
        # removed from the event: cancelled in Zoom
        self.sync(lambda: event.write({"partner_ids": [(3, guest.id)]}))
        self.assertEqual(self.sandbox.registrants(int(event.zoom_meeting_id.zoom_id))[0].status, "cancelled")

    def test_a_recurring_series_registers_each_person_once_without_batches(self):
        guest = self.env["res.partner"].create({"name": "Series Guest", "email": "series.guest@example.com"})
        tuesday = datetime(2026, 12, 8, 9, 0)
        partners = [(4, self.host.partner_id.id), (4, guest.id)]
        series = self.sync(lambda: self.weekly_series("Weekly registrants", tuesday, 4, partner_ids=partners))
        self.assertEqual(self.sandbox.meeting(int(series.zoom_meeting_id.zoom_id)).type, 8)
        self.assertEqual(self.zoom_calls("addBatchRegistrants"), 0)
        self.assertEqual(self.zoom_calls("meetingRegistrantCreate"), 1)
        guests = series.attendee_ids.filtered(lambda a: a.partner_id == guest)
        self.assertEqual(len(guests), 4)
        self.assertEqual(set(guests.mapped("zoom_sync_state")), {"synced"})
        self.assertEqual(len(set(guests.mapped("zoom_registrant_id"))), 1)


@tagged("post_install", "-at_install")
class TestRegistrantBadData(ZoomRegistrantCase):
    def test_bad_emails_are_flagged_and_the_others_still_sync(self):
        training = self.zoom_training("Bad data")
        good = self.register(training, 3)
        bad = self.env["event.registration"].create(
            [
                {"event_id": training.id, "name": "No At", "email": "not-an-email"},
                {"event_id": training.id, "name": "Tester", "email": "someone@mail.test"},
                {"event_id": training.id, "name": "Twice", "email": "trainee0@example.com"},
            ]
        )
        self.sync(training.zoom_meeting_id._zoom_enqueue_registrant_sync)
        self.assertEqual(set(good.mapped("zoom_sync_state")), {"synced"})
        self.assertEqual(bad.mapped("zoom_sync_state"), ["flagged"] * 3)
        self.assertIn("Invalid email", bad[0].zoom_sync_error)
        self.assertIn("Test email", bad[1].zoom_sync_error)
        self.assertIn("Same email", bad[2].zoom_sync_error)
        self.assertEqual(len(self.zoom_registrants(training)), 3)
        self.assertEqual(self.zoom_calls("addBatchRegistrants"), 1)
        # fixed: sent
        self.sync(lambda: bad[0].write({"email": "fixed@example.com"}))
        self.assertEqual(bad[0].zoom_sync_state, "synced")

    def test_an_overlong_address_is_flagged_before_zoom_sees_it(self):
        training = self.zoom_training("Overlong address")
        registrations = self.register(training, 3)
        registrations[1].write({"name": "x" * 100})  # names are cut to Zoom's 64 characters
        long_local = "a" * 120 + "@example.com"  # over Zoom's 128 characters, caught before sending
        registrations[2].write({"email": long_local})
        self.sync(training.zoom_meeting_id._zoom_enqueue_registrant_sync)
        self.assertEqual(registrations.mapped("zoom_sync_state"), ["synced", "synced", "flagged"])

    def test_the_test_domains_are_a_system_parameter(self):
        self.env["ir.config_parameter"].sudo().set_param("zoom_training.test_email_domains", "example.com")
        training = self.zoom_training("Example is a test domain")
        registration = self.sync(lambda: self.register(training, 1))
        self.assertEqual(registration.zoom_sync_state, "flagged")
        self.assertEqual(self.zoom_calls("addBatchRegistrants"), 0)


@tagged("post_install", "-at_install")
class TestRegistrantQuota(ZoomRegistrantCase):
    def setUp(self):
        super().setUp()
        self.sandbox.limits.enabled = True
        self.sandbox.limits.reset()
        self.addCleanup(setattr, self.sandbox.limits, "enabled", False)

    def test_the_per_registrant_daily_limit_holds_one_and_the_others_go_on(self):
        training = self.zoom_training("Quota of three")
        registrations = self.sync(lambda: self.register(training, 3))
        zoom_id = training.zoom_meeting_id.zoom_id
        spent = registrations[0]
        # Someone else used this person's 3 daily adds in Zoom (Zoom's limit is per email and meeting).
        for _number in range(3):
            self.sandbox.limits.spend_quota(("registrant_add", int(zoom_id), spent.email.lower()))
        self.sync(
            lambda: registrations.write({"zoom_registrant_id": False, "zoom_registrant_approved": False})
        )
        self.sandbox.requests.clear()
        self.sync(training.zoom_meeting_id._zoom_enqueue_registrant_sync)
        self.assertEqual(spent.zoom_sync_state, "quota")
        self.assertIn("Waiting for Zoom quota", spent.zoom_sync_error)
        midnight = datetime.now(timezone.utc).replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
        self.assertEqual(spent.zoom_quota_until, midnight + timedelta(days=1))
        self.assertEqual(set((registrations - spent).mapped("zoom_sync_state")), {"synced"})
        self.assertEqual(self.zoom_calls("addBatchRegistrants"), 2)  # refused once, then without them
        # the quota resets at 00:00 UTC: the catch-up registers them
        self.sandbox.clock.advance(24 * 3600)
        spent.zoom_quota_until = fields.Datetime.now() - timedelta(minutes=1)
        self.sync(self.env["zoom.meeting"]._cron_zoom_registrant_catch_up)
        self.assertEqual(spent.zoom_sync_state, "synced")

    def test_300_registrations_under_zooms_rate_limits(self):
        training = self.zoom_training("Three hundred, rate limited", kind="webinar")
        registrations = self.sync(lambda: self.register(training, 300, prefix="limited"))
        self.assertEqual(len(self.zoom_registrants(training, "approved")), 300)
        self.assertEqual(set(registrations.mapped("zoom_sync_state")), {"synced"})
        accepted = [
            entry
            for entry in self.sandbox.requests.entries
            if entry.operation == "addBatchWebinarRegistrants" and entry.status in (200, 201)
        ]
        self.assertEqual(len(accepted), 10)


class ZoomJoinCase(ZoomRegistrantCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.trainee = new_test_user(
            cls.env, login="zoom_trainee", email="zoom.trainee@example.com", groups="base.group_portal"
        )
        cls.other = new_test_user(
            cls.env, login="zoom_other", email="zoom.other@example.com", groups="base.group_portal"
        )

    def soon_training(self, topic, minutes=5, **values):
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(minutes=minutes)
        return self.zoom_training(topic, start=start, **values)

    def enrol(self, training, user=None, state="open"):
        user = user or self.trainee
        with trap_jobs():  # the job is left unperformed: only the click registers
            return self.env["event.registration"].create(
                {"event_id": training.id, "partner_id": user.partner_id.id, "state": state}
            )

    def click_join(self, registration, login="zoom_trainee"):
        self.authenticate(login, login)
        return self.url_open(f"/zoom/join/registration/{registration.id}", allow_redirects=False)


@tagged("post_install", "-at_install")
class TestJoin(ZoomJoinCase):
    def test_enrolled_5_minutes_before_start_joins_from_the_portal(self):
        training = self.soon_training("Late enrolment")
        registration = self.enrol(training)
        self.assertFalse(registration.zoom_registrant_id)
        response = self.click_join(registration)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(registration.zoom_sync_state, "synced")
        self.assertEqual(response.headers["Location"], registration.zoom_join_url)
        self.assertNotEqual(registration.zoom_join_url, training.zoom_join_url)
        self.assertEqual([r.email for r in self.zoom_registrants(training)], ["zoom.trainee@example.com"])
        # a second click: the same link, nothing sent
        self.sandbox.requests.clear()
        self.assertEqual(self.click_join(registration).headers["Location"], registration.zoom_join_url)
        self.assertEqual(len(self.sandbox.requests.entries), 0)

    def test_the_join_page_waits_for_the_window(self):
        training = self.soon_training("Tomorrow's session", minutes=24 * 60)
        registration = self.enrol(training)
        response = self.click_join(registration)
        self.assertEqual(response.status_code, 200)
        self.assertIn("The session opens at", response.text)
        self.assertEqual(self.zoom_registrants(training), [])

    def test_a_calendar_events_video_call_link_leads_each_to_their_own(self):
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(minutes=10)
        event = self.sync(
            lambda: self.calendar_event(
                name="Calendar join",
                start=start,
                stop=start + timedelta(hours=1),
                partner_ids=[(4, self.host.partner_id.id), (4, self.trainee.partner_id.id)],
            )
        )
        self.assertNotEqual(event.videocall_location, event.zoom_join_url)
        attendee = event.attendee_ids.filtered(lambda a: a.partner_id == self.trainee.partner_id)
        self.authenticate("zoom_trainee", "zoom_trainee")
        response = self.url_open(f"/zoom/join/event/{event.id}", allow_redirects=False)
        self.assertTrue(response.headers["Location"].endswith(f"/zoom/join/attendee/{attendee.id}"))
        response = self.url_open(response.headers["Location"], allow_redirects=False)
        self.assertEqual(response.headers["Location"], attendee.zoom_join_url)
        self.authenticate("host", "host")
        response = self.url_open(f"/zoom/join/event/{event.id}", allow_redirects=False)
        self.assertEqual(response.headers["Location"], event.zoom_join_url)

    def test_someone_elses_registration_is_not_found(self):
        training = self.soon_training("Not yours")
        registration = self.enrol(training)
        self.assertEqual(self.click_join(registration, login="zoom_other").status_code, 404)

    def test_the_personal_link_placeholder_is_odoos_join_route(self):
        training = self.soon_training("Placeholder")
        registration = self.enrol(training)
        self.assertTrue(
            registration.zoom_personal_join_url.endswith(f"/zoom/join/registration/{registration.id}")
        )
        rendered = self.env["mail.render.mixin"]._render_template(
            "{{ object.zoom_personal_join_url }}",
            "event.registration",
            registration.ids,
            engine="inline_template",
        )
        self.assertEqual(rendered[registration.id], registration.zoom_personal_join_url)
        template = self.env.ref("zoom_training.mail_template_zoom_join_link")
        body = template._render_field("body_html", registration.ids)[registration.id]
        self.assertIn(registration.zoom_personal_join_url, body)
        self.assertNotIn(training.zoom_join_url, body)

    def test_my_trainings_lists_a_join_button(self):
        training = self.soon_training("Portal list")
        self.enrol(training)
        self.authenticate("zoom_trainee", "zoom_trainee")
        page = self.url_open("/my/trainings")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Portal list", page.text)
        self.assertIn(">Join</a>", page.text)


@tagged("post_install", "-at_install")
class TestAccessValidation(ZoomJoinCase):
    def setUp(self):
        super().setUp()
        self.env.company.zoom_access_validation = True

    def test_a_registration_is_held_until_access_is_granted(self):
        training = self.soon_training("Access held")
        registration = self.enrol(training, state="draft")
        self.sync(training.zoom_meeting_id._zoom_enqueue_registrant_sync)
        self.assertEqual(registration.zoom_sync_state, "held")
        self.assertEqual(self.zoom_registrants(training), [])
        response = self.click_join(registration)
        self.assertIn("See requirements", response.text)
        self.assertIn("Your registration is not confirmed yet.", response.text)
        self.assertIn("See requirements", self.url_open("/my/trainings").text)
        self.assertEqual(self.zoom_registrants(training), [])
        self.sync(registration.action_confirm)
        self.assertEqual(registration.zoom_sync_state, "synced")
        self.assertEqual(len(self.zoom_registrants(training, "approved")), 1)

    def test_other_addons_add_requirements(self):
        training = self.soon_training("Unpaid")
        registration = self.enrol(training)
        Registration = type(self.env["event.registration"])
        with patch.object(Registration, "_zoom_access_requirements", lambda self: ["Pay the training fee."]):
            self.sync(training.zoom_meeting_id._zoom_enqueue_registrant_sync)
            self.assertEqual(registration.zoom_sync_state, "held")
            self.assertIn("Pay the training fee.", self.click_join(registration).text)
        self.assertEqual(self.zoom_registrants(training), [])
        self.assertEqual(self.click_join(registration).status_code, 303)

    def test_a_training_can_turn_validation_off(self):
        training = self.soon_training("No validation here", zoom_access_validation="off")
        registration = self.enrol(training)
        self.sync(training.zoom_meeting_id._zoom_enqueue_registrant_sync)
        self.assertEqual(registration.zoom_sync_state, "synced")


@tagged("post_install", "-at_install")
class TestSyncMoments(ZoomJoinCase):
    def test_login_syncs_the_users_upcoming_registrations(self):
        training = self.soon_training("Login sync", minutes=24 * 60)
        registration = self.enrol(training)
        with trap_jobs() as trap:
            self.env["res.users"].with_user(self.trainee)._update_last_login()
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
        self.assertEqual(registration.zoom_sync_state, "synced")
        with trap_jobs() as trap:
            self.env["res.users"].with_user(self.trainee)._update_last_login()
            trap.assert_jobs_count(0)

    def test_the_pre_event_window_registers_sessions_about_to_start(self):
        self.env.company.zoom_pre_event_sync_minutes = 60
        soon = self.soon_training("Starts in half an hour", minutes=30)
        later = self.soon_training("Starts in three hours", minutes=180)
        soon_registration, later_registration = self.enrol(soon), self.enrol(later)
        self.sync(self.env["zoom.meeting"]._cron_zoom_pre_event_registrants)
        self.assertEqual(soon_registration.zoom_sync_state, "synced")
        self.assertEqual(later_registration.zoom_sync_state, "to_sync")
