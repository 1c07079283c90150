"""The product in a real browser (headless Chromium) against the Zoom sandbox: what an administrator, a
trainer and a trainee see. With ZOOM_TRAINING_SCREENSHOTS=<folder> set (`make screenshots`), each tour leaves
a screenshot of the screen it ends on, the ones the README shows."""

import base64
import os
import re
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser, _find_executable

from odoo.addons.queue_job.job import Job

from .common import ZoomSandboxCase
from .test_registrants import ZoomJoinCase
from .test_trainee_side import TraineeCase
from .test_webhook_end_to_end import MeetingRunCase

SCREENSHOTS_ENV = "ZOOM_TRAINING_SCREENSHOTS"
SCREENSHOTS = {  # README's pictures, each the last screen of a tour
    "settings_connected": "Settings → Zoom after Test connection",
    "training_join_link": "A training with its Zoom Webinar and join link",
    "portal_join": "The trainee's portal with the Join button",
    "portal_requirements": "Access validation: See requirements",
    "attendance": "Attendance after a meeting",
    "join_page_fr": "The Join page in French, before the session opens",
    "cockpit": "The Zoom cockpit",
    "portal_phone": "The trainee's trainings on a phone (390 px): their time, the app and the browser",
    "join_page_phone": "The Join page on a phone, before the session opens, in the trainee's time",
}


class TourCase(HttpCase):
    @contextmanager
    def screenshot(self, name):
        """The tour's last screen saved as <name>.png when screenshots are asked for."""
        folder = os.environ.get(SCREENSHOTS_ENV)
        if not folder:
            yield
            return
        assert name in SCREENSHOTS, name
        original_stop = ChromeBrowser.stop

        def capture_then_stop(browser):
            answer = browser._websocket_request(
                "Page.captureScreenshot", params={"format": "png"}, timeout=20
            )
            Path(folder).mkdir(parents=True, exist_ok=True)
            (Path(folder) / f"{name}.png").write_bytes(base64.b64decode(answer["data"]))
            original_stop(browser)

        with patch.object(ChromeBrowser, "stop", capture_then_stop):
            yield

    def perform_pending_jobs(self):
        """What queue_job's runner would do after the request: the jobs it left, in order."""
        self.env.invalidate_all()
        for _round in range(5):
            pending = self.env["queue.job"].sudo().search([("state", "=", "pending")], order="id")
            if not pending:
                return
            for record in pending:
                Job.load(self.env, record.uuid).perform()
                record.state = "done"
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestTheBrowserIsThere(TourCase):
    """Without Chromium or websocket-client Odoo skips every tour with a mere warning: fail loudly instead."""

    def test_chromium_and_websocket_client_are_installed(self):
        try:
            import websocket  # noqa: F401  (what Odoo's ChromeBrowser talks through)
        except ImportError:
            self.fail("websocket-client is missing from the virtualenv: run `make setup`.")
        try:
            self.assertTrue(_find_executable())
        except Exception:  # Odoo raises a bare Exception when no Chrome is found
            self.fail("No Chromium found: `apt-get install chromium` (scripts/setup.sh does it as root).")

    def test_every_screenshot_of_the_readme_comes_from_a_tour(self):
        readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
        shown = set(re.findall(r"docs/screenshots/([a-z_]+)\.png", readme))
        self.assertEqual(shown, set(SCREENSHOTS), "README and tours disagree on the screenshots")
        folder = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
        missing = [name for name in SCREENSHOTS if not (folder / f"{name}.png").is_file()]
        self.assertFalse(missing, "run `make screenshots`")


@tagged("post_install", "-at_install")
class TestAdminTours(ZoomSandboxCase, TourCase):
    def setUp(self):
        super().setUp()
        self.point_odoo_at_sandbox(self.env)
        self.forget_tokens()

    def test_an_admin_connects_zoom_and_tests_the_connection(self):
        with self.screenshot("settings_connected"):
            self.start_tour("/odoo/settings#zoom_training", "zoom_training_admin_connects", login="admin")
        account = self.env["zoom.account"]._for_company(self.env.company)
        self.assertEqual(account.connection_state, "connected")
        self.assertEqual(account.client_id, "sandbox_client_id")

    def test_a_wrong_secret_is_explained_in_plain_words(self):
        self.connect_company(self.env)
        self.start_tour("/odoo/settings#zoom_training", "zoom_training_admin_wrong_secret", login="admin")
        account = self.env["zoom.account"]._for_company(self.env.company)
        self.assertEqual(account.connection_state, "error")


@tagged("post_install", "-at_install")
class TestCockpitTour(ZoomJoinCase, TourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            login="zoom_tour_operator",
            email="operator@example.com",
            groups="base.group_user,zoom_training.group_zoom_manager",
        )

    def test_the_cockpit_shows_a_failed_job_and_zooms_quota(self):
        self.sandbox.limits.enabled = True
        self.sandbox.limits.reset()
        self.addCleanup(setattr, self.sandbox.limits, "enabled", False)
        training = self.zoom_training("Tour training: a full day", kind="webinar")
        self.sync(lambda: self.register(training, 40, prefix="tour.quota"))
        delayed = self.env["zoom.meeting"].with_delay(channel="root.zoom")._cron_zoom_pick_up_stranded()
        delayed.db_record().write({"state": "failed", "exc_info": "Zoom could not be reached"})
        with self.screenshot("cockpit"):
            self.start_tour(
                "/odoo/action-zoom_training.zoom_cockpit_action",
                "zoom_training_admin_opens_the_cockpit",
                login="zoom_tour_operator",
            )

    def test_a_zoom_administrator_finds_why_a_trainee_got_no_link_in_three_clicks(self):
        training = self.zoom_training("Tour training: the typo")
        self.register(training, 2, prefix="tour.cockpit")
        self.env["event.registration"].create(
            {"event_id": training.id, "name": "Typo Trainee", "email": "typo.example.com"}
        )
        self.sync(training.zoom_meeting_id._zoom_enqueue_registrant_sync)
        self.start_tour("/odoo", "zoom_training_admin_finds_why_no_link", login="zoom_tour_operator")


