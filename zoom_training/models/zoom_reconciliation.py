import json
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.modules import module

from ..utils.errors import ZoomError, ZoomNotFound
from ..utils.reconcile import drifted_fields, listing_differs
from .zoom_plain import zoom_plain

_logger = logging.getLogger(__name__)

PAST_DAYS, FUTURE_DAYS = 7, 60  # the meetings a daily reconciliation looks at
# Meetings per pass of the scheduled action: a pass stays far below a cron worker's time limit (120 s by
# default; 2,000 meetings take about two minutes), and Odoo's cron runs the next pass at once.
CRON_BATCH = 300
RESULTS = [
    ("repaired", "Repaired"),
    ("kept", "Kept, as Settings ask"),
    ("failed", "Could not repair"),
    ("ok", "In step"),
]


class ZoomReconciliation(models.Model):
    """One run of the daily reconciliation: what drifted between Odoo and Zoom, what was repaired."""

    _name = "zoom.reconciliation"
    _description = "Zoom reconciliation report"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    state = fields.Selection([("running", "Running"), ("done", "Done")], default="running", required=True)
    started_at = fields.Datetime(default=fields.Datetime.now, required=True)
    finished_at = fields.Datetime()
    line_ids = fields.One2many("zoom.reconciliation.line", "reconciliation_id", string="Findings")
    meeting_count = fields.Integer("Meetings checked")
    repaired_count = fields.Integer("Repaired", compute="_compute_counts")
    failed_count = fields.Integer("Could not repair", compute="_compute_counts")

    @api.depends("line_ids.result")
    def _compute_counts(self):
        for report in self:
            report.repaired_count = len(report.line_ids.filtered(lambda line: line.result == "repaired"))
            report.failed_count = len(report.line_ids.filtered(lambda line: line.result == "failed"))

    @api.model
    def _cron_reconcile(self):
        """In a cron worker, CRON_BATCH meetings per pass, the rest told to Odoo's cron (its progress API
        runs the next pass at once); run by hand (*Run manually*), the whole run."""
        limit = CRON_BATCH if self.env.context.get("cron_id") else None
        done = remaining = 0
        for company in (
            self.env["zoom.account"].sudo().search([("client_secret_encrypted", "!=", False)]).company_id
        ):
            _report, checked, left = self.with_company(company)._reconcile_pass(company, limit)
            done, remaining = done + checked, remaining + left
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def _reconcile_company(self, company):
        """A whole run for the company: its report."""
        return self._reconcile_pass(company)[0]

    def _reconcile_pass(self, company, limit=None):
        """(report, meetings checked, meetings left): resumable, a run interrupted half way (or stopped after
        `limit` meetings) goes on with the meetings it has not checked yet."""
        report = self.search([("company_id", "=", company.id), ("state", "=", "running")], limit=1)
        report = report or self.create({"company_id": company.id})
        meetings = report._meetings_to_check()
        batch = meetings[:limit] if limit else meetings
        listings = report._host_listings(batch)
        for meeting in batch:
            report._reconcile_unit(meeting, listings)
            report.meeting_count += 1
            report._commit_unit()
        left = len(meetings) - len(batch)
        if not left:
            report.write({"state": "done", "finished_at": fields.Datetime.now()})
        return report, len(batch), left

    def _meetings_to_check(self):
        now = fields.Datetime.now()
        return self.env["zoom.meeting"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("zoom_id", "!=", False),
                ("sync_state", "in", ("synced", "error")),
                ("start", ">=", now - timedelta(days=PAST_DAYS)),
                ("start", "<=", now + timedelta(days=FUTURE_DAYS)),
                "|",
                ("last_reconciled_at", "=", False),
                ("last_reconciled_at", "<", self.started_at),
            ],
            order="host_email, kind, start, id",  # a pass of CRON_BATCH reads the lists of few hosts
        )

    def _commit_unit(self):
        """One meeting at a time is kept, so a crash loses at most one meeting's work."""
        if not module.current_test:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _reconcile_unit(self, meeting, listings):
        """Everything checked for one meeting; the registrant and after-meeting checks extend it."""
        return self._reconcile_meeting(meeting, listings)

    def _host_listings(self, meetings):
        """{(host user id, host email, kind): {zoom id: row}} from each host's meeting and webinar lists.

        One paged call reads the compared fields of up to 300 sessions, where reading each costs a call. A
        list Zoom does not give is left out: its sessions are then read one by one."""
        groups = {}
        for meeting in meetings.filtered("host_email"):
            groups.setdefault(_listing_key(meeting), meeting)
        listings = {}
        for key, meeting in groups.items():
            kind = meeting.kind
            try:
                client, user_ref = meeting._zoom_host_client()
                rows = client.paginate(
                    f"/users/{user_ref or meeting.host_email}/{kind}s",
                    f"{kind}s",
                    params={"type": "scheduled"},
                )
                listings[key] = {str(row.get("id")): row for row in rows}
            except (ZoomError, UserError) as error:
                _logger.info("Zoom %s list of %s not read: %s", kind, meeting.host_email, error)
        return listings

    def _reconcile_meeting(self, meeting, listings=None):
        if self._listed_in_step(meeting, listings or {}):
            meeting.last_reconciled_at = fields.Datetime.now()
            return "ok"
        try:
            answer = meeting._client().get(f"/{meeting.kind}s/{meeting.zoom_id}")
        except ZoomNotFound as error:
            if not error.gone:
                return self._note(meeting, "failed", zoom_plain(self.env, error.plain))
            return self._recreate(meeting)
        except ZoomError as error:
            return self._note(meeting, "failed", zoom_plain(self.env, error.plain))
        finally:
            meeting.last_reconciled_at = fields.Datetime.now()
        result = self._set_back(meeting, answer)
        if result != "failed" and meeting.zoom_drift:
            meeting.action_zoom_clear_drift()  # read in full and repaired: the flag has done its work
        return result

    def _listed_in_step(self, meeting, listings):
        """The host's list shows this meeting as Odoo sent it, and no webhook reported a change of what
        the list does not show (settings): no need to read it in full."""
        listing = listings.get(_listing_key(meeting))
        if listing is None or meeting.zoom_drift:
            return False
        row = listing.get(str(meeting.zoom_id))
        return bool(row) and not listing_differs(json.loads(meeting.last_payload or "{}"), row)

    def _recreate(self, meeting):
        """Deleted by hand in Zoom while Odoo still holds the session: created again and announced."""
        meeting.write(
            {"zoom_id": False, "zoom_uuid": False, "last_payload": False, "last_payload_hash": False}
        )
        # its registrants went with it: the registrant sync the push queues registers them in the new
        # meeting and mails each their new link (they read "synced" with dead links otherwise)
        meeting._zoom_forget_registrants()
        if not meeting._zoom_push() or not meeting.zoom_id:
            return self._note(
                meeting, "failed", _("Deleted in Zoom; creating it again failed: %s", meeting.sync_error)
            )
        source = meeting._source()
        message = _(
            "The Zoom meeting had been deleted in Zoom: Odoo created it again. New join link: %s",
            meeting.join_url,
        )
        if source:
            source.message_post(body=message, subtype_xmlid="mail.mt_comment")
        return self._note(meeting, "repaired", _("Deleted in Zoom: created again."))

    def _set_back(self, meeting, answer):
        """Fields changed in Zoom are set back to what Odoo sent: Odoo is the source of truth."""
        sent = json.loads(meeting.last_payload or "{}")
        drifted = drifted_fields(sent, answer)
        if not drifted:
            return self._note(meeting, "ok", "")
        try:
            meeting._zoom_host_call(
                meeting.host_email,
                lambda: meeting._client().patch(f"/{meeting.kind}s/{meeting.zoom_id}", json=drifted),
            )
        except (ZoomError, UserError) as error:
            return self._note(
                meeting,
                "failed",
                _(
                    "Changed in Zoom (%(fields)s); setting it back failed: %(error)s",
                    fields=", ".join(drifted),
                    error=error,
                ),
            )
        return self._note(meeting, "repaired", _("Changed in Zoom, set back: %s", ", ".join(sorted(drifted))))

    def _note(self, meeting, result, detail):
        if result == "ok":
            return result
        self.env["zoom.reconciliation.line"].create(
            {"reconciliation_id": self.id, "meeting_id": meeting.id, "result": result, "detail": detail}
        )
        return result


def _listing_key(meeting):
    return (meeting.host_user_id.id, meeting.host_email, meeting.kind)


class ZoomReconciliationLine(models.Model):
    _name = "zoom.reconciliation.line"
    _description = "Zoom reconciliation finding"

    reconciliation_id = fields.Many2one("zoom.reconciliation", required=True, ondelete="cascade", index=True)
    meeting_id = fields.Many2one("zoom.meeting", ondelete="set null")
    result = fields.Selection(RESULTS, required=True)
    detail = fields.Char()
