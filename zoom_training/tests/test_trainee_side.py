"""The trainee's side, over HTTP and in their mails: their own time zone, their calendar entry (with their
own Join page), the browser way in, and the recordings of what they attended. Each as the trainee, another
portal user and a visitor."""

import base64
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .test_registrants import ZoomJoinCase

MONTREAL, BRUSSELS = "America/Montreal", "Europe/Brussels"


class TraineeCase(ZoomJoinCase):
    def setUp(self):
        super().setUp()
        self.trainee.partner_id.tz = MONTREAL

    def brussels_training(self, topic, minutes=3 * 24 * 60, **values):
        return self.soon_training(topic, minutes=minutes, date_tz=BRUSSELS, **values)

    def page(self, path, login="zoom_trainee"):
        self.authenticate(login, login)
        return self.url_open(path, allow_redirects=False)

    def invitation_of(self, mail):
        files = mail.attachment_ids.filtered(lambda attachment: attachment.name == "invitation.ics")
        self.assertEqual(len(files), 1, f"{mail.subject}: one invitation.ics expected")
        return base64.b64decode(files.datas).decode().replace("\r\n ", "")

    def mail_of(self, registration, subject_part):
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "event.registration"), ("res_id", "=", registration.id)], order="id")
        )
        found = mails.filtered(lambda mail: subject_part in (mail.subject or ""))
        self.assertTrue(found, f"no mail '{subject_part}' among {mails.mapped('subject')}")
        return found[-1]

    @staticmethod
    def line(ics, name):
        return next(line for line in ics.split("\r\n") if line.startswith(f"{name}:"))


@tagged("post_install", "-at_install")
class TestTraineeTime(TraineeCase):
    def test_a_trainee_in_montreal_reads_a_brussels_training_in_their_own_time(self):
        training = self.brussels_training("Time zones: first aid")
        self.enrol(training)
        text = self.page("/my/trainings").text
        start = training.date_begin.replace(tzinfo=None)
        montreal = fields.Datetime.context_timestamp(training.with_context(tz=MONTREAL), start)
        brussels = fields.Datetime.context_timestamp(training.with_context(tz=BRUSSELS), start)
        self.assertIn(f"({MONTREAL})", text)
        self.assertIn(f"({BRUSSELS})", text)
        self.assertIn(montreal.strftime("%B %-d, %Y"), text)
        self.assertIn(f"{montreal.strftime('%-I:%M')}", text)
        self.assertIn(f"{brussels.strftime('%-I:%M')}", text)
        self.assertNotIn(montreal.strftime("%-I:%M:%S"), text, "to the minute, not the second")

    def test_without_a_zone_of_their_own_the_browsers_is_used(self):
        self.trainee.partner_id.tz = False
        training = self.brussels_training("Time zones: browser")
        self.enrol(training)
        self.authenticate("zoom_trainee", "zoom_trainee")
        self.opener.cookies.set("tz", "Asia/Tokyo")
        text = self.url_open("/my/trainings").text
        self.assertIn("(Asia/Tokyo)", text)
        self.assertIn(f"({BRUSSELS})", text)

    def test_the_same_zone_is_named_once(self):
        self.trainee.partner_id.tz = BRUSSELS
        training = self.brussels_training("Time zones: same")
        self.enrol(training)
        text = self.page("/my/trainings").text
        self.assertIn(f"({BRUSSELS})", text)
        self.assertNotIn("Where the training is held", text)

    def test_the_too_early_page_says_when_it_opens_and_reloads_then(self):
        training = self.brussels_training("Time zones: too early", minutes=24 * 60)
        registration = self.enrol(training)
        answer = self.page(registration._zoom_join_path())
        self.assertEqual(answer.status_code, 200)
        self.assertIn("The session opens at", answer.text)
        self.assertIn(f"({MONTREAL})", answer.text)
        seconds = int(answer.text.split('data-zoom-opens-in="')[1].split('"')[0])
        self.assertAlmostEqual(seconds, (24 * 60 - 30) * 60, delta=120)