@tagged("post_install", "-at_install")
class TestTrainerTour(ZoomSandboxCase, TourCase):
    def setUp(self):
        super().setUp()
        self.connect_company(self.env)
        self.forget_tokens()
        self.env.company.zoom_webinars_enabled = True
        self.trainer = new_test_user(
            self.env,
            login="zoom_tour_trainer",
            email="host@example.com",
            groups="base.group_user,event.group_event_user",
        )

    def test_a_trainer_schedules_a_webinar_and_sees_its_join_link(self):
        self.start_tour(
            "/odoo/action-event.action_event_view/new",
            "zoom_training_trainer_schedules_webinar",
            login="zoom_tour_trainer",
        )
        training = self.env["event.event"].search([("name", "=", "Tour webinar: safe lifting")])
        self.assertEqual(training.zoom_conference, "webinar")
        self.perform_pending_jobs()
        self.assertTrue(training.zoom_meeting_id.zoom_id, training.zoom_meeting_id.sync_error)
        self.assertEqual(self.sandbox.meeting(int(training.zoom_meeting_id.zoom_id)).kind, "webinar")
        with self.screenshot("training_join_link"):
            self.start_tour(
                f"/odoo/action-event.action_event_view/{training.id}",
                "zoom_training_trainer_sees_join_link",
                login="zoom_tour_trainer",
            )


@tagged("post_install", "-at_install")
class TestTraineeTours(ZoomJoinCase, TourCase):
    def test_a_trainee_opens_the_portal_and_joins(self):
        training = self.soon_training("Tour training: first aid")
        registration = self.enrol(training)
        with self.screenshot("portal_join"):
            self.start_tour("/my/trainings", "zoom_training_trainee_joins", login="zoom_trainee")
        answer = self.click_join(registration)
        self.assertEqual(answer.status_code, 303)
        self.assertTrue(answer.headers["Location"].startswith(self.sandbox.url), answer.headers["Location"])
        self.assertEqual(answer.headers["Location"], registration.zoom_join_url)

    def test_with_access_validation_the_trainee_sees_the_requirements(self):
        training = self.soon_training("Tour training: validated", zoom_access_validation="on")
        self.enrol(training, state="draft")
        with self.screenshot("portal_requirements"):
            self.start_tour("/my/trainings", "zoom_training_trainee_sees_requirements", login="zoom_trainee")

    def test_a_french_trainee_reads_the_join_page_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "in", ("portal", "zoom_training"))]
        )._update_translations("fr_FR")
        self.trainee.lang = "fr_FR"
        training = self.soon_training("Formation : premiers secours", minutes=3 * 24 * 60)
        registration = self.enrol(training)
        with self.screenshot("join_page_fr"):
            self.start_tour(
                f"/zoom/join/registration/{registration.id}",
                "zoom_training_trainee_reads_the_join_page_in_french",
                login="zoom_trainee",
            )


@tagged("post_install", "-at_install")
class TestTraineePhoneTours(TraineeCase, TourCase):
    """A trainee in Montréal, a training in Brussels, on a 390 px wide touch screen."""

    browser_size = "390x844"
    touch_enabled = True

    def test_a_trainee_reads_their_trainings_on_a_phone(self):
        self.enrol(self.brussels_training("Phone training: working at height"))
        with self.screenshot("portal_phone"):
            self.start_tour("/my/trainings", "zoom_training_trainee_on_a_phone", login="zoom_trainee")

    def test_a_trainee_opens_the_join_page_too_early_on_a_phone(self):
        registration = self.enrol(self.brussels_training("Phone training: too early"))
        with self.screenshot("join_page_phone"):
            self.start_tour(
                registration._zoom_join_path(),
                "zoom_training_trainee_join_page_on_a_phone",
                login="zoom_trainee",
            )


@tagged("post_install", "-at_install")
class TestAttendanceTour(MeetingRunCase, TourCase):
    registrant_count = 4

    def test_an_admin_reads_the_attendance_of_a_meeting_run_in_the_sandbox(self):
        webhooks, clock = self.sandbox.webhooks, self.sandbox.clock
        webhooks.url = self.webhook_url()
        clock.set(datetime.now(timezone.utc) - timedelta(seconds=240))
        self.sandbox.start_meeting(self.zoom_id)
        present = self.join(range(3))
        clock.advance(120)
        self.leave(present, [2])
        clock.advance(120)
        self.sandbox.end_meeting(self.zoom_id)
        self.assertTrue(webhooks.wait_idle(timeout=60))
        for delivery in self.inbox(state="received"):
            delivery._process()
        self.assertEqual(self.meeting.zoom_status, "ended")
        with self.screenshot("attendance"):
            self.start_tour(
                "/odoo/action-zoom_training.zoom_attendance_action",
                "zoom_training_admin_reads_attendance",
                login="admin",
            )
        self.assertEqual(
            [r.state for r in self.registrations], ["done", "done", "open", "open"], fields.Datetime.now()
        )
