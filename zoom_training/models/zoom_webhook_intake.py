"""The intake of Zoom's deliveries: verify, store once, make sure a drain job will process it, answer.

Both the webhook routes (controllers/webhook.py) and the fast path ahead of Odoo's HTTP stack
(controllers/webhook_fast_path.py) call `_receive`, so nothing here reads `odoo.http.request`.
"""

import json
import logging
import time
from dataclasses import dataclass, field

from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Request

from odoo import api, models, tools

from ..utils.crypto import EncryptionKeyError
from ..utils.rejections import RejectionTrace
from ..utils.webhook import (
    DEFAULT_TOLERANCE_SECONDS,
    EnvelopeError,
    SignatureError,
    SignerMap,
    check_timestamp,
    parse_envelope,
    url_validation_answer,
)
from ..utils.webhook_input import (
    InputError,
    declared_length,
    escaped,
    signature_well_formed,
    timestamp_header,
)
from .zoom_plain import zoom_plain

_logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 1024 * 1024
# What _webhook_signer_map reads: a change to any of them clears it.
SIGNER_FIELDS = {"account_id", "company_id", "webhook_secret_encrypted", "user_webhook_secret_encrypted"}
# Refusals of this process, counted until written (zoom.webhook.rejection) and logged at a bounded rate.
REJECTIONS = RejectionTrace()
REFUSAL_MESSAGES = {400: "malformed request", 401: "invalid signature", 413: "too large"}


@dataclass(frozen=True)
class WebhookRequest:
    """What the intake reads of an HTTP delivery."""

    endpoint: str
    raw_body: bytes
    timestamp: str = ""
    signature: str = ""
    path: str = ""
    remote_addr: str = ""
    too_large: bool = False
    unreadable: bool = False  # the body did not come whole (a length that lies, a broken chunk)

    @classmethod
    def from_http(cls, httprequest, endpoint, max_bytes):
        """From a werkzeug request. A body larger than `max_bytes` is not read past the limit, whether its
        length is declared or it comes in chunks. The body read is kept on the request, for a transaction
        retried after a serialization failure."""
        too_large, raw_body, unreadable = (httprequest.content_length or 0) > max_bytes, b"", False
        if not too_large:
            httprequest.max_content_length = max_bytes
            try:
                raw_body = httprequest.get_data()
            except RequestEntityTooLarge:
                too_large = True
            except (HTTPException, OSError, ValueError):
                unreadable = True
            too_large = too_large or len(raw_body) > max_bytes
        return cls(
            endpoint=endpoint,
            raw_body=raw_body,
            timestamp=httprequest.headers.get("x-zm-request-timestamp", ""),
            signature=httprequest.headers.get("x-zm-signature", ""),
            path=httprequest.path,
            remote_addr=httprequest.remote_addr or "",
            too_large=too_large,
            unreadable=unreadable,
        )

    @classmethod
    def from_environ(cls, environ, endpoint, max_bytes):
        """From a WSGI environ whose body has a declared length (what Zoom sends), without building a
        werkzeug request; a chunked body goes through `from_http`."""
        declared = declared_length(environ.get("CONTENT_LENGTH"))
        if declared is None or environ.get("HTTP_TRANSFER_ENCODING"):
            return cls.from_http(Request(environ), endpoint, max_bytes)
        too_large = declared > max_bytes
        raw_body = b"" if too_large else _read(environ["wsgi.input"], declared)
        return cls(
            endpoint=endpoint,
            raw_body=raw_body or b"",
            unreadable=raw_body is None,
            timestamp=environ.get("HTTP_X_ZM_REQUEST_TIMESTAMP", ""),
            signature=environ.get("HTTP_X_ZM_SIGNATURE", ""),
            path=environ.get("PATH_INFO", ""),
            remote_addr=environ.get("REMOTE_ADDR") or "",
            too_large=too_large,
        )


def _read(stream, length):
    """`length` bytes of the body, or None when fewer come (the sender closed, or lied about the length)."""
    try:
        raw_body = stream.read(length)
    except (HTTPException, OSError, ValueError):
        return None
    return raw_body if len(raw_body) == length else None


