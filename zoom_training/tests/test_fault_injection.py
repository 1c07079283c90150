from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from .test_meetings import ZoomMeetingCase


@tagged("post_install", "-at_install")
class TestFaultInjection(ZoomMeetingCase):
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
