import logging
import time

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.zoom_account import SECRET_FIELDS
from ..models.zoom_plain import zoom_plain
from ..utils.webhook import (
    DEFAULT_TOLERANCE_SECONDS,
    EnvelopeError,
    SignatureError,
    check_timestamp,
    parse_envelope,
    signature_matches,
    url_validation_answer,
)

_logger = logging.getLogger(__name__)

# The user-managed app signs its deauthorization notices with its own Secret Token.
SECRET_BY_EVENT = {"app_deauthorized": "user_webhook_secret"}

DEFAULT_MAX_BYTES = 1024 * 1024
ROUTE_OPTIONS = {"type": "http", "auth": "public", "csrf": False, "methods": ["POST"], "save_session": False}


class ZoomWebhookController(http.Controller):
    """Verify, store, enqueue, answer: Zoom wants a 2xx within 3 seconds; the work happens in a job."""

    @http.route("/webhook/zoom-meeting", **ROUTE_OPTIONS)
    def zoom_meeting_webhook(self, **_kwargs):
        return self._receive("meeting")

    @http.route("/webhook/zoom-webinar", **ROUTE_OPTIONS)
    def zoom_webinar_webhook(self, **_kwargs):
        return self._receive("webinar")

    def _receive(self, endpoint):
        httprequest = request.httprequest
        max_bytes = self._param_int("zoom_training.webhook_max_bytes", DEFAULT_MAX_BYTES)
        if (httprequest.content_length or 0) > max_bytes:
            return self._answer(413, "too large")
        raw_body = httprequest.get_data(cache=False)
        if len(raw_body) > max_bytes:
            return self._answer(413, "too large")
        timestamp = httprequest.headers.get("x-zm-request-timestamp", "")
        signature = httprequest.headers.get("x-zm-signature", "")
        try:
            envelope = parse_envelope(raw_body)
        except EnvelopeError as error:
            return self._refuse_malformed(endpoint, raw_body, timestamp, signature, error)
        try:
            account = self._signing_account(envelope, raw_body, timestamp, signature)
        except SignatureError as error:
            _logger.warning(
                "Security: Zoom webhook refused on %s from %s (%s, event %s, account %s)",
                httprequest.path,
                httprequest.remote_addr,
                error.reason,
                envelope.event,
                envelope.account_id or "-",
            )
            return self._answer(401, "invalid signature")
        if envelope.is_url_validation:
            return request.make_json_response(
                url_validation_answer(account._get_secret("webhook_secret"), envelope.plain_token)
            )
        inbox = request.env["zoom.webhook.event"].sudo()
        inbox._store_delivery(envelope, raw_body, endpoint, account.company_id)
        return self._answer(200, "ok")

    def _signing_account(self, envelope, raw_body, timestamp, signature):
        """The Zoom connection whose Secret Token signed this delivery; SignatureError otherwise."""
        if not signature:
            raise SignatureError("missing x-zm-signature")
        tolerance = self._param_int("zoom_training.webhook_tolerance_seconds", DEFAULT_TOLERANCE_SECONDS)
        check_timestamp(timestamp, time.time(), tolerance)
        secret_name = SECRET_BY_EVENT.get(envelope.event, "webhook_secret")
        for account in self._candidate_accounts(envelope.account_id, secret_name):
            if signature_matches(_webhook_secret(account, secret_name), timestamp, raw_body, signature):
                return account
        raise SignatureError("signature does not match" if envelope.account_id else "no matching account")

    def _candidate_accounts(self, account_id, secret_name="webhook_secret"):
        """Deliveries are routed by `payload.account_id`; URL validation carries none, so every connection
        with a Secret Token is tried. The user-managed app is not tied to the company's Zoom account: a
        trainer may connect from another one, so its notices are tried against every such app."""
        domain = [(SECRET_FIELDS[secret_name], "!=", False)]
        if account_id and secret_name == "webhook_secret":
            domain.append(("account_id", "=", account_id))
        return request.env["zoom.account"].sudo().search(domain)

    def _refuse_malformed(self, endpoint, raw_body, timestamp, signature, error):
        account = self._account_signing_anything(raw_body, timestamp, signature)
        request.env["zoom.webhook.event"].sudo()._store_invalid(
            raw_body, endpoint, zoom_plain(request.env, error.reason), account.company_id if account else None
        )
        _logger.warning("Zoom webhook on %s kept for inspection: %s", endpoint, error.reason)
        return self._answer(400, "malformed body")

    def _account_signing_anything(self, raw_body, timestamp, signature):
        try:
            return self._signing_account(_NO_ENVELOPE, raw_body, timestamp, signature)
        except SignatureError:
            return None

    @staticmethod
    def _param_int(name, default):
        value = request.env["ir.config_parameter"].sudo().get_param(name)
        return int(value) if value and str(value).isdigit() else default

    @staticmethod
    def _answer(status, message):
        return request.make_json_response({"status": message}, status=status)


def _webhook_secret(account, secret_name="webhook_secret"):
    """Empty when it cannot be read (encryption key missing or changed): nothing verifies then."""
    try:
        return account._get_secret(secret_name)
    except UserError as error:
        _logger.warning("Zoom webhook secret of company %s unreadable: %s", account.company_id.id, error)
        return ""


class _NoEnvelope:
    account_id = ""
    event = ""


_NO_ENVELOPE = _NoEnvelope()
