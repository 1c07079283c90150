import hashlib
import threading
from contextlib import contextmanager
from datetime import timezone

from odoo import fields, models

from ..utils.crypto import SecretDecryptError
from ..utils.errors import ZoomError
from ..utils.oauth import TOKEN_REQUEST_TIMEOUT, S2SToken, TokenSource, fetch_s2s_token
from .zoom_audit_event import insert_audit_event


class ZoomToken(models.Model):
    """Access tokens shared by every worker, keyed by the credentials that obtained them."""

    _name = "zoom.token"
    _description = "Zoom access token cache"

    key = fields.Char(required=True, index=True)
    access_token_encrypted = fields.Char(required=True, groups="base.group_system")
    expires_at = fields.Datetime(required=True)
    scopes = fields.Char()
    api_url = fields.Char()

    _sql_constraints = [("key_unique", "unique(key)", "One cached token per set of credentials.")]


class ZoomTokenStore(TokenSource):
    """The token source of `utils.client.ZoomClient`, backed by `zoom.token`.

    Tokens are read and written in a transaction of their own, committed at once, so every worker sees
    them and a job that rolls back does not lose one. One refresh at a time across workers: an advisory
    lock on the credentials; whoever waited for it finds the fresh token and does not ask Zoom again.
    """

    _memory = {}
    _memory_lock = threading.Lock()

    def __init__(self, registry, uid, company, credentials, secret_box, fetched_message):
        self.registry = registry
        self.uid = uid
        self.company_id = company.id
        self.credentials = credentials
        self.secret_box = secret_box
        self.fetched_message = fetched_message  # translated up front: no ORM environment below
        self.key = self._credentials_key(credentials)

    @staticmethod
    def _credentials_key(credentials):
        material = "\n".join(
            credentials[name] for name in ("oauth_url", "account_id", "client_id", "client_secret")
        )
        return hashlib.sha256(material.encode()).hexdigest()

    @property
    def _lock_id(self):
        return int(self.key[:15], 16)

    def force_refresh(self):
        return self._renew(stale=None, force=True)

    def refresh_if_expiring(self, seconds):
        return self._renew(stale=None, margin=seconds)

    def forget(self):
        with self._memory_lock:
            self._memory.pop(self.key, None)

    @classmethod
    def forget_all(cls, registry):
        """Every cached token, in the database and in this process (key rotation)."""
        with registry.cursor() as cr:
            cr.execute("DELETE FROM zoom_token")
        with cls._memory_lock:
            cls._memory.clear()

    def _renew(self, stale, margin=None, force=False):
        token = super()._renew(stale, margin=margin, force=force)
        with self._memory_lock:
            self._memory[self.key] = token
        return token

    def _at_hand(self):
        return self._memory.get(self.key)

    @contextmanager
    def _renewing(self):
        # Plain SQL on a cursor of its own: no ORM environment, so it also runs in threads while another
        # thread holds the registry (as Odoo's test runner does).
        with self.registry.cursor() as cr:
            cr.execute("SET LOCAL lock_timeout = '30s'")
            cr.execute("SELECT pg_advisory_lock(%s)", [self._lock_id])
            try:
                # A new transaction after the wait: its snapshot sees what the previous holder committed.
                cr.commit()  # pylint: disable=invalid-commit
                yield cr
            finally:
                cr.execute("SELECT pg_advisory_unlock(%s)", [self._lock_id])
                cr.commit()  # pylint: disable=invalid-commit

    def _read(self, cr):
        cr.execute(
            "SELECT access_token_encrypted, expires_at, scopes, api_url FROM zoom_token WHERE key = %s",
            [self.key],
        )
        row = cr.fetchone()
        if not row:
            return None
        encrypted, expires_at, scopes, api_url = row
        try:
            access_token = self.secret_box.decrypt(encrypted)
        except SecretDecryptError:
            return None  # encrypted with a key no longer configured: fetch a new one
        return S2SToken(
            access_token=access_token,
            expires_at=expires_at.replace(tzinfo=timezone.utc),
            scopes=frozenset((scopes or "").split()),
            api_url=api_url or "",
        )

    def _obtain(self, cr, current):
        creds = self.credentials
        try:
            token = fetch_s2s_token(
                creds["oauth_url"],
                creds["account_id"],
                creds["client_id"],
                creds["client_secret"],
                timeout=TOKEN_REQUEST_TIMEOUT,
            )
        except ZoomError as error:
            insert_audit_event(cr, self.company_id, self.uid, "token_failed", error.plain)
            # The failure stays in the audit trail although the caller's work fails.
            cr.commit()  # pylint: disable=invalid-commit
            raise
        insert_audit_event(cr, self.company_id, self.uid, "token_fetched", self.fetched_message)
        return token

    def _keep(self, cr, token):
        cr.execute(
            """INSERT INTO zoom_token (key, access_token_encrypted, expires_at, scopes, api_url,
                                       create_uid, write_uid, create_date, write_date)
               VALUES (%(key)s, %(token)s, %(expires_at)s, %(scopes)s, %(api_url)s,
                       1, 1, now() at time zone 'UTC', now() at time zone 'UTC')
               ON CONFLICT (key) DO UPDATE SET
                   access_token_encrypted = EXCLUDED.access_token_encrypted,
                   expires_at = EXCLUDED.expires_at, scopes = EXCLUDED.scopes, api_url = EXCLUDED.api_url,
                   write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date""",
            {
                "key": self.key,
                "token": self.secret_box.encrypt(token.access_token),
                "expires_at": token.expires_at.astimezone(timezone.utc).replace(tzinfo=None),
                "scopes": " ".join(sorted(token.scopes)),
                "api_url": token.api_url,
            },
        )
        cr.commit()  # pylint: disable=invalid-commit
