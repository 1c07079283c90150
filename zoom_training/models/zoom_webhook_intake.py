"""The intake of Zoom's deliveries: verify, store once, make sure a drain job will process it, answer.

Both the webhook routes (controllers/webhook.py) and the fast path ahead of Odoo's HTTP stack
(controllers/webhook_fast_path.py) call `_receive`, so nothing here reads `odoo.http.request`.
"""

import json
import logging
import time
from dataclasses import dataclass, field

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request

from odoo import api, models, tools

from ..utils.crypto import EncryptionKeyError
from ..utils.webhook import (
    DEFAULT_TOLERANCE_SECONDS,
    EnvelopeError,
    SignatureError,
    check_timestamp,
    parse_envelope,
    signature_matches,
    url_validation_answer,
)
from .zoom_account import SECRET_FIELDS
from .zoom_plain import zoom_plain

_logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 1024 * 1024
# The user-managed app signs its deauthorization notices with its own Secret Token.
SECRET_BY_EVENT = {"app_deauthorized": "user_webhook_secret"}
# What _webhook_signers reads: a change to any of them clears its cache.
SIGNER_FIELDS = {"account_id", "company_id", "webhook_secret_encrypted", "user_webhook_secret_encrypted"}


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

    @classmethod
    def from_http(cls, httprequest, endpoint, max_bytes):
        """From a werkzeug request. A body larger than `max_bytes` is not read past the limit, whether its
        length is declared or it comes in chunks. The body read is kept on the request, for a transaction
        retried after a serialization failure."""
        too_large, raw_body = (httprequest.content_length or 0) > max_bytes, b""
        if not too_large:
            httprequest.max_content_length = max_bytes
            try:
                raw_body = httprequest.get_data()
            except RequestEntityTooLarge:
                too_large = True
            too_large = too_large or len(raw_body) > max_bytes
        return cls(
            endpoint=endpoint,
            raw_body=raw_body,
            timestamp=httprequest.headers.get("x-zm-request-timestamp", ""),
            signature=httprequest.headers.get("x-zm-signature", ""),
            path=httprequest.path,
            remote_addr=httprequest.remote_addr or "",
            too_large=too_large,
        )

    @classmethod
    def from_environ(cls, environ, endpoint, max_bytes):
        """From a WSGI environ whose body has a declared length (what Zoom sends), without building a
        werkzeug request; a chunked body goes through `from_http`."""
        declared = environ.get("CONTENT_LENGTH")
        if not declared or not declared.isdigit() or environ.get("HTTP_TRANSFER_ENCODING"):
            return cls.from_http(Request(environ), endpoint, max_bytes)
        too_large = int(declared) > max_bytes
        return cls(
            endpoint=endpoint,
            raw_body=b"" if too_large else environ["wsgi.input"].read(int(declared)),
            timestamp=environ.get("HTTP_X_ZM_REQUEST_TIMESTAMP", ""),
            signature=environ.get("HTTP_X_ZM_SIGNATURE", ""),
            path=environ.get("PATH_INFO", ""),
            remote_addr=environ.get("REMOTE_ADDR") or "",
            too_large=too_large,
        )


