"""Zoom's webhook signature (CONTRACT §5.3) and URL-validation token (§5.4)."""

import hashlib
import hmac


def _hex_hmac(secret, message):
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def sign(secret, timestamp, raw_body):
    """`v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`."""
    if isinstance(raw_body, bytes):
        raw_body = raw_body.decode()
    return "v0=" + _hex_hmac(secret, f"v0:{timestamp}:{raw_body}")


def encrypt_token(secret, plain_token):
    return _hex_hmac(secret, plain_token)
