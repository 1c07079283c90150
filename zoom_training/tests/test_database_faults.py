"""Jobs whose database connection is cut in the middle, and records that no job covers any more."""

from contextlib import contextmanager
from datetime import timedelta

import psycopg2
import requests

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.job import Job

from ..controllers.queue_job_runner import ZoomRunJobController
from .test_fault_injection import ZoomAgreement
from .test_registrants import ZoomRegistrantCase


def writes_registrations(sql):
    """The first write of the job's registrations: Zoom has answered, nothing is committed yet."""
    return sql.lstrip().startswith('UPDATE "event_registration"')


class ConnectionCut:
    """A fault hook around a cursor: from the first statement `when` matches, the connection is gone, as
    after pg_terminate_backend or a PostgreSQL restart. The transaction is lost with it."""

    def __init__(self, cr, when):
        self.cr, self.when, self.cut = cr, when, False
        self.execute = cr.execute
        cr.execute = self

    def __call__(self, query, params=None, log_exceptions=True):
        if not self.cut and self.when(str(getattr(query, "code", query))):
            self.cut = True
            self.cr.rollback()
        if self.cut:
            raise psycopg2.OperationalError("server closed the connection unexpectedly")
        return self.execute(query, params, log_exceptions)


class JobRunnerCase(ZoomRegistrantCase):
    """Runs stored jobs as queue_job's runner has them run: /queue_job/runjob's steps, each on a cursor of
    its own (test cursors over the test's transaction)."""

    def setUp(self):
        super().setUp()
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)

    def stored_job(self, identity_key):
        return self.env["queue.job"].search([("identity_key", "=", identity_key)], order="id desc", limit=1)

    def run_stored_job(self, job_record, cut_when=None):
        self.env.flush_all()
        self.env.cr.execute("UPDATE queue_job SET state = 'enqueued' WHERE id = %s", [job_record.id])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            job = ZoomRunJobController._acquire_job(env, job_record.uuid)
            self.assertTrue(job, "the job could not be acquired")
            if cut_when:
                ConnectionCut(cr, cut_when)
            ZoomRunJobController._runjob(env, job)
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestLostDatabaseConnection(ZoomAgreement, JobRunnerCase):
    def test_a_sync_cut_off_after_zoom_registered_people_runs_again_and_adds_nobody_twice(self):
        training = self.zoom_training("Connection cut mid-sync")
        registrations = self.register(training, 45, prefix="cut")
        meeting = training.zoom_meeting_id
        job = self.stored_job(f"zoom-registrants-{meeting.id}")
        self.sandbox.requests.clear()

        self.run_stored_job(job, cut_when=writes_registrations)

        self.assertEqual(job.state, "pending", f"the job ended {job.state}: {job.exc_info}")
        self.assertEqual(job.retry, 1)
        self.assertGreater(job.eta, fields.Datetime.now())
        self.assertIn("Database connection lost", job.result)
        self.assertEqual(
            set(registrations.mapped("zoom_sync_state")), {"to_sync"}, "the transaction was lost"
        )
        held = {registrant.email for registrant in self.zoom_registrants(training)}
        self.assertTrue(held, "the cut came before Zoom registered anyone")

        self.sandbox.requests.clear()
        self.run_stored_job(job)

        self.assertEqual(job.state, "done", job.exc_info)
        self.assertEqual(set(registrations.mapped("zoom_sync_state")), {"synced"})
        self.assert_zoom_agrees(training)
        self.assertEqual(len(self.zoom_registrants(training)), 45)
        added_again = {
            person["email"]
            for entry in self.sandbox.requests.entries
            if entry.operation == "addBatchRegistrants"
            for person in entry.request_json["registrants"]
        }
        self.assertFalse(added_again & held, "registrants Zoom held were added again")
        self.assertEqual(len(added_again), 45 - len(held))
        links = {r.email: r.zoom_join_url for r in registrations}
        self.assertEqual(len(set(links.values())), 45)

    def test_a_job_queued_while_a_killed_one_waits_for_the_runner_adds_nobody_twice(self):
        training = self.zoom_training("Killed mid-sync")
        self.register(training, 40, prefix="killed")
        meeting = training.zoom_meeting_id
        killed = self.stored_job(f"zoom-registrants-{meeting.id}")
        self.run_stored_job(killed, cut_when=writes_registrations)
        held = {registrant.email for registrant in self.zoom_registrants(training)}
        # the worker died before storing anything: the job stays started until the runner's next pass
        self.env.cr.execute("UPDATE queue_job SET state = 'started', retry = 0 WHERE id = %s", [killed.id])
        late = self.register(training, 1, prefix="late")
        newer = self.stored_job(f"zoom-registrants-{meeting.id}")
        self.assertNotEqual(newer, killed)
        self.sandbox.requests.clear()

        self.run_stored_job(newer)

        added = [  # in batches, or one alone by Zoom's single add
            person["email"]
            for entry in self.sandbox.requests.entries
            if entry.operation in ("addBatchRegistrants", "meetingRegistrantCreate")
            for person in entry.request_json.get("registrants", [entry.request_json])
        ]
        self.assertFalse(set(added) & held, "registrants Zoom held were added again")
        self.assertIn(late.email, added)
        self.assertEqual(set(training.registration_ids.mapped("zoom_sync_state")), {"synced"})
        self.assert_zoom_agrees(training)

    def test_a_connection_cut_on_the_last_run_leaves_the_job_failed(self):
        training = self.zoom_training("Cut on the last run")
        self.register(training, 3, prefix="last")
        job = self.stored_job(f"zoom-registrants-{training.zoom_meeting_id.id}")
        job.write({"max_retries": 1})
        with mute_logger("odoo.addons.queue_job.controllers.main"):  # its traceback of the failed job
            self.run_stored_job(job, cut_when=writes_registrations)
        self.assertEqual(job.state, "failed")

    def test_a_statement_that_fails_is_not_run_again(self):
        training = self.zoom_training("A failing statement")
        self.register(training, 3, prefix="stmt")
        job = self.stored_job(f"zoom-registrants-{training.zoom_meeting_id.id}")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.env.flush_all()
            self.env.cr.execute("UPDATE queue_job SET state = 'enqueued' WHERE id = %s", [job.id])
            acquired = ZoomRunJobController._acquire_job(env, job.uuid)
            with self.assertRaises(psycopg2.errors.QueryCanceled):
                ZoomRunJobController._try_perform_job(env, self._canceled_at_first_update(acquired, cr))

    def _canceled_at_first_update(self, job, cr):
        execute = cr.execute

        def canceled(query, params=None, log_exceptions=True):
            if writes_registrations(str(getattr(query, "code", query))):
                raise psycopg2.errors.QueryCanceled("canceling statement due to statement timeout")
            return execute(query, params, log_exceptions)

        cr.execute = canceled
        return job