@dataclass(frozen=True)
class Signer:
    company: models.BaseModel
    secret: str


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
        tolerance, signers = self._tolerance_seconds(), {}
        checked = [self._checked(delivery, max_bytes, tolerance, signers) for delivery in deliveries]
        verified = [outcome for outcome in checked if isinstance(outcome, _Verified)]
        stored = iter(self._store_deliveries([outcome.stored_as for outcome in verified]))
        return [
            outcome if isinstance(outcome, WebhookAnswer) else outcome.answer(*next(stored), self)
            for outcome in checked
        ]

    @api.model
    def _checked(self, delivery, max_bytes, tolerance, signers):
        """The answer to a delivery that is not stored (refused, or URL validation), or a _Verified one."""
        if delivery.too_large or len(delivery.raw_body) > max_bytes:
            return TOO_LARGE
        try:
            envelope = parse_envelope(delivery.raw_body)
        except EnvelopeError as error:
            return self._refuse_malformed(delivery, error)
        try:
            signer = self._signer(envelope, delivery, tolerance, signers)
        except SignatureError as error:
            _logger.warning(
                "Security: Zoom webhook refused on %s from %s (%s, event %s, account %s)",
                delivery.path,
                delivery.remote_addr,
                error.reason,
                envelope.event,
                envelope.account_id or "-",
            )
            return WebhookAnswer.plain(401, "invalid signature")
        if envelope.is_url_validation:
            return WebhookAnswer(200, url_validation_answer(signer.secret, envelope.plain_token))
        return _Verified(envelope, delivery, signer.company)

    @api.model
    def _signer(self, envelope, delivery, tolerance=None, signers=None):
        """Who signed this delivery with their Secret Token: a Signer; SignatureError otherwise. `signers`
        keeps the connections looked up for the other deliveries of a batch."""
        if not delivery.signature:
            raise SignatureError("missing x-zm-signature")
        check_timestamp(delivery.timestamp, time.time(), tolerance or self._tolerance_seconds())
        secret_name = SECRET_BY_EVENT.get(envelope.event, "webhook_secret")
        signers = {} if signers is None else signers
        key = (envelope.account_id, secret_name)
        if key not in signers:
            signers[key] = self.env["zoom.account"]._webhook_signers(*key)
        for company_id, secret in signers[key]:
            if signature_matches(secret, delivery.timestamp, delivery.raw_body, delivery.signature):
                return Signer(self.env["res.company"].browse(company_id), secret)
        raise SignatureError("signature does not match" if envelope.account_id else "no matching account")

    @api.model
    def _refuse_malformed(self, delivery, error):
        signer = self._signer_of_anything(delivery)
        self._store_invalid(
            delivery.raw_body,
            delivery.endpoint,
            zoom_plain(self.env, error.reason),
            signer.company if signer else None,
        )
        _logger.warning("Zoom webhook on %s kept for inspection: %s", delivery.endpoint, error.reason)
        return WebhookAnswer.plain(400, "malformed body")

    @api.model
    def _signer_of_anything(self, delivery):
        try:
            return self._signer(_NO_ENVELOPE, delivery)
        except SignatureError:
            return None

    @api.model
    def _param_int(self, name, default):
        value = self.env["ir.config_parameter"].sudo().get_param(name)
        return int(value) if value and str(value).isdigit() else default


class ZoomAccountWebhookSigners(models.Model):
    _inherit = "zoom.account"

    @api.model
    @tools.ormcache("account_id", "secret_name")
    def _webhook_signers(self, account_id, secret_name):
        """(company id, Secret Token) of each connection that may have signed a delivery for `account_id`.
        Read on every delivery, so kept in each worker's memory until a connection changes (`write`,
        `create` and `unlink` clear it, and Odoo tells the other workers); the encryption key changes
        only with a restart. A token that cannot be decrypted is empty: nothing verifies with it."""
        field_name = SECRET_FIELDS[secret_name]
        return tuple(
            (
                account.company_id.id,
                self._decrypted_webhook_secret(account[field_name], account.company_id.id),
            )
            for account in self.sudo()._candidate_accounts(account_id, secret_name)
        )

    @api.model
    def _candidate_accounts(self, account_id, secret_name):
        """Deliveries are routed by `payload.account_id`; URL validation carries none, so every connection
        with a Secret Token is tried. The user-managed app is not tied to the company's Zoom account: a
        trainer may connect from another one, so its notices are tried against every such app."""
        domain = [(SECRET_FIELDS[secret_name], "!=", False)]
        if account_id and secret_name == "webhook_secret":
            domain.append(("account_id", "=", account_id))
        return self.search(domain, order="id")

    @api.model
    def _decrypted_webhook_secret(self, encrypted, company):
        try:
            return self._secret_box().decrypt(encrypted)
        except EncryptionKeyError as error:
            _logger.warning("Zoom webhook secret of company %s unreadable: %s", company.id, error)
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


class _NoEnvelope:
    account_id = ""
    event = ""


_NO_ENVELOPE = _NoEnvelope()