@tagged("post_install", "-at_install")
class TestTraineeCalendar(TraineeCase):
    def test_the_join_mail_carries_an_invitation_with_the_personal_join_page(self):
        training = self.brussels_training("Calendar: first aid")
        registration = self.enrol(training)
        self.env.ref("zoom_training.mail_template_zoom_join_link").send_mail(registration.id)
        mail = self.mail_of(registration, "Your Zoom link")
        ics = self.invitation_of(mail)
        join_page = registration.zoom_personal_join_url
        self.assertTrue(join_page.endswith(f"/zoom/join/registration/{registration.id}"))
        self.assertEqual(self.line(ics, "URL"), f"URL:{join_page}")
        self.assertIn(join_page, self.line(ics, "DESCRIPTION"))
        self.assertNotIn(training.zoom_meeting_id.join_url, ics, "never the meeting's generic link")
        self.assertNotIn("zoom.us", ics)
        self.assertIn("METHOD:REQUEST", ics)
        self.assertIn(f"DTSTART:{training.date_begin.strftime('%Y%m%dT%H%M%SZ')}", ics)
        body = mail.body_html
        self.assertIn("https://www.google.com/calendar/render?action=TEMPLATE", body)
        self.assertIn("https://outlook.live.com/calendar/0/deeplink/compose?", body)
        self.assertIn(f"/zoom/join/registration/{registration.id}/calendar.ics", body)
        self.assertIn(f"({MONTREAL})", body)

    def test_odoos_confirmation_and_reminder_carry_it_too(self):
        training = self.brussels_training("Calendar: Odoo's mails")
        registration = self.enrol(training)
        for xmlid in ("event.event_subscription", "event.event_reminder"):
            with self.subTest(template=xmlid):
                mail_id = self.env.ref(xmlid).send_mail(registration.id)
                mail = self.env["mail.mail"].sudo().browse(mail_id)
                self.assertIn(registration.zoom_personal_join_url, self.invitation_of(mail))

    def test_odoos_own_scheduler_sends_the_confirmation_with_the_invitation(self):
        training = self.brussels_training("Calendar: scheduled confirmation")
        self.assertIn("after_sub", training.event_mail_ids.mapped("interval_type"))
        registration = self.enrol(training)
        training.event_mail_ids.filtered(lambda mail: mail.interval_type == "after_sub").execute()
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "event.registration"), ("res_id", "=", registration.id)])
        )
        files = messages.attachment_ids.filtered(lambda attachment: attachment.name == "invitation.ics")
        self.assertTrue(files, f"no invitation among {messages.mapped('subject')}")
        self.assertIn(registration.zoom_personal_join_url, base64.b64decode(files[:1].datas).decode())

    def test_a_moved_training_updates_the_same_entry_and_a_cancelled_one_removes_it(self):
        training = self.brussels_training("Calendar: moved")
        registration = self.enrol(training)
        first = registration._zoom_ics().decode().replace("\r\n ", "")
        with trap_jobs():
            training.write(
                {
                    "date_begin": training.date_begin + timedelta(days=1),
                    "date_end": training.date_end + timedelta(days=1),
                }
            )
        moved = self.invitation_of(self.mail_of(registration, "New time for"))
        self.assertEqual(self.line(moved, "UID"), self.line(first, "UID"))
        self.assertEqual(self.line(first, "SEQUENCE"), "SEQUENCE:0")
        self.assertEqual(self.line(moved, "SEQUENCE"), "SEQUENCE:1")
        self.assertIn(f"DTSTART:{training.date_begin.strftime('%Y%m%dT%H%M%SZ')}", moved)
        with trap_jobs():
            training.name = "Calendar: moved (renamed)"  # not a move: no new revision, no mail
        self.assertEqual(training.zoom_ics_sequence, 1)
        with trap_jobs():
            registration.action_cancel()
        cancelled = self.invitation_of(self.mail_of(registration, "Cancelled:"))
        self.assertIn("METHOD:CANCEL", cancelled)
        self.assertIn("STATUS:CANCELLED", cancelled)
        self.assertEqual(self.line(cancelled, "UID"), self.line(first, "UID"))

    def test_a_cancelled_training_removes_every_trainees_entry(self):
        training = self.brussels_training("Calendar: training cancelled")
        registration = self.enrol(training)
        with trap_jobs():
            training.stage_id = self.env.ref("event.event_stage_cancelled")
        self.assertIn("METHOD:CANCEL", self.invitation_of(self.mail_of(registration, "Cancelled:")))

    def test_a_three_day_training_is_one_daily_entry_with_the_days_hours(self):
        day_one = datetime(2026, 12, 16, 8, 0)  # 09:00 in Brussels
        training = self.zoom_training("Calendar: three days", start=day_one, date_tz=BRUSSELS)
        with trap_jobs():
            training.date_end = day_one + timedelta(days=2, hours=8)  # Friday 17:00
        ics = self.enrol(training)._zoom_ics().decode().replace("\r\n ", "")
        self.assertEqual(ics.count("BEGIN:VEVENT"), 1, "one entry for the three days")
        self.assertEqual(self.line(ics, "DTSTART"), "DTSTART:20261216T080000Z")
        self.assertEqual(self.line(ics, "DTEND"), "DTEND:20261216T160000Z", "the first day ends")
        self.assertEqual(self.line(ics, "RRULE"), "RRULE:FREQ=DAILY;COUNT=3")

    def test_a_recurring_event_is_one_entry_from_each_occurrences_page(self):
        guest = self.env["res.partner"].create({"name": "Series Guest", "email": "series.guest@example.com"})
        tuesday = datetime(2026, 12, 8, 9, 0)
        partners = [(4, self.host.partner_id.id), (4, guest.id)]
        with trap_jobs():
            series = self.weekly_series("Calendar: weekly", tuesday, 3, partner_ids=partners)
        guests = series.attendee_ids.filtered(lambda attendee: attendee.partner_id == guest)
        entries = [attendee._zoom_ics().decode().replace("\r\n ", "") for attendee in guests]
        self.assertEqual(len(entries), 3)
        self.assertEqual({self.line(ics, "UID") for ics in entries}, {self.line(entries[0], "UID")})
        for ics in entries:
            self.assertEqual(self.line(ics, "DTSTART"), "DTSTART:20261208T090000Z")
            self.assertEqual(self.line(ics, "RDATE"), "RDATE:20261215T090000Z,20261222T090000Z")

    def test_only_the_trainee_downloads_their_calendar_entry(self):
        training = self.brussels_training("Calendar: download")
        registration = self.enrol(training)
        path = registration._zoom_ics_path()
        answer = self.page(path)
        self.assertEqual(answer.status_code, 200)
        self.assertTrue(answer.headers["Content-Type"].startswith("text/calendar"))
        self.assertIn(registration.zoom_personal_join_url, answer.text.replace("\r\n ", ""))
        self.assertEqual(self.page(path, login="zoom_other").status_code, 404)
        self.authenticate(None, None)
        answer = self.url_open(path, allow_redirects=False)
        self.assertIn(answer.status_code, (302, 303))
        self.assertIn("/web/login", answer.headers["Location"])