@tagged("post_install", "-at_install")
class TestStrandedRecords(JobRunnerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zoom_admin = new_test_user(
            cls.env, login="zoom_admin_stranded", groups="base.group_user,zoom_training.group_zoom_manager"
        )

    def registrant_jobs(self, meeting, states=("pending", "enqueued", "started")):
        return self.env["queue.job"].search(
            [("identity_key", "=", f"zoom-registrants-{meeting.id}"), ("state", "in", list(states))]
        )

    @contextmanager
    def job_lost(self, meeting):
        """The job covering the meeting's registrants disappears (deleted, or never stored)."""
        yield
        self.registrant_jobs(meeting).unlink()

    def test_registrations_whose_job_vanished_are_synced_by_the_next_light_check(self):
        training = self.zoom_training("Job vanished")
        meeting = training.zoom_meeting_id
        with self.job_lost(meeting):
            registrations = self.register(training, 5, prefix="lost")
        self.assertFalse(self.registrant_jobs(meeting))

        self.env["zoom.meeting"]._cron_zoom_pick_up_stranded()

        job = self.registrant_jobs(meeting)
        self.assertEqual(len(job), 1)
        self.assertEqual(job.kwargs, {"resume": True})
        Job.load(self.env, job.uuid).perform()
        self.assertEqual(set(registrations.mapped("zoom_sync_state")), {"synced"})
        self.env["zoom.meeting"]._cron_zoom_pick_up_stranded()
        self.assertEqual(len(self.registrant_jobs(meeting)), 1, "a second job for records already synced")

    def test_records_a_finished_job_left_waiting_are_left_to_the_catch_up(self):
        training = self.zoom_training("Left waiting on purpose")
        meeting = training.zoom_meeting_id
        registrations = self.register(training, 2, prefix="kept")
        job = self.registrant_jobs(meeting)
        self.env.flush_all()
        earlier = fields.Datetime.now() - timedelta(hours=1)
        self.env.cr.execute(
            "UPDATE queue_job SET state = 'done', date_done = now() at time zone 'utc' WHERE id = %s",
            [job.id],
        )
        self.env.cr.execute(
            "UPDATE event_registration SET write_date = %s WHERE id IN %s",
            [earlier, tuple(registrations.ids)],
        )
        self.env["zoom.meeting"]._cron_zoom_pick_up_stranded()
        self.assertFalse(self.registrant_jobs(meeting), "a job that saw them would be queued every 2 minutes")

    def test_a_job_that_gave_up_shows_on_its_records_and_tells_the_zoom_administrators_once(self):
        training = self.zoom_training("Job gave up")
        meeting = training.zoom_meeting_id
        registrations = self.register(training, 4, prefix="gaveup")
        job = self.registrant_jobs(meeting)
        job.write({"state": "failed", "retry": 5, "exc_message": "Zoom could not be reached"})

        self.env["zoom.meeting"]._cron_zoom_pick_up_stranded()
        self.env["zoom.meeting"]._cron_zoom_pick_up_stranded()

        self.assertEqual(set(registrations.mapped("zoom_sync_state")), {"error"})
        self.assertIn("gave up after 5 tries: Zoom could not be reached", registrations[0].zoom_sync_error)
        warnings = meeting.activity_ids.filtered(lambda activity: activity.user_id == self.zoom_admin)
        self.assertEqual(len(warnings), 1)
        self.assertIn("Zoom could not be reached", warnings.note)
        self.assertFalse(self.registrant_jobs(meeting), "a job that gave up was started again at once")
        registrations[0].action_zoom_sync_registrant()
        self.assertEqual(registrations[0].zoom_sync_state, "to_sync")
        self.assertEqual(len(self.registrant_jobs(meeting)), 1)

    def test_the_hourly_catch_up_tries_a_sync_that_gave_up_again(self):
        training = self.zoom_training("Zoom down for hours")
        meeting = training.zoom_meeting_id
        registrations = self.register(training, 2, prefix="hours")
        self.registrant_jobs(meeting).write({"state": "failed", "retry": 5, "exc_message": "Zoom: 503"})
        self.env["zoom.meeting"]._cron_zoom_pick_up_stranded()
        self.assertEqual(set(registrations.mapped("zoom_sync_state")), {"error"})
        self.env["zoom.meeting"]._cron_zoom_registrant_catch_up()
        job = self.registrant_jobs(meeting)
        self.assertEqual(len(job), 1)
        Job.load(self.env, job.uuid).perform()
        self.assertEqual(set(registrations.mapped("zoom_sync_state")), {"synced"})

    def test_a_pass_outside_the_queue_waits_for_the_live_job_instead_of_adding_at_the_same_time(self):
        training = self.zoom_training("Reconciled during a sync")
        meeting = training.zoom_meeting_id
        self.register(training, 3, prefix="twice")
        self.sandbox.requests.clear()
        self.assertFalse(meeting._zoom_sync_registrants(), "the reconciliation's pass ran beside the job")
        self.assertEqual(self.zoom_calls("addBatchRegistrants"), 0)
        self.assertEqual(len(self.registrant_jobs(meeting)), 1)

    def test_the_reconciliation_leaves_alone_whom_a_sync_under_way_has_added_to_zoom(self):
        training = self.zoom_training("Reconciled mid-sync")
        registrations = self.register(training, 3, prefix="inflight")  # their job is queued
        body = {
            "auto_approve": True,
            "registrants": [{"email": r.email, "first_name": "T"} for r in registrations],
        }
        path = f"/meetings/{training.zoom_meeting_id.zoom_id}/batch_registrants"
        headers = {"Authorization": f"Bearer {self.sandbox.issue_token()}"}
        requests.post(self.sandbox.api_base + path, json=body, headers=headers, timeout=10).raise_for_status()
        self.env["zoom.reconciliation"]._reconcile_company(self.env.company)
        self.assertEqual(
            len(self.zoom_registrants(training, "approved")), 3, "the sync's registrants cancelled"
        )

    def test_a_meeting_whose_push_vanished_is_pushed_again(self):
        training = self.zoom_training("Push vanished")
        meeting = training.zoom_meeting_id
        training.name = "Push vanished (renamed)"
        self.assertEqual(meeting.sync_state, "pending")
        self.env["queue.job"].search([("identity_key", "=", f"zoom-push-{meeting.id}")]).unlink()
        self.env["zoom.meeting"]._cron_zoom_pick_up_stranded()
        push = self.env["queue.job"].search([("identity_key", "=", f"zoom-push-{meeting.id}")])
        self.assertEqual(push.state, "pending")
        Job.load(self.env, push.uuid).perform()
        self.assertEqual(meeting.sync_state, "synced")
        self.assertEqual(self.in_zoom(training).topic, "Push vanished (renamed)")