@dataclass(frozen=True)
class _Verified:
    """A delivery signed by `company`, to be stored."""

    envelope: object
    delivery: WebhookRequest
    company: models.BaseModel

    @property
    def stored_as(self):
        return (self.envelope, self.delivery.raw_body, self.delivery.endpoint, self.company)

    def answer(self, record, created, inbox):
        waiting = inbox._is_handled(self.envelope.event) if created else record.state == "received"
        return WebhookAnswer(200, {"status": "ok"}, needs_drain=waiting)


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    body: dict = field(default_factory=dict)
    needs_drain: bool = False  # a delivery waits for processing: see zoom.webhook.event._ensure_drain

    @classmethod
    def plain(cls, status, message):
        return cls(status, {"status": message})

    def json_bytes(self):
        return json.dumps(self.body).encode()


TOO_LARGE = WebhookAnswer.plain(413, "too large")


@dataclass(frozen=True)
class Refusal:
    """A delivery refused: its answer's status, the kind (zoom.webhook.rejection's reason), in words."""

    status: int
    reason: str
    detail: str

    @property
    def answer(self):
        return (
            TOO_LARGE
            if self.status == 413
            else WebhookAnswer.plain(self.status, REFUSAL_MESSAGES[self.status])
        )


def refusal_before_secrets(delivery, max_bytes, tolerance=None, now=None):
    """The refusal of a delivery whose size, body or headers alone disqualify it, or None; its timestamp
    is checked for staleness when `tolerance` is given. Needs no database: the fast path refuses these
    before opening a cursor (without the staleness, whose setting it would have to read)."""
    if delivery.too_large or len(delivery.raw_body) > max_bytes:
        return Refusal(413, "too_large", "the body is above the size limit")
    if delivery.unreadable:
        return Refusal(400, "unreadable", "the body did not come whole")
    try:
        if not delivery.signature:
            raise SignatureError("missing x-zm-signature", "no_signature")
        if not delivery.timestamp:
            raise SignatureError("missing x-zm-request-timestamp", "no_timestamp")
        seconds = timestamp_header(delivery.timestamp)
        if tolerance is not None:
            check_timestamp(seconds, now or time.time(), tolerance)
        if not signature_well_formed(delivery.signature):
            raise SignatureError("x-zm-signature is not v0= and 64 hex digits", "bad_signature")
    except InputError as error:
        return Refusal(400, error.code, error.reason)
    except SignatureError as error:
        return Refusal(401, error.code, error.reason)
    return None


def count_refusal(db_name, delivery, refusal):
    """Counts and logs (at a bounded rate) a refusal; the tally to write now, if one is due."""
    due = REJECTIONS.record(
        db_name, delivery.endpoint, refusal.reason, delivery.remote_addr, delivery.raw_body, refusal.detail
    )
    if due.log_line:
        _logger.warning("Security: %s", due.log_line)
    return due.tally


