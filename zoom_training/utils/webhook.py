"""Zoom webhooks, without the ORM: signature (CONTRACT §5.3), URL validation (§5.4), envelope, dedupe key."""

import hashlib
import hmac
from dataclasses import dataclass

from .plain import _lt
from .webhook_input import (
    MAX_TIMESTAMP_DIGITS,
    InputError,
    ascii_digits,
    bounded_dict,
    bounded_id,
    bounded_text,
    json_document,
)

DEFAULT_TOLERANCE_SECONDS = 300
URL_VALIDATION_EVENT = "endpoint.url_validation"
SIGNATURE_PREFIX = "v0="


MAX_EVENT_CHARS = 128
MAX_ACCOUNT_CHARS = 64
MAX_ID_CHARS = 64
MAX_UUID_CHARS = 128
MAX_EVENT_TS_DIGITS = 16
MAX_PLAIN_TOKEN_CHARS = 256
MAX_DOWNLOAD_TOKEN_CHARS = 4096


class WebhookError(Exception):
    """A delivery refused; `reason` is plain words, never a secret; `code` names the kind, for counters."""

    def __init__(self, reason, code="refused"):
        super().__init__(reason)
        self.reason = reason
        self.code = code


class SignatureError(WebhookError):
    """Missing, malformed, forged or stale signature: answered 401, never processed."""


class EnvelopeError(WebhookError):
    """A body that is not the JSON Zoom sends: answered 400, kept for inspection."""


def _hex_hmac(secret, message):
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _as_bytes(value):
    return value if isinstance(value, bytes) else value.encode()


def compute_signature(secret, timestamp, raw_body):
    """`v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`), over the raw bytes as received."""
    message = b"v0:" + _as_bytes(str(timestamp)) + b":" + _as_bytes(raw_body)
    return SIGNATURE_PREFIX + _hex_hmac(secret, message)


def check_timestamp(timestamp, now, tolerance=DEFAULT_TOLERANCE_SECONDS):
    """The header's unix seconds, within `tolerance` of `now` either way; returns it as an int."""
    seconds = ascii_digits(str(timestamp or ""), MAX_TIMESTAMP_DIGITS)
    if seconds is None:
        raise SignatureError("missing or non-numeric x-zm-request-timestamp", "no_timestamp")
    if seconds < now - tolerance:
        raise SignatureError(f"timestamp {now - seconds:.0f} s old (tolerance {tolerance} s)", "stale")
    if seconds > now + tolerance:
        raise SignatureError(
            f"timestamp {seconds - now:.0f} s in the future (tolerance {tolerance} s)", "stale"
        )
    return seconds


def signature_matches(secret, timestamp, raw_body, signature):
    """Constant-time comparison; False for an empty secret or signature."""
    if not secret or not signature:
        return False
    expected = compute_signature(secret, timestamp, raw_body)
    return hmac.compare_digest(expected.encode(), _as_bytes(signature.strip()))


def verify(secret, timestamp, raw_body, signature, now, tolerance=DEFAULT_TOLERANCE_SECONDS):
    """Raises SignatureError unless the delivery is signed with `secret` and fresh."""
    if not signature:
        raise SignatureError("missing x-zm-signature")
    check_timestamp(timestamp, now, tolerance)
    if not signature_matches(secret, timestamp, raw_body, signature):
        raise SignatureError("signature does not match")


@dataclass(frozen=True)
class WebhookSigner:
    company_id: int
    secret: str


class SignerMap:
    """Which Secret Tokens may have signed a delivery, read once from the configured connections rather than
    looked up per delivery: its size is the number of connections, whatever strangers send.

    `webhook` holds (Zoom account id, company id, Secret Token) of each company's app; `user_app` (company
    id, Secret Token) of each user-managed app, whose deauthorization notices come from any Zoom account;
    `unreadable` {Zoom account id: company} whose Secret Token the server's key cannot decrypt."""

    def __init__(self, webhook=(), user_app=(), unreadable=None):
        self._by_account = {}
        for account_id, company_id, secret in webhook:
            self._by_account.setdefault(account_id, []).append(WebhookSigner(company_id, secret))
        self._every_webhook = tuple(signer for signers in self._by_account.values() for signer in signers)
        self._user_app = tuple(WebhookSigner(company_id, secret) for company_id, secret in user_app)
        self.unreadable = dict(unreadable or {})

    def signer(self, envelope, timestamp, raw_body, signature):
        """The signer of a delivery whose envelope was read; SignatureError (with its code) otherwise."""
        if envelope.secret_name == "user_webhook_secret":
            candidates = self._user_app
        elif envelope.is_url_validation:
            candidates = self._every_webhook
        else:
            candidates = self._by_account.get(envelope.account_id, ())
            if not candidates and envelope.account_id in self.unreadable:
                raise SignatureError(
                    f"the Secret Token of {self.unreadable[envelope.account_id]} cannot be decrypted",
                    "secret_unreadable",
                )
            if not candidates:
                raise SignatureError("no connection has this Zoom account", "unknown_account")
        for candidate in candidates:
            if signature_matches(candidate.secret, timestamp, raw_body, signature):
                return candidate
        raise SignatureError("signature does not match", "signature_mismatch")

    def signer_of_anything(self, timestamp, raw_body, signature):
        """The company whose Secret Token signed a body that could not be read, or None."""
        for candidate in self._every_webhook + self._user_app:
            if signature_matches(candidate.secret, timestamp, raw_body, signature):
                return candidate
        return None