@tagged("post_install", "-at_install")
class TestTraineeBrowserLink(TraineeCase):
    def test_the_browser_link_leads_to_zooms_web_client_with_the_personal_token(self):
        training = self.soon_training("Phone: browser join")
        registration = self.enrol(training)
        app = self.click_join(registration)
        self.assertEqual(app.headers["Location"], registration.zoom_join_url)
        browser = self.url_open(f"{registration._zoom_join_path()}?via=browser", allow_redirects=False)
        self.assertEqual(browser.status_code, 303)
        zoom_id = training.zoom_meeting_id.zoom_id
        token = registration.zoom_join_url.split("?", 1)[1]
        self.assertEqual(browser.headers["Location"], f"{self.sandbox.url}/wc/join/{zoom_id}?{token}")
        other = self.click_join(registration, login="zoom_other")
        self.assertEqual(other.status_code, 404)


@tagged("post_install", "-at_install")
class TestTraineeRecordings(TraineeCase):
    def setUp(self):
        super().setUp()
        self.training = self.soon_training("Recordings: first aid")
        self.registration = self.enrol(self.training)
        self.other_registration = self.enrol(self.training, user=self.other)
        meeting = self.training.zoom_meeting_id
        start = self.training.date_begin
        meeting.sudo().write({"actual_start": start, "actual_end": start + timedelta(minutes=60)})
        self.recording = (
            self.env["zoom.recording"]
            .sudo()
            .create(
                {
                    "meeting_id": meeting.id,
                    "zoom_uuid": "run-first-aid==",
                    "topic": "Recordings: first aid",
                    "start_time": start,
                    "duration": 60,
                    "play_passcode": "s3cret",
                }
            )
        )
        self.file = (
            self.env["zoom.recording.file"]
            .sudo()
            .create(
                {
                    "recording_id": self.recording.id,
                    "file_type": "MP4",
                    "recording_type": "shared_screen_with_speaker_view",
                    "play_url": f"{self.sandbox.url}/rec/play/first-aid",
                }
            )
        )
        self.env["zoom.attendance"].sudo().create(
            [
                {
                    "meeting_id": meeting.id,
                    "segment_key": f"run-first-aid==:p{index}",
                    "instance_uuid": "run-first-aid==",
                    "participant_name": "Trainee",
                    "registration_id": self.registration.id,
                    "join_time": start + timedelta(minutes=join),
                    "leave_time": start + timedelta(minutes=leave),
                }
                for index, (join, leave) in enumerate([(0, 20), (15, 45)])
            ]
        )

    def share(self, on=True):
        self.env.company.zoom_share_recordings = on

    def test_a_trainee_finds_the_recording_of_what_they_attended_with_their_minutes(self):
        self.share()
        text = self.page("/my/trainings").text
        self.assertIn("Recordings of the sessions you attended", text)
        self.assertIn("You attended 45 min", text, "stays merged: 0-20 and 15-45")
        self.assertIn("s3cret", text)
        answer = self.page(f"/my/trainings/recording/{self.file.id}")
        self.assertEqual(answer.status_code, 303)
        self.assertEqual(answer.headers["Location"], self.file.play_url)

    def test_not_shared_not_attended_or_not_logged_in_sees_nothing(self):
        path = f"/my/trainings/recording/{self.file.id}"
        self.assertNotIn("Recordings of the sessions", self.page("/my/trainings").text)
        self.assertEqual(self.page(path).status_code, 404, "the company does not share recordings")
        self.share()
        other = self.env["zoom.recording"].with_user(self.other).search([])
        self.assertFalse(other, "registered but absent: no recording")
        self.assertNotIn("Recordings of the sessions", self.page("/my/trainings", login="zoom_other").text)
        self.assertEqual(self.page(path, login="zoom_other").status_code, 404)
        self.assertEqual(self.page("/my/trainings/recording/999999").status_code, 404)
        host_page = self.page("/my/trainings", login="host").text
        self.assertNotIn("Recordings of the sessions", host_page, "the host sees the meeting, did not attend")
        self.authenticate(None, None)
        answer = self.url_open(path, allow_redirects=False)
        self.assertIn("/web/login", answer.headers.get("Location", ""))

    def test_the_trainees_own_rpc_reads_only_what_they_attended(self):
        self.share()
        Recording = self.env["zoom.recording"]
        self.assertEqual(Recording.with_user(self.trainee).search([]), self.recording)
        self.assertEqual(self.env["zoom.recording.file"].with_user(self.trainee).search([]), self.file)
        self.assertFalse(self.env["zoom.recording.file"].with_user(self.other).search([]))
