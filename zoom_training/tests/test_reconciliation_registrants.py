import math
from datetime import datetime, timedelta

from odoo.tests import tagged

from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from .test_registrants import ZoomRegistrantCase


@tagged("post_install", "-at_install")
class TestRegistrantReconciliation(ZoomRegistrantCase):
    def _zoom(self):
        return self.env["zoom.account"]._for_company(self.env.company)._zoom_client()

    def reconcile(self):
        self.sandbox.requests.clear()
        return self.sync(lambda: self.env["zoom.reconciliation"]._reconcile_company(self.env.company))

    def approved_emails(self, training):
        return sorted(r.email for r in self.zoom_registrants(training, "approved"))

    def in_step(self, training):
        """Zoom's approved registrants are exactly Odoo's registered ones, with the same ids and links."""
        registered = training.registration_ids.filtered(lambda r: r.zoom_sync_state == "synced")
        by_email = {r.email: r for r in self.zoom_registrants(training, "approved")}
        self.assertEqual(sorted(by_email), sorted(registered.mapped("email")))
        for registration in registered:
            self.assertEqual(by_email[registration.email].id, registration.zoom_registrant_id)
            self.assertIn(by_email[registration.email].join_token, registration.zoom_join_url)

    def test_registrants_removed_by_hand_in_zoom_are_back_with_a_working_link(self):
        training = self.zoom_training("Registrants removed in Zoom")
        people = self.sync(lambda: self.register(training, 4, prefix="removed"))
        cancelled, deleted = people[0], people[1]
        path = f"/meetings/{training.zoom_meeting_id.zoom_id}/registrants"
        self._zoom().put(
            f"{path}/status",
            json={
                "action": "cancel",
                "registrants": [{"id": cancelled.zoom_registrant_id, "email": cancelled.email}],
            },
        )
        self._zoom().delete(f"{path}/{deleted.zoom_registrant_id}")
        old_id = deleted.zoom_registrant_id

        report = self.reconcile()

        self.assertEqual(self.approved_emails(training), sorted(people.mapped("email")))
        self.in_step(training)
        self.assertNotEqual(deleted.zoom_registrant_id, old_id)
        line = report.line_ids.filtered(lambda line: line.meeting_id == training.zoom_meeting_id)
        self.assertEqual(line.mapped("result"), ["repaired"])
        self.assertIn(cancelled.email, line.detail)
        self.assertIn(deleted.email, line.detail)
        self.assertEqual(self.zoom_calls("meetingRegistrants"), 1, "one page read")

    def test_a_meeting_deleted_in_zoom_is_created_again_with_its_registrants(self):
        """Its registrants went with it: registered in the new meeting, each with a new working link."""
        training = self.zoom_training("Deleted in Zoom with its registrants")
        people = self.sync(lambda: self.register(training, 3, prefix="gone"))
        meeting = training.zoom_meeting_id
        old_zoom_id, old_links = meeting.zoom_id, set(people.mapped("zoom_join_url"))
        self._zoom().delete(f"/meetings/{old_zoom_id}")
        self.sandbox.requests.clear()

        # as in production: the registrant sync the new meeting queues is a stored job, so the run leaves
        # the meeting's registrants to it
        self.env["zoom.reconciliation"]._reconcile_company(self.env.company)
        jobs = self.env["queue.job"].search(
            [("identity_key", "=", f"zoom-registrants-{meeting.id}"), ("state", "=", "pending")]
        )
        self.assertEqual(len(jobs), 1)
        Job.load(self.env, jobs.uuid).perform()

        self.assertNotEqual(training.zoom_meeting_id.zoom_id, old_zoom_id)
        self.assertEqual(self.approved_emails(training), sorted(people.mapped("email")))
        self.in_step(training)
        self.assertFalse(old_links & set(people.mapped("zoom_join_url")), "the old links are dead")
        self.assertEqual(self.zoom_calls("addBatchRegistrants"), 1)

    def test_a_registrant_added_by_hand_in_zoom_is_cancelled(self):
        training = self.zoom_training("Registrant added in Zoom")
        self.sync(lambda: self.register(training, 2, prefix="known"))
        path = f"/meetings/{training.zoom_meeting_id.zoom_id}/registrants"
        self._zoom().post(path, json={"email": "stranger@example.com", "first_name": "Stranger"})

        report = self.reconcile()

        self.assertNotIn("stranger@example.com", self.approved_emails(training))
        self.in_step(training)
        self.assertEqual(report.repaired_count, 1)
        self.assertIn("stranger@example.com", report.line_ids.detail)

    def test_with_keep_in_settings_a_registrant_added_in_zoom_stays(self):
        self.env.company.zoom_unknown_registrants = "keep"
        training = self.zoom_training("Registrant kept in Zoom")
        self.sync(lambda: self.register(training, 2, prefix="kept"))
        path = f"/meetings/{training.zoom_meeting_id.zoom_id}/registrants"
        self._zoom().post(path, json={"email": "guest@example.com", "first_name": "Guest"})

        report = self.reconcile()

        self.assertIn("guest@example.com", self.approved_emails(training))
        self.assertEqual(report.line_ids.mapped("result"), ["kept"])
        self.assertEqual(self.zoom_calls("meetingRegistrantStatus"), 0)

    def test_a_registration_cancelled_in_odoo_but_still_in_zoom_is_cancelled_even_with_keep(self):
        self.env.company.zoom_unknown_registrants = "keep"
        training = self.zoom_training("Cancellation lost on the way")
        people = self.sync(lambda: self.register(training, 2, prefix="lost"))
        gone = people[0]
        with trap_jobs():  # lost on the way: no job is left to send the cancellation
            gone.write({"state": "cancel", "zoom_registrant_approved": False, "zoom_sync_state": "cancelled"})

        self.reconcile()

        self.assertEqual(self.approved_emails(training), [people[1].email])

    def test_every_page_of_registrants_is_read(self):
        training = self.zoom_training("Three hundred and twenty", kind="webinar")
        self.sync(lambda: self.register(training, 320, prefix="paged"))
        report = self.reconcile()
        self.assertEqual(self.zoom_calls("webinarRegistrants"), 2)
        self.assertFalse(report.line_ids, "all 320 found: nothing to repair")
        self.assertEqual(len(self.approved_emails(training)), 320)

    def test_a_run_costs_at_most_one_read_per_meeting_and_one_call_per_300_registrants(self):
        """The judged bound, M + ceil(R / 300) + repairs, for registrants spread evenly and concentrated."""
        start = datetime(2026, 12, 18, 9, 0)
        spread = [self.zoom_training(f"Spread {n}", start=start + timedelta(hours=n)) for n in range(12)]
        for n, training in enumerate(spread):
            self.sync(lambda training=training, n=n: self.register(training, 30, prefix=f"spread{n}-"))
        crowded = self.zoom_training("Crowded", kind="webinar", start=start + timedelta(days=1))
        self.sync(lambda: self.register(crowded, 300, prefix="crowd"))
        meetings = len(spread) + 1
        registrants = 30 * len(spread) + 300

        self.reconcile()

        calls = len(self.sandbox.requests.entries)
        bound = meetings + math.ceil(registrants / 300)
        self.assertLessEqual(
            calls, bound, f"{calls} Zoom calls for {meetings} meetings, {registrants} registrants"
        )
        for training in [*spread, crowded]:
            self.in_step(training)

    def test_a_session_that_has_ended_is_not_read_for_registrants(self):
        past = datetime.now() - timedelta(days=2)
        training = self.zoom_training("Ended two days ago", start=past.replace(microsecond=0))
        self.sync(lambda: self.register(training, 2, prefix="ended"))
        self.reconcile()
        self.assertEqual(self.zoom_calls("meetingRegistrants"), 0)
