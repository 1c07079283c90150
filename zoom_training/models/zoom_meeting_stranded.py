import logging

from odoo import _, api, models

from .zoom_meeting_registrants import PARTICIPANT_MODELS

_logger = logging.getLogger(__name__)

LIVE_JOB_STATES = ("wait_dependencies", "pending", "enqueued", "started")
WAITING_PARTICIPANT_STATES = ("to_sync", "cancel_pending")


class ZoomMeeting(models.Model):
    """Nothing waits on a job that no longer exists: records left pending by a job that failed, was
    cancelled or vanished are found by one query every few minutes, not by the hourly catch-up."""

    # one concept a file (DESIGN.md), as the registrant sync has its own
    _inherit = "zoom.meeting"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_zoom_pick_up_stranded(self):
        """Meetings and participants waiting for Zoom with no live job: queued again, or, when their last
        job gave up after its retries, shown as failed to the Zoom administrators."""
        for meeting_id, work, job in self._zoom_stranded_work():
            meeting = self.sudo().browse(meeting_id)
            if job["state"] == "failed":
                meeting._zoom_show_job_failure(work, job)
            elif job["state"] == "done" and job["date_done"] >= job["since"]:
                continue  # that job saw them and left them waiting on purpose: the catch-up's business
            elif work == "push":
                meeting._enqueue_push(eta=None)
            else:
                meeting._zoom_enqueue_registrant_sync(eta=None, resume=True)

    @api.model
    def _cron_show_failed_jobs(self):
        """The scheduled action's method in databases installed before the stranded-work check."""
        self._cron_zoom_pick_up_stranded()

    @api.model
    def _zoom_stranded_work(self):
        """[(meeting id, "push" | "registrants", its last job {state, date_done, retries, error, since})]
        for the work that no live job covers, in one query."""
        self.env.flush_all()
        self.env.cr.execute(
            self._zoom_stranded_query(), {"live": LIVE_JOB_STATES, "waiting": WAITING_PARTICIPANT_STATES}
        )
        return [
            (
                meeting_id,
                work,
                dict(zip(("state", "date_done", "retries", "error", "since"), job, strict=True)),
            )
            for meeting_id, work, *job in self.env.cr.fetchall()
        ]

    @api.model
    def _zoom_stranded_query(self):
        waiting = " UNION ALL ".join(
            f"""SELECT session.zoom_meeting_id AS meeting_id, max(participant.write_date) AS since
                  FROM {self.env[model]._table} participant
                  JOIN {self.env[self.env[model]._fields["event_id"].comodel_name]._table} session
                    ON session.id = participant.event_id
                 WHERE participant.zoom_sync_state IN %(waiting)s AND session.zoom_meeting_id IS NOT NULL
                 GROUP BY 1"""
            for model in PARTICIPANT_MODELS
        )
        return f"""
            WITH waiting AS ({waiting}),
            due AS (
                SELECT id AS meeting_id, 'push' AS work, write_date AS since
                  FROM zoom_meeting WHERE active AND sync_state = 'pending'
                UNION ALL
                SELECT meeting.id, 'registrants', max(waiting.since)
                  FROM zoom_meeting meeting JOIN waiting ON waiting.meeting_id = meeting.id
                 WHERE meeting.active AND meeting.zoom_id IS NOT NULL
                   AND meeting.sync_state NOT IN ('pending', 'deleted')
                 GROUP BY meeting.id
            )
            SELECT due.meeting_id, due.work, last.state, last.date_done, last.retry,
                   COALESCE(last.exc_message, last.exc_name), due.since
              FROM due
              LEFT JOIN LATERAL (
                    SELECT state, date_done, retry, exc_message, exc_name FROM queue_job
                     WHERE identity_key = 'zoom-' || due.work || '-' || due.meeting_id
                     ORDER BY id DESC LIMIT 1
                   ) last ON TRUE
             WHERE NOT EXISTS (
                    SELECT 1 FROM queue_job live
                     WHERE live.state IN %(live)s
                       AND live.identity_key IN (
                            'zoom-push-' || due.meeting_id, 'zoom-registrants-' || due.meeting_id
                           )
                   )
        """

    def _zoom_show_job_failure(self, work, job):
        """The records the job left waiting say it gave up, with its reason; one activity for the
        administrators. *Sync now* / *Register in Zoom again* start over."""
        self.ensure_one()
        reason = _(
            "Zoom sync gave up after %(retries)s tries: %(error)s",
            retries=job["retries"],
            error=job["error"] or "",
        )
        if work == "push":
            self._zoom_show_failure(reason)
            return
        for model in PARTICIPANT_MODELS:
            Participant = self.env[model].sudo().with_context(active_test=False)
            waiting = Participant.search(
                [
                    *Participant._zoom_participant_domain(self),
                    ("zoom_sync_state", "in", WAITING_PARTICIPANT_STATES),
                ]
            )
            waiting.write({"zoom_sync_state": "error", "zoom_sync_error": reason})
        self._zoom_notify_administrators(_("Zoom registrant sync failed"), reason)
        _logger.info("Zoom registrant sync of meeting %s failed: %s", self.id, reason)
