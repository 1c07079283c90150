"""The Zoom cockpit, as the Zoom administrator uses it: "why didn't this trainee get a link?" answered in
three clicks, each figure leading to the records behind it, one activity while something is red, and each
failed Zoom call in the audit trail without personal data. Refused to everyone else, over RPC and HTTP."""

from datetime import datetime, timedelta, timezone

from odoo import api, fields
from odoo.exceptions import AccessError
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from ..models.zoom_quota_reading import ZoomQuotaStore
from ..utils.budget import HEAVY, RateBudget
from .test_security import SecurityCase


class CockpitCase(SecurityCase):
    def setUp(self):
        super().setUp()
        self.connect_company(self.env)
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM zoom_quota_reading")

    def cockpit(self, user=None):
        action = self.env["zoom.cockpit"].with_user(user or self.zoom_admin).action_open()
        return self.env["zoom.cockpit"].with_user(user or self.zoom_admin).browse(action["res_id"])

    def follow(self, cockpit, button):
        """A tile's link, opened as the Zoom administrator: the records it lists."""
        action = getattr(cockpit, button)()
        records = self.env[action["res_model"]].with_user(self.zoom_admin)
        if action.get("res_id"):
            return records.browse(action["res_id"])
        return records.search(action["domain"])

    def committed_api_failures(self, meeting):
        """Failed calls are recorded on a cursor of their own (they outlive the job's rollback)."""
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT operation, http_status, zoom_code, zoom_message, description
                     FROM zoom_audit_event
                    WHERE event_type = 'api_failure' AND res_model = 'zoom.meeting' AND res_id = %s""",
                [meeting.id],
            )
            return cr.dictfetchall()

    def zoom_job(self, state, channel="root.zoom"):
        """A job as queue_job stores it, in `state`."""
        delayed = self.env["zoom.meeting"].with_delay(channel=channel)._cron_zoom_pick_up_stranded()
        job = delayed.db_record()
        job.write({"state": state})
        return job


@tagged("post_install", "-at_install")
class TestCockpitAccess(CockpitCase):
    def test_the_zoom_administrator_finds_it_first_in_the_zoom_app_without_developer_mode(self):
        menus = self.env["ir.ui.menu"].with_user(self.zoom_admin).load_menus(debug=False)
        root = menus[self.env.ref("zoom_training.menu_zoom_root").id]
        first = menus[root["children"][0]]
        self.assertEqual(first["name"], "Cockpit")
        self.authenticate("sec_zoom_admin", "sec_zoom_admin")
        answer = self.make_jsonrpc_request(
            "/web/action/run", {"action_id": self.env.ref("zoom_training.zoom_cockpit_action").id}
        )
        self.assertEqual(answer["res_model"], "zoom.cockpit")
        cockpit = self.env["zoom.cockpit"].browse(answer["res_id"])
        self.assertEqual(cockpit.company_id, self.env.company)

    def test_employees_portal_users_and_visitors_are_refused(self):
        for user in (self.employee, self.trainee):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.cockpit(user)
                with self.assertRaises(AccessError):
                    self.env["zoom.cockpit"].with_user(user).search([])
        self.cockpit()  # made by the administrator: it exists now
        self.assert_rpc_refused("sec_employee", "zoom.cockpit", "action_open", [])
        self.assert_rpc_refused("sec_employee", "zoom.cockpit", "search_read", [[]])
        self.assert_rpc_refused("zoom_trainee", "zoom.quota.reading", "search_read", [[]])
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.authenticate("sec_employee", "sec_employee")
            self.make_jsonrpc_request(
                "/web/action/run", {"action_id": self.env.ref("zoom_training.zoom_cockpit_action").id}
            )
        self.authenticate(None, None)
        answer = self.url_open("/odoo/action-zoom_training.zoom_cockpit_action", allow_redirects=False)
        self.assertIn(answer.status_code, (302, 303))
        self.assertIn("/web/login", answer.headers["Location"])

    def test_another_companys_administrator_sees_their_own_cockpit_only(self):
        mine = self.cockpit()
        theirs = self.cockpit(self.outsider)
        self.assertEqual(theirs.company_id, self.other_company)
        with self.assertRaises(AccessError):
            mine.with_user(self.outsider).read(["job_failed"])

    def test_zoom_administrators_read_the_zoom_channels_jobs_and_no_others(self):
        zoom_job = self.zoom_job("failed")
        other_job = self.zoom_job("failed", channel="root")
        seen = (
            self.env["queue.job"]
            .with_user(self.zoom_admin)
            .search([("id", "in", (zoom_job | other_job).ids)])
        )
        self.assertEqual(seen, zoom_job)
        with self.assertRaises(AccessError):
            zoom_job.with_user(self.zoom_admin).write({"state": "done"})
        with self.assertRaises(AccessError):
            self.env["queue.job"].with_user(self.employee).search([])
        admin = self.env.ref("base.user_admin")
        self.assertEqual(
            self.env["queue.job"].with_user(admin).search([("id", "in", (zoom_job | other_job).ids)]),
            zoom_job | other_job,
            "Job Queue managers keep seeing every job",
        )


@tagged("post_install", "-at_install")
class TestCockpitFigures(CockpitCase):
    def test_why_did_this_trainee_get_no_link_in_three_clicks(self):
        training = self.zoom_training("Cockpit: who has no link")
        before = self.cockpit().participant_unsynced
        good = self.register(training, 2, prefix="cockpit")
        bad = self.env["event.registration"].create(
            {"event_id": training.id, "name": "Typo", "email": "typo.example.com"}
        )
        self.sync(training.zoom_meeting_id._zoom_enqueue_registrant_sync)
        cockpit = self.cockpit()  # click 1: Zoom → Cockpit
        cockpit.invalidate_recordset()
        self.assertEqual(cockpit.participant_unsynced, before + 1)
        self.assertIn("Not sent: check the data: ", cockpit.participant_unsynced_summary)
        listed = self.follow(cockpit, "action_open_registrations_unsynced")  # click 2
        self.assertIn(bad, listed)
        self.assertFalse(good & listed)
        shown = listed.filtered(lambda registration: registration == bad).read(
            ["zoom_sync_error", "event_id"]
        )
        self.assertIn("Invalid email", shown[0]["zoom_sync_error"])  # click 3: the registration says why
        with self.assertRaises(AccessError):
            listed.write({"email": "fixed@example.com"})  # the Zoom administrator reads, the organiser edits

    def test_a_meeting_that_failed_is_counted_and_its_failed_call_is_in_the_audit_trail(self):
        stranger = self._user("cockpit_stranger", "cockpit.stranger@example.com")
        event = self.sync(lambda: self.calendar_event(name="Cockpit: unknown host", user_id=stranger.id))
        meeting = event.zoom_meeting_id
        self.assertEqual(meeting.sync_state, "error")
        cockpit = self.cockpit()
        self.assertGreaterEqual(cockpit.meeting_unsynced, 1)
        self.assertIn(meeting, self.follow(cockpit, "action_open_meetings_unsynced"))
        failures = self.committed_api_failures(meeting)
        self.assertEqual(len(failures), 1, failures)
        failure = failures[0]
        self.assertEqual(failure["operation"], "GET /users/{email}")  # the host is checked first
        self.assertEqual((failure["http_status"], failure["zoom_code"]), (404, 1001))
        self.assertIn("User does not exist", failure["zoom_message"])
        for text in failure.values():
            self.assertNotIn("cockpit.stranger", str(text), "an email reached the audit trail")
        self.assertGreaterEqual(cockpit.api_failures_day, 1)

    def test_the_figures_follow_webhooks_jobs_breaker_and_reconciliation(self):
        company = self.env.company
        now = fields.Datetime.now()
        Inbox = self.env["zoom.webhook.event"].sudo()
        Inbox.create(
            {"endpoint": "meeting", "company_id": company.id, "event": "meeting.started", "received_at": now}
        )
        Inbox.create(
            {
                "endpoint": "webinar",
                "company_id": company.id,
                "event": "webinar.ended",
                "received_at": now - timedelta(hours=3),
            }
        )
        before = self.cockpit()
        counts = (before.webhook_meeting_hour, before.webhook_webinar_hour, before.webhook_webinar_day)
        Inbox.create(
            {"endpoint": "webinar", "company_id": company.id, "event": "webinar.started", "received_at": now}
        )
        failed = self.zoom_job("failed")
        self.zoom_job("pending")
        self.env["zoom.breaker"].sudo().create(
            {"company_id": company.id, "failures": 5, "open_until": now + timedelta(minutes=5)}
        )
        self.env["zoom.reconciliation"].sudo()._cron_reconcile()
        cockpit = self.cockpit()
        cockpit.invalidate_recordset()
        self.assertEqual(
            (cockpit.webhook_meeting_hour, cockpit.webhook_webinar_hour, cockpit.webhook_webinar_day),
            (counts[0], counts[1] + 1, counts[2] + 1),
        )
        self.assertIn(failed, self.follow(cockpit, "action_open_jobs_failed"))
        self.assertGreaterEqual(cockpit.job_waiting, 1)
        self.assertEqual(cockpit.breaker_failures, 5)
        self.assertIn("circuit breaker", cockpit.red_reasons)
        self.assertIn("Failed Zoom jobs", cockpit.red_reasons)
        self.assertTrue(cockpit.reconciliation_id)
        self.assertEqual(self.follow(cockpit, "action_open_reconciliation"), cockpit.reconciliation_id)

    def test_meetings_running_while_zoom_delivers_nothing_turn_it_red(self):
        self.env["zoom.webhook.event"].sudo().search([]).unlink()
        event = self.sync(lambda: self.calendar_event(name="Cockpit: running in silence"))
        started = fields.Datetime.now() - timedelta(minutes=30)
        event.zoom_meeting_id.sudo().write({"zoom_status": "started", "actual_start": started})
        cockpit = self.cockpit()
        self.assertTrue(cockpit.webhooks_silent)
        self.assertIn("no Zoom delivery has ever arrived", cockpit.red_reasons)
        self.env["zoom.webhook.event"].sudo().create(
            {"endpoint": "meeting", "company_id": self.env.company.id, "event": "meeting.participant_joined"}
        )
        self.env.invalidate_all()
        self.assertFalse(cockpit.webhooks_silent, "a delivery a minute ago: Zoom is talking")
        self.assertFalse(cockpit.red_reasons)

    def test_zooms_daily_quota_read_by_one_worker_is_seen_by_the_others_and_the_cockpit(self):
        self.sandbox.limits.enabled = True
        self.sandbox.limits.reset()
        self.addCleanup(setattr, self.sandbox.limits, "enabled", False)
        self.addCleanup(self.sandbox.limits.set_daily, HEAVY, 30000)
        training = self.zoom_training("Cockpit: the quota", kind="webinar")
        self.sandbox.limits.set_daily(HEAVY, 1)  # the batch call below uses the last one of today
        self.sync(lambda: self.register(training, 3, prefix="quota"))
        # the reading is committed by the worker: the administrator opening the cockpit later sees it
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.zoom_admin.id, {})
            cockpit = env["zoom.cockpit"].new({"company_id": self.env.company.id})
            reading = cockpit.quota_reading_ids.filtered(lambda reading: reading.category == HEAVY)
            self.assertEqual((reading.remaining, reading.daily_limit), (0, 1))
            self.assertAlmostEqual(reading.read_at, fields.Datetime.now(), delta=timedelta(minutes=1))
            self.assertTrue(cockpit.quota_spent)
            self.assertIn("daily Heavy quota is used up", cockpit.red_reasons)
        # another worker (a budget of its own, the same database) waits instead of calling
        other_worker = RateBudget("pro", daily_store=ZoomQuotaStore(self.registry, self.env.company.id))
        self.assertTrue(other_worker.daily_exhausted_until(HEAVY, datetime.now(timezone.utc)))


@tagged("post_install", "-at_install")
class TestCockpitAlert(CockpitCase):
    def alerts(self, cockpit):
        return cockpit.sudo().activity_ids.filtered(
            lambda activity: activity.summary == "Zoom needs attention"
        )

    def test_one_activity_while_red_kept_current_and_done_when_green(self):
        self.env.company.zoom_alert_user_id = self.zoom_admin
        failed = self.zoom_job("failed")
        Cockpit = self.env["zoom.cockpit"]
        Cockpit._cron_zoom_cockpit_alert()
        Cockpit._cron_zoom_cockpit_alert()
        cockpit = Cockpit.sudo().search([("company_id", "=", self.env.company.id)])
        alert = self.alerts(cockpit)
        self.assertEqual(len(alert), 1, "one activity, not one per run or failure")
        self.assertEqual(alert.user_id, self.zoom_admin)
        self.assertIn("Failed Zoom jobs", alert.note)
        self.env["zoom.breaker"].sudo().create(
            {
                "company_id": self.env.company.id,
                "failures": 5,
                "open_until": fields.Datetime.now() + timedelta(minutes=5),
            }
        )
        Cockpit._cron_zoom_cockpit_alert()
        self.assertEqual(self.alerts(cockpit), alert)
        self.assertIn("circuit breaker", alert.note)
        failed.state = "done"
        self.env["zoom.breaker"].sudo().search([]).unlink()
        Cockpit._cron_zoom_cockpit_alert()
        self.assertFalse(self.alerts(cockpit), "green again: the activity is done")
        self.assertIn("Back to normal", cockpit.message_ids[:1].body)

    def test_without_a_chosen_recipient_the_first_zoom_administrator_gets_it(self):
        self.env.company.zoom_alert_user_id = False
        self.zoom_job("failed")
        self.env["zoom.cockpit"]._cron_zoom_cockpit_alert()
        cockpit = self.env["zoom.cockpit"].sudo().search([("company_id", "=", self.env.company.id)])
        recipient = self.alerts(cockpit).user_id
        self.assertTrue(recipient.has_group("zoom_training.group_zoom_manager"))
        self.assertFalse(recipient.share)