class ZoomWebhookIntake(models.Model):
    _inherit = "zoom.webhook.event"

    @api.model
    def _max_body_bytes(self):
        return self._param_int("zoom_training.webhook_max_bytes", DEFAULT_MAX_BYTES)

    @api.model
    def _tolerance_seconds(self):
        return self._param_int("zoom_training.webhook_tolerance_seconds", DEFAULT_TOLERANCE_SECONDS)

    @api.model
    def _receive_http(self, httprequest, endpoint):
        max_bytes = self._max_body_bytes()
        return self._receive(WebhookRequest.from_http(httprequest, endpoint, max_bytes), max_bytes)

    @api.model
    def _receive(self, delivery, max_bytes=None):
        return self._receive_batch([delivery], max_bytes)[0]

    @api.model
    def _receive_batch(self, deliveries, max_bytes=None):
        """Zoom wants a 2xx within 3 seconds: this stores and answers; the handlers run in the drain job.
        One answer per delivery, in order; the verified ones are stored by one INSERT."""
        max_bytes = max_bytes or self._max_body_bytes()
        tolerance, signer_map = self._tolerance_seconds(), self.env["zoom.account"]._webhook_signer_map()
        checked = [self._checked(delivery, max_bytes, tolerance, signer_map) for delivery in deliveries]
        verified = [outcome for outcome in checked if isinstance(outcome, _Verified)]
        stored = iter(self._store_deliveries([outcome.stored_as for outcome in verified]))
        return [
            outcome if isinstance(outcome, WebhookAnswer) else outcome.answer(*next(stored), self)
            for outcome in checked
        ]

    @api.model
    def _checked(self, delivery, max_bytes, tolerance, signer_map):
        """The answer to a delivery that is not stored (refused, or URL validation), or a _Verified one.
        Headers first: a stranger's request is refused before its body is read as JSON, and no secret is
        tried but those of the configured connections."""
        refusal = refusal_before_secrets(delivery, max_bytes, tolerance)
        if refusal:
            return self._refused(delivery, refusal)
        try:
            envelope = parse_envelope(delivery.raw_body)
        except EnvelopeError as error:
            return self._refuse_malformed(delivery, error, signer_map)
        try:
            signer = signer_map.signer(envelope, delivery.timestamp, delivery.raw_body, delivery.signature)
        except SignatureError as error:
            detail = f"{error.reason}; event {envelope.event}, account {envelope.account_id or '-'}"
            return self._refused(delivery, Refusal(401, error.code, detail))
        if envelope.is_url_validation:
            return WebhookAnswer(200, url_validation_answer(signer.secret, envelope.plain_token))
        return _Verified(envelope, delivery, self.env["res.company"].browse(signer.company_id))

    @api.model
    def _refused(self, delivery, refusal):
        """Nothing is stored: the refusal is counted, logged and written at a bounded rate (REJECTIONS)."""
        tally = count_refusal(self.env.cr.dbname, delivery, refusal)
        if tally:
            self.env["zoom.webhook.rejection"]._add_tally(delivery.endpoint, refusal.reason, tally)
        return refusal.answer

    @api.model
    def _refuse_malformed(self, delivery, error, signer_map):
        """A body that is not Zoom's JSON: kept for inspection (capped) when a company's Secret Token signed
        it, refused like any stranger's otherwise."""
        signer = signer_map.signer_of_anything(delivery.timestamp, delivery.raw_body, delivery.signature)
        if signer is None:
            return self._refused(delivery, Refusal(400, "malformed", error.reason))
        company = self.env["res.company"].browse(signer.company_id)
        self._store_invalid(delivery.raw_body, delivery.endpoint, zoom_plain(self.env, error.reason), company)
        _logger.warning(
            "Zoom webhook on %s signed by company %s kept for inspection: %s",
            delivery.endpoint, company.id, escaped(error.reason),
        )  # fmt: skip
        return WebhookAnswer.plain(400, "malformed body")

    @api.model
    def _param_int(self, name, default):
        value = self.env["ir.config_parameter"].sudo().get_param(name)
        return int(value) if value and str(value).isdigit() else default


class ZoomAccountWebhookSigners(models.Model):
    _inherit = "zoom.account"

    @api.model
    @tools.ormcache()
    def _webhook_signer_map(self):
        """The Secret Tokens of every configured connection (utils/webhook.py SignerMap), read once and kept
        in each worker's memory until a connection changes (`write`, `create` and `unlink` clear it, and
        Odoo tells the other workers); nothing a sender writes adds to it. The encryption key changes only
        with a restart. A Secret Token the key cannot decrypt is logged once here, naming its company."""
        webhook, user_app, unreadable = [], [], {}
        domain = [
            "|",
            ("webhook_secret_encrypted", "!=", False),
            ("user_webhook_secret_encrypted", "!=", False),
        ]
        for account in self.sudo().search(domain, order="id"):
            company_id = account.company_id.id
            if account.webhook_secret_encrypted:
                secret = self._decrypted_webhook_secret(account, "webhook_secret_encrypted")
                if secret:
                    webhook.append((account.account_id or "", company_id, secret))
                else:
                    unreadable[account.account_id or ""] = (
                        f"company {account.company_id.name} (id {company_id})"
                    )
            if account.user_webhook_secret_encrypted:
                secret = self._decrypted_webhook_secret(account, "user_webhook_secret_encrypted")
                if secret:
                    user_app.append((company_id, secret))
        return SignerMap(webhook, user_app, unreadable)

    @api.model
    def _decrypted_webhook_secret(self, account, field_name):
        try:
            return self._secret_box().decrypt(account[field_name])
        except EncryptionKeyError as error:
            _logger.error(
                "Zoom webhooks: the Secret Token of company %s (id %s) cannot be decrypted (%s). Zoom's "
                "deliveries for it are refused with 401 until an administrator enters its Secret Token again "
                "in Settings > Zoom, or the key that encrypted it is added to zoom_training_encryption_key.",
                account.company_id.name, account.company_id.id, error,
            )  # fmt: skip
            return ""

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if SIGNER_FIELDS & set(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
