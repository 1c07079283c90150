import logging
from datetime import datetime, timedelta, timezone

import psycopg2

from odoo import _, api, fields, models

from odoo.addons.queue_job.exception import RetryableJobError

from ..utils.webhook import normalize_id, parse_envelope

_logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 30
SESSION_HANDLERS = {
    "started": "_handle_started",
    "ended": "_handle_ended",
    "participant_joined": "_handle_participant",
    "participant_left": "_handle_participant",
    "deleted": "_handle_deleted",
    "updated": "_handle_updated",
    "registration_approved": "_handle_registration_change",
    "registration_cancelled": "_handle_registration_change",
    "registration_denied": "_handle_registration_change",
}
HANDLERS = {
    **{
        f"{kind}.{action}": method
        for kind in ("meeting", "webinar")
        for action, method in SESSION_HANDLERS.items()
    },
    "recording.completed": "_handle_recording_completed",
    "app_deauthorized": "_handle_app_deauthorized",
}
STATES = [
    ("received", "Received"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("ignored", "Ignored"),
    ("invalid", "Invalid"),
]


class ZoomWebhookEvent(models.Model):
    """The inbox: every delivery Zoom made, stored once, processed by a job."""

    _name = "zoom.webhook.event"
    _description = "Zoom webhook delivery"
    _order = "id desc"
    _rec_name = "event"

    event = fields.Char(readonly=True, index=True)
    event_ts = fields.Char("Event time (ms)", readonly=True)
    event_at = fields.Datetime("Event time", readonly=True)
    dedupe_key = fields.Char(readonly=True, copy=False)
    endpoint = fields.Selection([("meeting", "Meeting"), ("webinar", "Webinar")], readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    account_id = fields.Char("Zoom account", readonly=True)
    object_id = fields.Char("Zoom ID", readonly=True, index=True)
    object_uuid = fields.Char("Zoom UUID", readonly=True)
    meeting_id = fields.Many2one("zoom.meeting", readonly=True, index="btree_not_null", ondelete="set null")
    body = fields.Text(readonly=True, help="The raw body, as received.")
    download_token = fields.Char(readonly=True, groups="base.group_system")
    signature_valid = fields.Boolean(readonly=True)
    state = fields.Selection(STATES, default="received", required=True, readonly=True, index=True)
    error = fields.Text(readonly=True)
    received_at = fields.Datetime(default=fields.Datetime.now, readonly=True, index=True)
    processed_at = fields.Datetime(readonly=True)
    attempts = fields.Integer(readonly=True)

    _sql_constraints = [
        ("dedupe_key_unique", "unique(dedupe_key)", "A Zoom delivery is stored once."),
    ]

    # Storage (the controller, as superuser) ---------------------------------------------------------

    @api.model
    def _is_handled(self, event_name):
        return event_name in HANDLERS

    @api.model
    def _store_delivery(self, envelope, raw_body, endpoint, company):
        """Stores a verified delivery once; returns (record, created). A concurrent or repeated delivery
        of the same event hits the unique key and is not stored again."""
        key = envelope.dedupe_key
        existing = self.search([("dedupe_key", "=", key)], limit=1)
        if existing:
            return existing, False
        handled = self._is_handled(envelope.event)
        values = {
            "event": envelope.event,
            "event_ts": str(envelope.event_ts),
            "event_at": _from_epoch_ms(envelope.event_ts),
            "dedupe_key": key,
            "endpoint": endpoint,
            "company_id": company.id,
            "account_id": envelope.account_id,
            "object_id": envelope.object_id,
            "object_uuid": envelope.object_uuid,
            "body": _decoded(raw_body),
            "download_token": envelope.download_token or False,
            "signature_valid": True,
            "state": "received" if handled else "ignored",
            "error": False if handled else _("Odoo does not handle this event."),
        }
        try:
            with self.env.cr.savepoint():
                record = self.create(values)
        except psycopg2.errors.UniqueViolation:
            return self.browse(), False
        if handled:
            record._enqueue_processing()
        return record, True

    @api.model
    def _store_invalid(self, raw_body, endpoint, reason, company=None):
        """A body that is not Zoom's JSON is kept for inspection; nothing processes it."""
        return self.create(
            {
                "endpoint": endpoint,
                "company_id": company.id if company else False,
                "body": _decoded(raw_body),
                "signature_valid": bool(company),
                "state": "invalid",
                "error": reason,
            }
        )

    def _enqueue_processing(self):
        for delivery in self:
            delivery.with_delay(
                channel="root.zoom",
                identity_key=f"zoom-webhook-{delivery.id}",
                description=_("Zoom webhook: %s", delivery.event),
            )._process()

    # Processing (the job) ---------------------------------------------------------------------------

    def _process(self):
        """Runs the event's handler once; a failure is kept on the delivery with its reason."""
        for delivery in self.filtered(lambda record: record.state in ("received", "failed")):
            delivery._process_one()
        return True

    def _process_one(self):
        self.ensure_one()
        self.attempts += 1
        try:
            with self.env.cr.savepoint():
                outcome = getattr(self, HANDLERS[self.event])(self._payload())
        except psycopg2.errors.UniqueViolation as error:
            raise RetryableJobError(
                _("Another job wrote the same record; trying again."), seconds=5
            ) from error
        except RetryableJobError:
            raise
        except Exception as error:  # kept on the delivery, shown in the inbox
            _logger.warning("Zoom webhook %s (%s) failed: %s", self.id, self.event, error, exc_info=True)
            self.write({"state": "failed", "error": str(error), "processed_at": fields.Datetime.now()})
            return
        ignored_reason = outcome if isinstance(outcome, str) else False
        self.write(
            {
                "state": "ignored" if ignored_reason else "done",
                "error": ignored_reason,
                "processed_at": fields.Datetime.now(),
            }
        )

    def _payload(self):
        return parse_envelope(self.body.encode())

    def _session(self, envelope):
        """The Odoo meeting the event is about, or None when Odoo does not hold it."""
        meeting = (
            self.env["zoom.meeting"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("zoom_id", "=", normalize_id(envelope.object.get("id"))),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
        )
        if meeting:
            self.meeting_id = meeting
        return meeting

    # Handlers: each returns a reason when the event does not concern Odoo ------------------------------

    def _handle_started(self, envelope):
        meeting = self._session(envelope)
        if not meeting:
            return _("No Odoo meeting has this Zoom ID.")
        meeting._zoom_apply_started(envelope.object)
        return None

    def _handle_ended(self, envelope):
        meeting = self._session(envelope)
        if not meeting:
            return _("No Odoo meeting has this Zoom ID.")
        meeting._zoom_apply_ended(envelope.object)
        return None

    def _handle_participant(self, envelope):
        meeting = self._session(envelope)
        if not meeting:
            return _("No Odoo meeting has this Zoom ID.")
        left = envelope.event.endswith("participant_left")
        self.env["zoom.attendance"].sudo()._record_participant(meeting, envelope.object, left=left)
        return None

    def _handle_deleted(self, envelope):
        meeting = self._session(envelope)
        if not meeting:
            return _("No Odoo meeting has this Zoom ID.")
        meeting._zoom_check_deleted_in_zoom(envelope.payload)
        return None

    def _handle_updated(self, envelope):
        meeting = self._session(envelope)
        if not meeting:
            return _("No Odoo meeting has this Zoom ID.")
        meeting._zoom_check_updated_in_zoom(envelope.object)
        return None

    def _handle_registration_change(self, envelope):
        meeting = self._session(envelope)
        if not meeting:
            return _("No Odoo meeting has this Zoom ID.")
        action = envelope.event.rsplit("_", 1)[1]
        meeting._zoom_check_registrant_change(action, envelope.object.get("registrant") or {})
        return None

    def _handle_recording_completed(self, envelope):
        meeting = self._session(envelope)
        if not meeting:
            return _("No Odoo meeting has this Zoom ID.")
        self.env["zoom.recording"].sudo()._store_from_webhook(meeting, envelope.object, self.download_token)
        return None

    def _handle_app_deauthorized(self, envelope):
        """The user removed the user-managed app in Zoom: their tokens are dead, forget them."""
        forgotten = self.env["zoom.user.token"]._forget_zoom_user(
            envelope.payload.get("user_id"), envelope.payload.get("client_id")
        )
        if not forgotten:
            return _("No Odoo user has connected this Zoom user.")
        _logger.info("Zoom user %s removed the app: connection forgotten", envelope.payload.get("user_id"))
        return None

    # Actions and crons ------------------------------------------------------------------------------

    def action_retry(self):
        retried = self.filtered(lambda record: record.state in ("failed", "done"))
        retried.write({"state": "received", "error": False})
        retried._enqueue_processing()
        return True

    @api.model
    def _cron_purge(self):
        """Deletes deliveries older than each company's retention."""
        for company in self.env["res.company"].sudo().search([]):
            days = company.zoom_webhook_retention_days or DEFAULT_RETENTION_DAYS
            limit = fields.Datetime.now() - timedelta(days=days)
            self.sudo().search(
                [("company_id", "in", [company.id, False]), ("received_at", "<", limit)]
            ).unlink()


def _from_epoch_ms(value):
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc).replace(tzinfo=None)
    except (OverflowError, ValueError, OSError):
        return False


def _decoded(raw_body):
    return raw_body.decode("utf-8", errors="replace") if isinstance(raw_body, bytes) else raw_body