def url_validation_answer(secret, plain_token):
    """The body Zoom expects back for `endpoint.url_validation`."""
    return {"plainToken": plain_token, "encryptedToken": _hex_hmac(secret, _as_bytes(plain_token))}


def normalize_id(value):
    """Zoom sends object ids as int or numeric string: both become the same string."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    text = str(value).strip()
    return (text.lstrip("0") or "0") if text.isascii() and text.isdigit() else text


@dataclass(frozen=True)
class Envelope:
    event: str
    event_ts: int
    payload: dict
    download_token: str = ""

    @property
    def account_id(self):
        return self.payload.get("account_id") or ""

    @property
    def secret_name(self):
        """Which Secret Token signs this event: the user-managed app signs its deauthorization notices."""
        return "user_webhook_secret" if self.event == "app_deauthorized" else "webhook_secret"

    @property
    def object(self):
        return self.payload.get("object") or {}

    @property
    def object_id(self):
        return normalize_id(self.object.get("id"))

    @property
    def object_uuid(self):
        return self.object.get("uuid") or ""

    @property
    def participant(self):
        return self.object.get("participant") or {}

    @property
    def plain_token(self):
        return self.payload.get("plainToken") or ""

    @property
    def is_url_validation(self):
        return self.event == URL_VALIDATION_EVENT

    @property
    def dedupe_key(self):
        return dedupe_key(self)


def parse_envelope(raw_body):
    """The delivery as Zoom sends it, or EnvelopeError saying what is wrong. Every slot the addon reads is
    checked for its type and size here, so that nothing downstream meets a list where it wants a string, or
    a key longer than an index takes."""
    try:
        body = json_document(raw_body)
        if not isinstance(body, dict):
            raise InputError("not_an_object", _lt("The body is not a JSON object."))
        envelope = Envelope(
            _event_name(body.get("event")),
            _event_ts(body.get("event_ts")),
            _payload(body.get("payload")),
            bounded_text(
                body.get("download_token"), MAX_DOWNLOAD_TOKEN_CHARS, "bad_download_token", "download_token"
            ),
        )
        _check_payload(envelope)
    except InputError as error:
        raise EnvelopeError(error.reason, error.code) from error
    return envelope


def _payload(value):
    if not isinstance(value, dict):
        raise InputError("bad_payload", _lt("The body has no payload object."))
    return value


def _event_name(value):
    event = bounded_text(value, MAX_EVENT_CHARS, "bad_event", "event")
    if not event:
        raise InputError("bad_event", _lt("The body names no event."))
    return event


def _event_ts(value):
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**MAX_EVENT_TS_DIGITS:
        return value
    seconds = ascii_digits(value, MAX_EVENT_TS_DIGITS) if isinstance(value, str) else None
    if seconds is None:
        raise InputError("bad_event_ts", _lt("The event time (event_ts) is not a number."))
    return seconds


def _check_payload(envelope):
    payload = envelope.payload
    account_id = bounded_text(payload.get("account_id"), MAX_ACCOUNT_CHARS, "bad_account", "account_id")
    _check_object(bounded_dict(payload.get("object"), "bad_object", "The payload's object"))
    if envelope.is_url_validation:
        if not bounded_text(
            payload.get("plainToken"), MAX_PLAIN_TOKEN_CHARS, "bad_plain_token", "plainToken"
        ):
            raise InputError("bad_plain_token", _lt("The URL validation carries no plainToken."))
        return
    if not account_id:
        raise InputError("bad_account", _lt("The payload names no Zoom account (account_id)."))


def _check_object(zoom_object):
    """The object's slots that make the dedupe key and the stored columns."""
    bounded_id(zoom_object.get("id"), MAX_ID_CHARS, "bad_object", "object.id")
    bounded_text(zoom_object.get("uuid"), MAX_UUID_CHARS, "bad_object", "object.uuid")
    participant = bounded_dict(zoom_object.get("participant"), "bad_object", "object.participant")
    bounded_text(participant.get("participant_uuid"), MAX_UUID_CHARS, "bad_object", "participant_uuid")
    bounded_id(participant.get("user_id"), MAX_ID_CHARS, "bad_object", "participant.user_id")
    registrant = bounded_dict(zoom_object.get("registrant"), "bad_object", "object.registrant")
    bounded_text(registrant.get("id"), MAX_UUID_CHARS, "bad_object", "registrant.id")


def dedupe_key(envelope):
    """One key per delivery of the same event, whatever the retries and duplicates: event, object, person,
    event time."""
    participant = envelope.participant
    person = participant.get("participant_uuid") or normalize_id(participant.get("user_id"))
    if not person:
        person = (envelope.object.get("registrant") or {}).get("id") or ""
    subject = envelope.object_uuid or envelope.object_id
    return f"{envelope.event}|{subject}|{person}|{envelope.event_ts}"
