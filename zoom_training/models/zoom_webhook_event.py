import logging
from datetime import datetime, timedelta, timezone

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.queue_job.exception import RetryableJobError

from ..utils.webhook import normalize_id, parse_envelope

_logger = logging.getLogger(__name__)

REDACTED = "[redacted]"  # what erasure leaves of a person in a stored delivery

DEFAULT_RETENTION_DAYS = 30
DEFAULT_MAX_ROWS = 200_000  # zoom_training.webhook_inbox_max_rows: the inbox's size under any flood
INVALID_BODY_CHARS = 64 * 1024  # what is kept of a signed body that is not Zoom's JSON
STORED_COLUMNS = (
    "event", "event_ts", "event_at", "dedupe_key", "endpoint", "company_id", "account_id", "object_id",
    "object_uuid", "body", "download_token", "signature_valid", "state", "error", "attempts",
)  # fmt: skip
CAST_BY_COLUMN = {
    "event_at": "timestamp",
    "company_id": "int4",
    "signature_valid": "bool",
    "attempts": "int4",
}
# A key already stored is left out by NOT EXISTS, which reads the committed rows without waiting: the unique
# index alone would make the INSERT wait for a drain job updating that row (seconds, the batch behind it).
# ON CONFLICT covers the same delivery stored meanwhile by another transaction, or twice in one batch.
INSERT_ONCE = (
    "INSERT INTO zoom_webhook_event ({columns}, create_uid, write_uid, received_at, create_date, write_date) "
    "SELECT new.*, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' "
    "FROM (VALUES {{}}) AS new({columns}, create_uid, write_uid) "
    "WHERE NOT EXISTS (SELECT 1 FROM zoom_webhook_event stored WHERE stored.dedupe_key = new.dedupe_key) "
    "ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key, id"
).format(columns=", ".join(STORED_COLUMNS))
INSERT_ROW = "({}, %s::int4, %s::int4)".format(
    ", ".join(
        f"%s::{CAST_BY_COLUMN[column]}" if column in CAST_BY_COLUMN else "%s" for column in STORED_COLUMNS
    )
)
DRAIN_IDENTITY = "zoom-webhook-drain"
DRAIN_BATCH = 500
DRAIN_WAITING_STATES = ("wait_dependencies", "pending", "enqueued")
RETRY_SECONDS = (10, 60, 300, 900)  # after the 1st, 2nd, ... attempt
MAX_ATTEMPTS = len(RETRY_SECONDS) + 1
DRAIN_CREATION_LOCK = 0x5A00_3E61  # a PostgreSQL advisory lock key (any bigint unique to the addon)
DRAIN_DELAY_SECONDS = 1  # a burst is drained by one job, after it rather than during it
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
    next_attempt_at = fields.Datetime("Next attempt", readonly=True)

    _sql_constraints = [
        ("dedupe_key_unique", "unique(dedupe_key)", "A Zoom delivery is stored once."),
    ]

    # Storage (the controller, as superuser) ---------------------------------------------------------

    @api.model
    def _is_handled(self, event_name):
        return event_name in HANDLERS

    @api.model
    def _store_delivery(self, envelope, raw_body, endpoint, company):
        """Stores a verified delivery once; returns (record, created)."""
        return self._store_deliveries([(envelope, raw_body, endpoint, company)])[0]

    @api.model
    def _store_deliveries(self, deliveries):
        """Stores verified deliveries, each (envelope, raw body, endpoint, company), once: (record, created)
        for each, in order. A delivery whose event is already stored, or that comes twice in the list,
        meets the unique key and is not stored again. One INSERT for them all, not the ORM's create: this
        runs for every delivery of a burst while Zoom waits for the answer."""
        rows = [self._stored_values(*delivery) for delivery in deliveries]
        created_ids = self._insert_once(rows)
        keys = [row["dedupe_key"] for row in rows]
        existing = self._stored_by_key([key for key in keys if key not in created_ids])
        outcomes, first_seen = [], set()
        for key in keys:
            if key in created_ids:
                outcomes.append((self.browse(created_ids[key]), key not in first_seen))
                first_seen.add(key)
            else:
                outcomes.append((existing.get(key, self.browse()), False))
        return outcomes

    @api.model
    def _stored_by_key(self, keys):
        if not keys:
            return {}
        return {record.dedupe_key: record for record in self.search([("dedupe_key", "in", keys)])}

    @api.model
    def _stored_values(self, envelope, raw_body, endpoint, company):
        handled = self._is_handled(envelope.event)
        return {
            "event": envelope.event,
            "event_ts": str(envelope.event_ts),
            "event_at": _from_epoch_ms(envelope.event_ts) or None,
            "dedupe_key": envelope.dedupe_key,
            "endpoint": endpoint,
            "company_id": company.id,
            "account_id": envelope.account_id,
            "object_id": envelope.object_id,
            "object_uuid": envelope.object_uuid,
            "body": _decoded(raw_body),
            "download_token": envelope.download_token or None,
            "signature_valid": True,
            "state": "received" if handled else "ignored",
            "error": None if handled else _("Odoo does not handle this event."),
            "attempts": 0,
        }

    def _insert_once(self, rows):
        """{dedupe key: id} of the rows inserted; a key already stored is left out."""
        if not rows:
            return {}
        params = []
        for row in rows:
            params.extend(row[column] for column in STORED_COLUMNS)
            params.extend((self.env.uid, self.env.uid))
        self.env.cr.execute(INSERT_ONCE.format(", ".join([INSERT_ROW] * len(rows))), params)
        return dict(self.env.cr.fetchall())

    @api.model
    def _store_invalid(self, raw_body, endpoint, reason, company=None):
        """A signed body that is not Zoom's JSON is kept for inspection, capped; nothing processes it."""
        body = _decoded(raw_body).replace("\x00", "\\x00")
        if len(body) > INVALID_BODY_CHARS:
            body = body[:INVALID_BODY_CHARS] + "\n" + _("… (%(total)s characters, cut)", total=len(body))
        return self.create(
            {
                "endpoint": endpoint,
                "company_id": company.id if company else False,
                "body": body,
                "signature_valid": bool(company),
                "state": "invalid",
                "error": reason,
            }
        )

    # The drain: one job processes what was received -------------------------------------------------
    #
    # A delivery is committed first; then a second transaction, whose snapshot is therefore later, looks
    # for a drain job that has not started, and enqueues one when there is none. A drain job that had not
    # started then reads in a transaction that begins after it started (queue_job commits that state
    # first), so it sees the delivery: none is left behind, whatever the timing. Only a transaction that
    # found no drain takes the creation lock, and it enqueues one: deliveries arriving together, which
    # find the lock taken, count on that one, so a burst enqueues a single drain.

    @api.model
    def _ensure_drain(self):
        """A drain job that has not started yet: there is one, or one is being enqueued, or this
        transaction enqueues it. Call it in a transaction that began after the deliveries were committed."""
        self.env["queue.job"].flush_model(["identity_key", "state"])
        self.env.cr.execute(
            "SELECT CASE WHEN EXISTS(SELECT 1 FROM queue_job WHERE identity_key = %s AND state IN %s) "
            "THEN 'waiting' WHEN pg_try_advisory_xact_lock(%s) THEN 'enqueue' ELSE 'being enqueued' END",
            [DRAIN_IDENTITY, DRAIN_WAITING_STATES, DRAIN_CREATION_LOCK],
        )
        if self.env.cr.fetchone()[0] == "enqueue":
            self._enqueue_drain(DRAIN_IDENTITY, eta=DRAIN_DELAY_SECONDS)

    @api.model
    def _enqueue_drain(self, identity_key, eta=None):
        self.with_delay(
            channel="root.zoom",
            identity_key=identity_key,
            eta=eta,
            description=_("Zoom webhooks: process received deliveries"),
        )._drain()

    @api.model
    def _drain(self):
        """Processes the due deliveries in arrival order, DRAIN_BATCH at a time, each once."""
        self = self.sudo()
        self.flush_model(["state", "next_attempt_at"])
        self.env.cr.execute(
            "SELECT id FROM zoom_webhook_event WHERE state = 'received' "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= %s) "
            "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
            [fields.Datetime.now(), DRAIN_BATCH + 1],
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        deliveries = self.browse(ids[:DRAIN_BATCH])
        deliveries._process()
        if len(ids) > DRAIN_BATCH:
            self._enqueue_drain(DRAIN_IDENTITY)
        self._schedule_retry_drain()
        return len(deliveries)

    @api.model
    def _schedule_retry_drain(self):
        """Deliveries put off to a later attempt get a drain of their own, at the earliest of them (a
        separate identity: a drain due later must not make new deliveries wait for it)."""
        retry = self.search(
            [("state", "=", "received"), ("next_attempt_at", "!=", False)], order="next_attempt_at", limit=1
        )
        if retry:
            at = retry.next_attempt_at
            self._enqueue_drain(f"{DRAIN_IDENTITY}-at-{at:%Y%m%d%H%M%S}", eta=at)

    @api.model
    def _cron_drain_left_behind(self):
        """A drain that failed leaves deliveries waiting: this makes sure one comes for them."""
        due = [
            ("state", "=", "received"),
            ("received_at", "<", fields.Datetime.now() - timedelta(minutes=1)),
            "|",
            ("next_attempt_at", "=", False),
            ("next_attempt_at", "<=", fields.Datetime.now()),
        ]
        if self.search_count(due, limit=1):
            self._ensure_drain()

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
        except (psycopg2.errors.UniqueViolation, RetryableJobError) as error:
            self._wait_for_next_drain(error)
            return
        except Exception as error:  # kept on the delivery, shown in the inbox
            _logger.warning("Zoom webhook %s (%s) failed: %s", self.id, self.event, error, exc_info=True)
            self._processed("failed", str(error))
            return
        ignored_reason = outcome if isinstance(outcome, str) else False
        self._processed("ignored" if ignored_reason else "done", ignored_reason)

    def _processed(self, state, error=False):
        self.write(
            {"state": state, "error": error, "processed_at": fields.Datetime.now(), "next_attempt_at": False}
        )

    def _wait_for_next_drain(self, error):
        """Another transaction wrote the same record, or the handler asked to be run later (a recording
        download Zoom did not serve): the delivery waits for a later drain, MAX_ATTEMPTS runs at most."""
        if self.attempts >= MAX_ATTEMPTS:
            _logger.warning(
                "Zoom webhook %s (%s) failed %s times: %s", self.id, self.event, self.attempts, error
            )
            self._processed("failed", str(error))
            return
        seconds = getattr(error, "seconds", None) or RETRY_SECONDS[self.attempts - 1]
        self.write(
            {
                "state": "received",
                "error": str(error),
                "next_attempt_at": fields.Datetime.now() + timedelta(seconds=seconds),
            }
        )

    def _payload(self):
        return parse_envelope(self.body.encode())

    def _session(self, envelope):
        """The Odoo meeting the event is about, or None when Odoo does not hold it. Companies sharing one
        Zoom account share its meeting ids: the delivery goes to the company holding the meeting, whichever
        of them signed it, and never to a company connected to another account."""
        meeting = (
            self.env["zoom.meeting"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("zoom_id", "=", normalize_id(envelope.object.get("id"))),
                    ("company_id", "in", self._zoom_account_companies(envelope.account_id).ids),
                ],
                limit=1,
            )
        )
        if meeting:
            self.write({"meeting_id": meeting.id, "company_id": meeting.company_id.id})
        return meeting

    def _zoom_account_companies(self, account_id):
        """The signing company, and the other companies connected to the Zoom account it is connected to."""
        accounts = self.env["zoom.account"].sudo()
        own = [("company_id", "=", self.company_id.id), ("account_id", "=", account_id)]
        if not account_id or not accounts.search_count(own, limit=1):
            return self.company_id
        return self.company_id | accounts.search([("account_id", "=", account_id)]).company_id

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
            envelope.payload.get("user_id"), envelope.payload.get("client_id"), self.company_id
        )
        if not forgotten:
            return _("No Odoo user has connected this Zoom user.")
        _logger.info("Zoom user %s removed the app: connection forgotten", envelope.payload.get("user_id"))
        return None

    # Actions and crons ------------------------------------------------------------------------------

    def action_retry(self):
        if not self.env.user.has_group("zoom_training.group_zoom_manager"):
            raise AccessError(_("Only a Zoom administrator retries Zoom's deliveries."))
        self.check_access("read")
        retried = self.sudo().filtered(lambda record: record.state in ("failed", "done"))
        retried.write({"state": "received", "error": False, "next_attempt_at": False})
        if retried:
            # not the burst's identity: a drain already queued may start before this commits
            self.sudo()._enqueue_drain(identity_key=None)
        return True

    def _zoom_redact(self, terms):
        """Stored deliveries naming them keep their shape, not the person: each term replaced, any case."""
        self.flush_model(["body"])
        for term in terms:
            escaped = _like_escaped(term)
            self.env.cr.execute(
                "UPDATE zoom_webhook_event SET body = regexp_replace(body, %s, %s, 'gi') WHERE body ILIKE %s",
                [_regex_escaped(term), REDACTED, f"%{escaped}%"],
            )
        self.invalidate_model(["body"])

    @api.model
    def _cron_purge(self):
        """Deletes deliveries older than each company's retention, then the oldest processed ones beyond
        `zoom_training.webhook_inbox_max_rows`, so that the table stays bounded under a flood."""
        for company in self.env["res.company"].sudo().search([]):
            days = company.zoom_webhook_retention_days or DEFAULT_RETENTION_DAYS
            limit = fields.Datetime.now() - timedelta(days=days)
            self.flush_model()
            self.env.cr.execute(
                "DELETE FROM zoom_webhook_event "
                "WHERE (company_id = %s OR company_id IS NULL) AND received_at < %s",
                [company.id, limit],
            )
        self._purge_beyond(self._param_int("zoom_training.webhook_inbox_max_rows", DEFAULT_MAX_ROWS))
        self.invalidate_model()

    @api.model
    def _purge_beyond(self, max_rows):
        """Keeps the newest `max_rows` deliveries; those still waiting to be processed are never deleted."""
        self.flush_model()
        self.env.cr.execute(
            "DELETE FROM zoom_webhook_event WHERE state != 'received' AND id <= "
            "(SELECT id FROM zoom_webhook_event ORDER BY id DESC OFFSET %s LIMIT 1)",
            [max_rows],
        )
        return self.env.cr.rowcount


def _from_epoch_ms(value):
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc).replace(tzinfo=None)
    except (OverflowError, ValueError, OSError):
        return False


def _decoded(raw_body):
    return raw_body.decode("utf-8", errors="replace") if isinstance(raw_body, bytes) else raw_body


def _like_escaped(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _regex_escaped(text):
    return "".join(f"\\{char}" if not char.isalnum() and char != " " else char for char in text)
