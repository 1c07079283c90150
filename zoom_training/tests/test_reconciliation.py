from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models import zoom_reconciliation
from .test_meetings import ZoomMeetingCase


@tagged("post_install", "-at_install")
class TestReconciliation(ZoomMeetingCase):
    def _zoom(self):
        return self.env["zoom.account"]._for_company(self.env.company)._zoom_client()

    def test_drift_in_zoom_is_repaired_and_reported(self):
        with trap_jobs() as trap:
            deleted = self.calendar_event(name="Deleted by hand in Zoom")
            renamed = self.calendar_event(name="Renamed by hand in Zoom")
            untouched = self.calendar_event(name="Left alone in Zoom")
            self.run_jobs(trap)
        old_id = deleted.zoom_meeting_id.zoom_id
        self._zoom().delete(f"/meetings/{old_id}")
        self._zoom().patch(
            f"/meetings/{renamed.zoom_meeting_id.zoom_id}", json={"topic": "Changed", "duration": 15}
        )
        self.sandbox.requests.clear()

        with trap_jobs():
            report = self.env["zoom.reconciliation"]._reconcile_company(self.env.company)

        self.assertEqual(report.state, "done")
        self.assertEqual(report.meeting_count, 3)
        self.assertNotEqual(deleted.zoom_meeting_id.zoom_id, old_id)
        self.assertEqual(self.in_zoom(deleted).topic, "Deleted by hand in Zoom")
        self.assertIn("created it again", deleted.message_ids[0].body)
        self.assertEqual(
            (self.in_zoom(renamed).topic, self.in_zoom(renamed).duration), ("Renamed by hand in Zoom", 120)
        )
        self.assertEqual(self.in_zoom(untouched).topic, "Left alone in Zoom")
        self.assertEqual(report.repaired_count, 2)
        self.assertEqual(report.failed_count, 0)
        details = sorted(report.line_ids.mapped("detail"))
        self.assertEqual(
            details, ["Changed in Zoom, set back: duration, topic", "Deleted in Zoom: created again."]
        )
        self.assertEqual(
            self.zoom_calls("meetings"), 2, "the host's list: once for the three, once before creating again"
        )
        self.assertEqual(
            self.zoom_calls("meeting"), 2, "read in full: the two the list shows drifted or lacks"
        )
        self.assertEqual(self.zoom_calls("meetingUpdate"), 1)
        self.assertEqual(self.zoom_calls("meetingCreate"), 1)

    def test_an_interrupted_run_goes_on_where_it_stopped(self):
        with trap_jobs() as trap:
            first = self.calendar_event(name="Checked before the crash")
            self.calendar_event(name="Checked after the crash")
            self.run_jobs(trap)
        report = self.env["zoom.reconciliation"].create({"company_id": self.env.company.id})
        first.zoom_meeting_id.last_reconciled_at = report.started_at
        self.sandbox.requests.clear()
        resumed = self.env["zoom.reconciliation"]._reconcile_company(self.env.company)
        self.assertEqual(resumed, report)
        self.assertEqual(resumed.meeting_count, 1)
        self.assertEqual(self.zoom_calls("meetings"), 1)
        self.assertEqual(first.zoom_meeting_id.last_reconciled_at, report.started_at, "not checked again")

    def test_the_scheduled_action_checks_a_batch_per_pass_and_leaves_the_rest_to_odoos_cron(self):
        with trap_jobs() as trap:
            for n in range(3):
                self.calendar_event(name=f"Checked in passes {n}")
            self.run_jobs(trap)
        company = self.env.company
        total = len(
            self.env["zoom.reconciliation"]
            .new({"company_id": company.id, "started_at": fields.Datetime.now()})
            ._meetings_to_check()
        )
        self.assertGreaterEqual(total, 3)
        cron = self.env.ref("zoom_training.ir_cron_zoom_reconcile")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        in_the_cron_worker = self.env["zoom.reconciliation"].with_context(
            cron_id=cron.id, ir_cron_progress_id=progress.id
        )
        with patch.object(zoom_reconciliation, "CRON_BATCH", 2), trap_jobs():
            in_the_cron_worker._cron_reconcile()
            report = self.env["zoom.reconciliation"].search([("company_id", "=", company.id)], limit=1)
            self.assertEqual((progress.done, progress.remaining), (2, total - 2), "Odoo's cron runs again")
            self.assertEqual((report.state, report.meeting_count), ("running", 2))
            while progress.remaining:
                in_the_cron_worker._cron_reconcile()
        self.assertEqual((report.state, report.meeting_count), ("done", total), "one report for the passes")
        # a day later
        self.env["zoom.meeting"].search([("company_id", "=", company.id)]).last_reconciled_at = False
        with patch.object(zoom_reconciliation, "CRON_BATCH", 2), trap_jobs():
            self.env["zoom.reconciliation"]._cron_reconcile()  # Run manually: the whole run at once
        by_hand = self.env["zoom.reconciliation"].search([("company_id", "=", company.id)], limit=1)
        self.assertEqual((by_hand.state, by_hand.meeting_count), ("done", total))

    def test_a_change_zoom_reported_by_webhook_is_read_in_full_even_when_the_list_agrees(self):
        with trap_jobs() as trap:
            event = self.calendar_event(name="Waiting room switched off in Zoom")
            self.run_jobs(trap)
        meeting = event.zoom_meeting_id
        self._zoom().patch(f"/meetings/{meeting.zoom_id}", json={"settings": {"waiting_room": False}})
        meeting._zoom_flag_drift("Changed in Zoom: settings.")
        self.sandbox.requests.clear()
        with trap_jobs():
            report = self.env["zoom.reconciliation"]._reconcile_company(self.env.company)
        self.assertTrue(self.in_zoom(event).settings["waiting_room"], "set back to Odoo's value")
        self.assertEqual(report.line_ids.mapped("result"), ["repaired"])
        self.assertFalse(meeting.zoom_drift, "read in full and repaired: the flag is cleared")
