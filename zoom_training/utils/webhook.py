"""Zoom webhooks, without the ORM: signature (CONTRACT §5.3), URL validation (§5.4), envelope, dedupe key."""

import hashlib
import hmac
import json
from dataclasses import dataclass

from .plain import _lt

DEFAULT_TOLERANCE_SECONDS = 300
URL_VALIDATION_EVENT = "endpoint.url_validation"
SIGNATURE_PREFIX = "v0="


class WebhookError(Exception):
    """A delivery refused; `reason` is plain words, never a secret."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


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
    if not timestamp or not str(timestamp).strip().isdigit():
        raise SignatureError("missing or non-numeric x-zm-request-timestamp")
    seconds = int(str(timestamp).strip())
    if seconds < now - tolerance:
        raise SignatureError(f"timestamp {now - seconds:.0f} s old (tolerance {tolerance} s)")
    if seconds > now + tolerance:
        raise SignatureError(f"timestamp {seconds - now:.0f} s in the future (tolerance {tolerance} s)")
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
    return str(int(text)) if text.isdigit() else text


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
    def object(self):
        value = self.payload.get("object")
        return value if isinstance(value, dict) else {}

    @property
    def object_id(self):
        return normalize_id(self.object.get("id"))

    @property
    def object_uuid(self):
        return self.object.get("uuid") or ""

    @property
    def participant(self):
        value = self.object.get("participant")
        return value if isinstance(value, dict) else {}

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
    """The delivery as Zoom sends it, or EnvelopeError saying what is wrong."""
    try:
        body = json.loads(_as_bytes(raw_body).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise EnvelopeError(_lt("The body is not JSON: %(error)s", error=str(error))) from error
    if not isinstance(body, dict):
        raise EnvelopeError(_lt("The body is not a JSON object."))
    event = body.get("event")
    if not isinstance(event, str) or not event:
        raise EnvelopeError(_lt("The body names no event."))
    payload = body.get("payload")
    if not isinstance(payload, dict):
        raise EnvelopeError(_lt("The body has no payload object."))
    event_ts = body.get("event_ts")
    if isinstance(event_ts, bool) or not isinstance(event_ts, int | str) or not str(event_ts).isdigit():
        raise EnvelopeError(_lt("The event time (event_ts) is not a number."))
    envelope = Envelope(event, int(event_ts), payload, body.get("download_token") or "")
    _check_payload(envelope)
    return envelope


def _check_payload(envelope):
    if envelope.is_url_validation:
        if not isinstance(envelope.plain_token, str) or not envelope.plain_token:
            raise EnvelopeError(_lt("The URL validation carries no plainToken."))
        return
    if not envelope.account_id:
        raise EnvelopeError(_lt("The payload names no Zoom account (account_id)."))
    if "object" in envelope.payload and not isinstance(envelope.payload["object"], dict):
        raise EnvelopeError(_lt("The payload's object is not a JSON object."))


def dedupe_key(envelope):
    """One key per delivery of the same event, whatever the retries and duplicates: event, object, person,
    event time."""
    participant = envelope.participant
    person = participant.get("participant_uuid") or normalize_id(participant.get("user_id"))
    registrant = envelope.object.get("registrant")
    if not person and isinstance(registrant, dict):
        person = registrant.get("id") or ""
    subject = envelope.object_uuid or envelope.object_id
    return f"{envelope.event}|{subject}|{person}|{envelope.event_ts}"
