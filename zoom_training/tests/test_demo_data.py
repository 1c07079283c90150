from odoo.tests import TransactionCase, tagged

from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import ZoomSandboxCase

UPCOMING = {
    "demo_training_meeting": "meeting",
    "demo_training_webinar": "webinar",
    "demo_training_validation": "meeting",
    "demo_training_three_days": "meeting",
    "demo_calendar_event": "meeting",
}


@tagged("post_install", "-at_install")
class TestDemoData(ZoomSandboxCase, TransactionCase):
    """The demo data installs with the addon and, once the company talks to a sandbox (what `make run`
    does), every demo session reaches Zoom and its people reach the state the demo shows."""

    sandbox_options = {
        "rate_limits": False,
        "users": ["host@example.com:licensed:webinar", "trainer@example.com:licensed:webinar"],
    }

    def demo(self, name):
        record = self.env.ref(f"zoom_training.{name}", raise_if_not_found=False)
        self.assertTrue(record, f"demo record {name} is missing: was the addon installed with demo data?")
        return record

    def test_the_demo_company_is_set_up_but_holds_no_secret(self):
        company = self.env.ref("base.main_company")
        self.assertTrue(company.zoom_webinars_enabled)
        self.assertEqual(company.zoom_recording_handling, "store")
        self.assertEqual(self.env.ref("base.user_admin").zoom_email, "host@example.com")
        self.assertEqual(self.env.ref("base.user_demo").zoom_email, "trainer@example.com")
        account = self.env["zoom.account"].sudo().search([("company_id", "=", company.id)])
        self.assertFalse(account.client_secret_encrypted, "a secret in demo data would be clear in the XML")

    def test_every_demo_session_is_queued_for_zoom_with_its_kind(self):
        sessions = {name: self.demo(name) for name in [*UPCOMING, "demo_training_finished"]}
        series = self.series()
        self.assertEqual(len(series.calendar_event_ids), 4)
        meetings = {name: record.zoom_meeting_id for name, record in sessions.items()}
        meetings["series"] = series.zoom_meeting_id
        for name, meeting in meetings.items():
            self.assertTrue(meeting, f"{name} has no Zoom meeting")
            self.assertEqual(meeting.kind, UPCOMING.get(name, "meeting"), name)
        self.assertEqual(len(self.demo("demo_training_finished").registration_ids), 4)

    def test_the_demo_reaches_the_sandbox_with_the_states_it_shows(self):
        self.connect_company(self.env)
        self.forget_tokens()
        pushes = (
            self.env["queue.job"]
            .search([("method_name", "=", "_zoom_push"), ("state", "=", "pending")])
            .filtered(lambda job: job.records._source() in self.demo_sources())
        )
        self.assertEqual(len(pushes), len(UPCOMING) + 2, "one push per demo session, series included")
        with trap_jobs() as trap:
            for job in pushes:
                Job.load(self.env, job.uuid).perform()
            trap.perform_enqueued_jobs()
        for name in UPCOMING:
            meeting = self.demo(name).zoom_meeting_id
            self.assertEqual(meeting.sync_state, "synced", f"{name}: {meeting.sync_error}")
            self.assertTrue(self.sandbox.meeting(int(meeting.zoom_id)))
        self.assertEqual(self.demo("demo_training_webinar").zoom_meeting_id.kind, "webinar")
        states = {
            name: self.demo(name).zoom_sync_state
            for name in (
                "demo_registration_meeting_alice",
                "demo_registration_meeting_portal",
                "demo_registration_webinar_bruno",
                "demo_registration_webinar_duplicate",
                "demo_registration_validation_chloe",
                "demo_registration_validation_portal",
            )
        }
        self.assertEqual(
            states,
            {
                "demo_registration_meeting_alice": "synced",
                "demo_registration_meeting_portal": "synced",
                "demo_registration_webinar_bruno": "synced",
                "demo_registration_webinar_duplicate": "flagged",
                "demo_registration_validation_chloe": "synced",
                "demo_registration_validation_portal": "held",
            },
        )
        self.assertTrue(self.demo("demo_registration_meeting_portal").zoom_join_url)
        course = self.demo("demo_training_three_days")
        daily = self.sandbox.meeting(int(course.zoom_meeting_id.zoom_id))
        self.assertEqual((daily.type, len(daily.occurrences), daily.duration), (8, 3, 480))
        self.assertEqual(set(course.registration_ids.mapped("zoom_sync_state")), {"synced"})
        webinar = self.sandbox.meeting(int(self.demo("demo_training_webinar").zoom_meeting_id.zoom_id))
        self.assertEqual(len(webinar.registrants), 2, "the duplicate address was not sent")

    def series(self):
        """Odoo's calendar makes the series' events anew from the demo record (archived), under its name."""
        self.demo("demo_calendar_series")
        return self.env["calendar.event"].search([("name", "=", "Weekly coaching")]).recurrence_id

    def demo_sources(self):
        names = [*UPCOMING, "demo_training_finished"]
        return [*(self.demo(name) for name in names), self.series()]
