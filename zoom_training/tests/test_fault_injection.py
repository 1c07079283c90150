from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from .test_meetings import ZoomMeetingCase
from .test_registrants import ZoomRegistrantCase


class SettlingJobs:
    def perform_until_settled(self, trap, rounds=5):
        """queue_job's retries, compressed: failed jobs run again until none is left."""
        jobs = list(trap.enqueued_jobs)
        trap.enqueued_jobs = []
        for _round in range(rounds):
            retry = []
            for job in jobs:
                try:
                    job.perform()
                except RetryableJobError:
                    retry.append(job)
            jobs = retry + trap.enqueued_jobs
            trap.enqueued_jobs = []
            if not jobs:
                return
        self.fail(f"{len(jobs)} jobs still failing after {rounds} rounds")


@tagged("post_install", "-at_install")
class TestFaultInjection(SettlingJobs, ZoomMeetingCase):
    def outage_meetings(self):
        return [meeting for meeting in self.sandbox.meetings() if meeting.topic.startswith("Outage training")]

    def test_half_an_hour_without_zoom_loses_nothing_and_creates_nothing_twice(self):
        self.env["ir.config_parameter"].sudo().set_param("zoom_training.max_retries", 0)
        self.sandbox.faults.fail(503)
        with trap_jobs() as trap:
            trainings = [
                self.training(name=f"Outage training {n}", zoom_conference="meeting") for n in range(5)
            ]
            trainings[1].name = "Outage training 1 (renamed during the outage)"
            trainings[2].date_begin += timedelta(hours=1)
            trainings[2].date_end += timedelta(hours=1)
            trainings[3].stage_id = self.env.ref("event.event_stage_cancelled")
            postponed = 0
            for job in trap.enqueued_jobs:
                try:
                    job.perform()
                except RetryableJobError:
                    postponed += 1
            self.assertEqual(postponed, 4, "the 4 trainings still wanted in Zoom wait for it")
            self.assertEqual(self.outage_meetings(), [])
            self.sandbox.clock.advance(30 * 60)
            self.sandbox.faults.clear()
            self.forget_tokens()  # the circuit breaker's pause is over too
            self.perform_until_settled(trap)
        topics = sorted(meeting.topic for meeting in self.outage_meetings())
        self.assertEqual(
            topics,
            [
                "Outage training 0",
                "Outage training 1 (renamed during the outage)",
                "Outage training 2",
                "Outage training 4",
            ],
        )
        self.assertEqual(self.zoom_calls("meetingCreate"), 4)
        moved = self.in_zoom(trainings[2])
        self.assertEqual(moved.start_time.replace(tzinfo=None), trainings[2].date_begin)
        self.assertEqual({t.zoom_sync_state for t in trainings}, {"synced", "deleted"})

    def test_a_storm_of_429s_is_waited_out(self):
        self.sandbox.faults.storm_429(2, operation="meetingCreate")
        with trap_jobs() as trap:
            event = self.calendar_event(name="Storm training")
            self.run_jobs(trap)
        self.assertEqual(event.zoom_sync_state, "synced")
        self.assertEqual(self.zoom_calls("meetingCreate"), 3)
        self.assertEqual(len([m for m in self.sandbox.meetings() if m.topic == "Storm training"]), 1)


class ZoomAgreement:
    def assert_zoom_agrees(self, training):
        """Zoom's approved registrants are Odoo's registered ones, each once, with the same ids."""
        approved = self.zoom_registrants(training, "approved")
        emails = [registrant.email for registrant in approved]
        self.assertEqual(len(emails), len(set(emails)), "someone registered twice in Zoom")
        registered = training.registration_ids.filtered(lambda r: r.zoom_sync_state == "synced")
        self.assertEqual(sorted(emails), sorted(registered.mapped("email")))
        ids = {registrant.email: registrant.id for registrant in approved}
        for registration in registered:
            self.assertEqual(ids[registration.email], registration.zoom_registrant_id)


@tagged("post_install", "-at_install")
class TestRegistrantFaults(ZoomAgreement, SettlingJobs, ZoomRegistrantCase):
    def test_a_token_revoked_in_the_middle_of_a_batch_loses_nobody(self):
        training = self.zoom_training("Token revoked mid-batch", kind="webinar")
        self.sandbox.faults.revoke_tokens(operation="addBatchWebinarRegistrants", after=3)
        self.sandbox.requests.clear()
        registrations = self.sync(lambda: self.register(training, 300, prefix="revoked"))
        self.assertEqual(set(registrations.mapped("zoom_sync_state")), {"synced"})
        self.assert_zoom_agrees(training)
        self.assertEqual(len(self.zoom_registrants(training)), 300)
        refused = self.sandbox.requests.count(operation="addBatchWebinarRegistrants", status=401)
        self.assertEqual(refused, 1, "the 4th batch met the revoked token")
        self.assertEqual(self.zoom_calls("addBatchWebinarRegistrants"), 11, "10 batches and the one replay")
        self.assertEqual(self.zoom_calls("oauthToken"), 1, "one new token, fetched once")

    def test_registrations_made_during_half_an_hour_without_zoom_all_reach_it_once(self):
        self.env["ir.config_parameter"].sudo().set_param("zoom_training.max_retries", 0)
        training = self.zoom_training("Registrations during the outage")
        before = self.sync(lambda: self.register(training, 5, prefix="before"))
        self.sandbox.faults.fail(503)
        with trap_jobs() as trap:
            during = self.register(training, 40, prefix="during")
            before[0].email = "before0-new@example.com"
            before[1].action_cancel()
            during[2].action_cancel()
            postponed = 0
            for job in trap.enqueued_jobs:
                try:
                    job.perform()
                except RetryableJobError:
                    postponed += 1
            self.assertGreater(postponed, 0, "the registrant sync waits for Zoom")
            self.sandbox.clock.advance(30 * 60)
            self.sandbox.faults.clear()
            self.forget_tokens()
            self.perform_until_settled(trap)
        self.assert_zoom_agrees(training)
        emails = {registrant.email for registrant in self.zoom_registrants(training, "approved")}
        self.assertEqual(len(emails), 5 + 40 - 2)
        self.assertIn("before0-new@example.com", emails)
        self.assertNotIn("before0@example.com", emails)
        self.assertNotIn(before[1].email, emails)
        self.assertNotIn(during[2].email, emails)
