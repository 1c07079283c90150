"""A visitor signs up for a training held on Zoom on its event page, in a real browser; the confirmation and
reminder mails carry their own Join button; nobody else can see or obtain their link."""

import re
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.zoom_training.tests.test_registrants import ZoomJoinCase
from odoo.addons.zoom_training.tests.test_tours import TourCase

SIGNED_LINK = re.compile(r"/zoom/join/registration/(\d+)/([0-9a-f]{64})")


@tagged("post_install", "-at_install")
class TestWebsiteSignup(ZoomJoinCase, TourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.organiser = new_test_user(
            cls.env, login="zoom_organiser", email="organiser@example.com", groups="event.group_event_user"
        )

    def published_training(self, topic, minutes=10):
        training = self.soon_training(topic, minutes=minutes, user_id=self.host.id)
        training.write({"website_published": True, "date_end": training.date_begin + timedelta(hours=2)})
        return training

    def mails_to(self, email):
        self.env.invalidate_all()
        return self.env["mail.mail"].sudo().search([("email_to", "ilike", email)], order="id")

    def signed_links(self, mails):
        return [SIGNED_LINK.search(mail.body_html or "") for mail in mails]

    def test_a_visitor_signs_up_and_joins_with_the_link_of_the_confirmation_mail(self):
        training = self.published_training("Website sign-up, Zoom")
        self.start_tour(f"/event/{training.id}/register", "zoom_training_website_signup")

        vera = self.env["event.registration"].search(
            [("event_id", "=", training.id), ("email", "=", "vera.visitor@example.com")]
        )
        self.assertEqual(
            (len(vera), vera.state, vera.partner_id.user_ids), (1, "open", self.env["res.users"])
        )
        confirmation = self.mails_to("vera.visitor@example.com")
        self.assertEqual(len(confirmation), 1, "the event's confirmation mail, sent at once")
        self.assertIn("Join on Zoom", confirmation.body_html)
        link = self.signed_links(confirmation)[0]
        self.assertTrue(link, "the confirmation mail carries the signed Join link")
        self.assertEqual(int(link.group(1)), vera.id)

        self.perform_pending_jobs()  # the queue's runner, after the sign-up's request
        registrants = self.zoom_registrants(training)
        self.assertEqual([r.email for r in registrants], ["vera.visitor@example.com"])
        self.assertEqual(vera.zoom_sync_state, "synced")
        self.assertEqual(vera.zoom_registrant_id, registrants[0].id)

        self.logout()
        answer = self.url_open(link.group(0), allow_redirects=False)
        self.assertEqual(answer.status_code, 303, "open 10 minutes before the start: straight to Zoom")
        self.assertEqual(answer.headers["Location"], vera.sudo().zoom_join_url)

    def test_nobody_else_sees_or_obtains_a_visitor_s_link(self):
        training = self.published_training("Website sign-up, security")
        self.start_tour(f"/event/{training.id}/register", "zoom_training_website_signup")
        vera = self.env["event.registration"].search([("event_id", "=", training.id)])
        other = self.sync(
            lambda: self.env["event.registration"].create(
                {"event_id": training.id, "name": "Otto", "email": "otto@example.com"}
            )
        )
        self.perform_pending_jobs()
        token = vera._zoom_join_token()
        self.logout()
        for path in (
            f"/zoom/join/registration/{other.id}/{token}",  # someone else's registration, Vera's token
            f"/zoom/join/registration/{vera.id}/{token[:-1]}0",  # a token guessed
            f"/zoom/join/registration/{vera.id}/x",
            f"/zoom/join/registration/999999/{token}",
        ):
            answer = self.url_open(path, allow_redirects=False)
            self.assertEqual(answer.status_code, 404, path)
        unsigned = self.url_open(f"/zoom/join/registration/{other.id}", allow_redirects=False)
        self.assertEqual(unsigned.status_code, 303)
        self.assertIn("/web/login", unsigned.headers["Location"], "the plain Join path asks for a login")
        # another visitor names Vera's registration on the success page: no Join link shown
        page = self.url_open(f"/event/{training.id}/registration/success?registration_ids={vera.id}")
        self.assertNotIn(token, page.text)
        self.assertNotIn("o_zoom_signup_join_link", page.text)
        # the email changed: the old link stops working
        vera.sudo().email = "vera.new@example.com"
        self.assertEqual(self.url_open(f"/zoom/join/registration/{vera.id}/{token}").status_code, 404)
        # an organiser reads the registration: the plain path, never the signed one
        shown = vera.with_user(self.organiser).zoom_personal_join_url
        self.assertTrue(shown.endswith(f"/zoom/join/registration/{vera.id}"), shown)
        for registration in (vera, other):
            self.assertNotIn(registration.sudo().zoom_join_url, page.text)

    def test_reminders_of_the_mail_schedule_carry_the_join_button(self):
        training = self.published_training("Website sign-up, reminders")
        people = self.sync(
            lambda: self.env["event.registration"].create(
                [
                    {"event_id": training.id, "name": "Rita", "email": "rita@example.com"},
                    {"event_id": training.id, "name": "Portal", "partner_id": self.trainee.partner_id.id},
                ]
            )
        )
        rita, portal = people
        reminders = training.event_mail_ids.filtered(lambda m: m.interval_type == "before_event")
        self.assertTrue(reminders, "the event's default schedule has reminders")
        reminders.write({"scheduled_date": fields.Datetime.now() - timedelta(minutes=1)})
        with trap_jobs():
            reminders.execute()
        rita_mails = self.mails_to("rita@example.com")
        event_mails = rita_mails.filtered(lambda mail: "Join on Zoom" in mail.body_html)
        self.assertEqual(len(event_mails), 1 + len(reminders), "the confirmation, then each reminder")
        links = self.signed_links(rita_mails)  # and the Zoom link mail sent once Zoom registered her
        self.assertTrue(all(link and int(link.group(1)) == rita.id for link in links))
        portal_mails = self.mails_to("zoom.trainee@example.com")
        self.assertTrue(portal_mails)
        for mail in portal_mails:
            # a trainee with a login gets the plain Join path: no signed link to forward
            self.assertFalse(SIGNED_LINK.search(mail.body_html))
            self.assertIn(f"/zoom/join/registration/{portal.id}", mail.body_html)

    def test_a_training_not_on_zoom_keeps_its_mails_as_they_are(self):
        training = self.env["event.event"].create(
            {
                "name": "On site only",
                "date_begin": fields.Datetime.now() + timedelta(days=1),
                "date_end": fields.Datetime.now() + timedelta(days=1, hours=2),
            }
        )
        self.env["event.registration"].create(
            {"event_id": training.id, "name": "Sam", "email": "sam@example.com"}
        )
        mails = self.mails_to("sam@example.com")
        self.assertTrue(mails)
        self.assertNotIn("Join on Zoom", mails[0].body_html)

    def test_before_the_window_the_visitor_reads_when_it_opens(self):
        training = self.published_training("Website sign-up, too early", minutes=2 * 24 * 60)
        visitor = self.sync(
            lambda: self.env["event.registration"].create(
                {"event_id": training.id, "name": "Early Eve", "email": "early.eve@example.com"}
            )
        )
        page = self.url_open(visitor.sudo()._zoom_signed_join_path(), allow_redirects=False)  # not logged in
        self.assertEqual(page.status_code, 200)
        self.assertIn("The session opens at", page.text)
        self.assertNotIn(visitor.sudo().zoom_join_url, page.text)
