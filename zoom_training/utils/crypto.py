"""Secrets at rest: Fernet encryption with a key from the server configuration, never from the database.

A key is what `cryptography.fernet.Fernet.generate_key()` makes (44 url-safe base64 characters).
The configuration may list several keys separated by commas: the first encrypts, every one decrypts,
which lets an administrator roll to a new key before the stored secrets are re-encrypted (`rotate`).
"""

import binascii

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from .plain import _lt

PLAIN_MISSING_KEY = _lt(
    "No encryption key is configured for Zoom secrets: add a key made by "
    "cryptography.fernet.Fernet.generate_key() to the Odoo server configuration and restart Odoo."
)
PLAIN_INVALID_KEY = _lt(
    "The encryption key for Zoom secrets in the Odoo server configuration is malformed: it must be a key "
    "made by cryptography.fernet.Fernet.generate_key() (44 characters)."
)
PLAIN_WRONG_KEY = _lt(
    "This secret was encrypted with another key: restore the previous key or enter the secret again."
)


class EncryptionKeyError(Exception):
    """A problem with the encryption key; `plain` says how to fix it."""

    plain = ""

    def __init__(self, message=None):
        super().__init__(message or self.plain)


class MissingEncryptionKey(EncryptionKeyError):
    plain = PLAIN_MISSING_KEY


class InvalidEncryptionKey(EncryptionKeyError):
    plain = PLAIN_INVALID_KEY


class SecretDecryptError(InvalidEncryptionKey):
    """The stored value was encrypted with another key, or was altered."""

    plain = PLAIN_WRONG_KEY


class SecretBox:
    """Encrypts and decrypts text with a Fernet key (or several: the first one encrypts)."""

    def __init__(self, key):
        keys = _split_keys(key)
        if not keys:
            raise MissingEncryptionKey()
        self._fernet = MultiFernet([_fernet(one) for one in keys])

    @classmethod
    def from_config(cls, value):
        """The box for a configuration value; raises MissingEncryptionKey or InvalidEncryptionKey."""
        if not value or not str(value).strip():
            raise MissingEncryptionKey()
        return cls(value)

    def encrypt(self, plaintext):
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token):
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as exc:
            raise SecretDecryptError() from exc

    def reencrypt(self, token):
        """`token`, decrypted by any configured key, encrypted again by the first one (key rotation)."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError) as exc:
            raise SecretDecryptError() from exc

    def __repr__(self):
        return f"{type(self).__name__}(<key hidden>)"


def rotate(token, old_box, new_box):
    """The secret of `token` (encrypted by `old_box`) encrypted again by `new_box`."""
    return new_box.encrypt(old_box.decrypt(token))


def generate_key():
    return Fernet.generate_key().decode("ascii")


def _split_keys(value):
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _fernet(key):
    try:
        return Fernet(key.encode("ascii"))
    except (ValueError, TypeError, binascii.Error, UnicodeError) as exc:
        raise InvalidEncryptionKey() from exc
