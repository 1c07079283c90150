import logging
import os
from datetime import timezone

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config

from ..utils.crypto import SecretDecryptError
from ..utils.errors import ZoomAuthError, ZoomError
from ..utils.oauth import TOKEN_REQUEST_TIMEOUT, TokenSource
from ..utils.plain import _lt
from ..utils.user_oauth import UserToken, derive_state_key, refresh_user_token, revoke_token
from .zoom_account import ENCRYPTION_KEY_ENV, ENCRYPTION_KEY_OPTION

_logger = logging.getLogger(__name__)

PLAIN_NOT_CONNECTED = _lt("The host's Zoom account is not connected.")
PLAIN_CONNECTION_ENDED = _lt(
    "The host's Zoom connection has ended: they need to connect their Zoom account again from their "
    "preferences."
)
STATE_KEY_OPTION = "zoom_training_state_key"
STATE_KEY_ENV = "ZOOM_TRAINING_STATE_KEY"
READ_TOKEN = """SELECT access_token_encrypted, refresh_token_encrypted, expires_at, scopes, api_url
                FROM zoom_user_token WHERE id = %s"""
READ_TOKEN_FOR_UPDATE = READ_TOKEN + " FOR UPDATE"


class ZoomUserToken(models.Model):
    """The Zoom account a user connected (OAuth, user-managed app): tokens encrypted, admins only."""

    _name = "zoom.user.token"
    _description = "Zoom account connected by a user"
    _rec_name = "zoom_email"

    user_id = fields.Many2one("res.users", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", readonly=True)
    zoom_user_id = fields.Char("Zoom user ID", index=True, readonly=True)
    zoom_email = fields.Char("Zoom email", readonly=True)
    access_token_encrypted = fields.Char(required=True, copy=False, groups="base.group_system")
    refresh_token_encrypted = fields.Char(required=True, copy=False, groups="base.group_system")
    expires_at = fields.Datetime(required=True, readonly=True)
    scopes = fields.Char(readonly=True)
    api_url = fields.Char(readonly=True)

    _sql_constraints = [("user_unique", "unique(user_id)", "One connected Zoom account per user.")]

    @api.model
    def _state_key(self):
        """The key signing OAuth states: from the server configuration, or derived from the encryption
        key; never stored in the database."""
        configured = config.get(STATE_KEY_OPTION) or os.environ.get(STATE_KEY_ENV)
        if configured:
            return str(configured).encode()
        encryption_key = config.get(ENCRYPTION_KEY_OPTION) or os.environ.get(ENCRYPTION_KEY_ENV)
        if not encryption_key:
            raise UserError(
                _(
                    "No key signs Zoom connections: set %s in the Odoo server configuration.",
                    ENCRYPTION_KEY_OPTION,
                )
            )
        return derive_state_key(encryption_key)

    @api.model
    def _for_user(self, user):
        return self.sudo().search([("user_id", "=", user.id)], limit=1) if user else self.sudo().browse()

    @api.model
    def _store_connection(self, user, company, token, zoom_user):
        """Keeps the user's new tokens (replacing earlier ones) and who they are in Zoom."""
        box = self.env["zoom.account"]._secret_box()
        values = {
            "user_id": user.id,
            "company_id": company.id,
            "zoom_user_id": zoom_user.get("id"),
            "zoom_email": zoom_user.get("email"),
            "access_token_encrypted": box.encrypt(token.access_token),
            "refresh_token_encrypted": box.encrypt(token.refresh_token),
            "expires_at": token.expires_at.astimezone(timezone.utc).replace(tzinfo=None),
            "scopes": " ".join(sorted(token.scopes)),
            "api_url": token.api_url,
        }
        existing = self._for_user(user)
        if existing:
            existing.write(values)
            return existing
        return self.sudo().create(values)

    def _account(self):
        return self.env["zoom.account"]._for_company(self.company_id)

    def _credentials_or_error(self):
        credentials = self._account()._user_app_credentials()
        if not credentials:
            raise UserError(_("Connecting Zoom accounts is turned off in Settings → Zoom."))
        return credentials

    def _zoom_client(self):
        """A client acting as this user in Zoom (`/users/me`), refreshing their token as needed."""
        self.ensure_one()
        store = ZoomUserTokenStore(
            self.env.registry, self.id, self._credentials_or_error(), self.env["zoom.account"]._secret_box()
        )
        return self._account()._client_for(store)

    @api.model
    def _client_for_user(self, user):
        """The client of the user's connected account; None when they have none or the app is off."""
        connection = self._for_user(user)
        if not connection or not connection._account()._user_app_credentials():
            return None
        return connection._zoom_client()

    def _disconnect(self):
        """Revokes the grant at Zoom, then forgets the tokens; False when Zoom could not confirm it."""
        self.ensure_one()
        revoked = True
        try:
            credentials = self._credentials_or_error()
            refresh_token = self.env["zoom.account"]._secret_box().decrypt(self.refresh_token_encrypted)
            revoke_token(
                credentials["oauth_url"],
                credentials["client_id"],
                credentials["client_secret"],
                refresh_token,
                timeout=TOKEN_REQUEST_TIMEOUT,
            )
        except (ZoomError, UserError, SecretDecryptError) as error:
            _logger.warning("Zoom revocation for user %s failed: %s", self.user_id.id, error)
            revoked = False
        self.unlink()
        return revoked

    @api.model
    def _forget_zoom_user(self, zoom_user_id, client_id, company):
        """Zoom says the user removed the app `client_id`: their tokens are dead, drop them. Only in
        `company`, whose secret signed the notice. Returns the number of connections dropped."""
        domain = [("zoom_user_id", "=", zoom_user_id), ("company_id", "=", company.id)]
        connections = self.sudo().search(domain) if zoom_user_id and company else self
        connections = connections.filtered(
            lambda connection: connection._account().user_client_id == client_id
        )
        count = len(connections)
        connections.unlink()
        return count

    @api.model
    def _reencrypt_tokens(self, box):
        """Key rotation; a connection no configured key opens is dropped (the user connects again)."""
        for connection in self.sudo().search([]):
            try:
                connection.write(
                    {
                        "access_token_encrypted": box.reencrypt(connection.access_token_encrypted),
                        "refresh_token_encrypted": box.reencrypt(connection.refresh_token_encrypted),
                    }
                )
            except SecretDecryptError:
                connection.unlink()


class ZoomUserTokenStore(TokenSource):
    """The token source of `utils.client.ZoomClient` for one connected user, backed by `zoom.user.token`.

    Zoom rotates the refresh token on every refresh and the old one dies at once, so a refresh happens
    under a row lock in a transaction of its own, committed before anything else: a job that rolls
    back afterwards cannot lose the only refresh token that still works.
    """

    def __init__(self, registry, connection_id, credentials, secret_box):
        self.registry = registry
        self.connection_id = connection_id
        self.credentials = credentials
        self.secret_box = secret_box

    def _at_hand(self):
        with self.registry.cursor() as cr:
            return self._read(cr, lock=False)

    def _renewing(self):
        return self.registry.cursor()

    def _obtain(self, cr, current):
        try:
            return refresh_user_token(
                self.credentials["oauth_url"],
                self.credentials["client_id"],
                self.credentials["client_secret"],
                current.refresh_token,
                timeout=TOKEN_REQUEST_TIMEOUT,
            )
        except ZoomAuthError as error:
            # The grant is gone (revoked or removed in Zoom): the user must connect again.
            cr.execute("DELETE FROM zoom_user_token WHERE id = %s", [self.connection_id])
            cr.commit()  # pylint: disable=invalid-commit
            raise ZoomAuthError(str(error), status=error.status, plain=PLAIN_CONNECTION_ENDED) from error

    def _read(self, cr, lock=True):
        cr.execute(READ_TOKEN_FOR_UPDATE if lock else READ_TOKEN, [self.connection_id])
        row = cr.fetchone()
        if not row:
            raise ZoomAuthError("No connected Zoom account.", plain=PLAIN_NOT_CONNECTED)
        access, refresh, expires_at, scopes, api_url = row
        return UserToken(
            access_token=self.secret_box.decrypt(access),
            refresh_token=self.secret_box.decrypt(refresh),
            expires_at=expires_at.replace(tzinfo=timezone.utc),
            scopes=frozenset((scopes or "").split()),
            api_url=api_url or "",
        )

    def _keep(self, cr, token):
        cr.execute(
            """UPDATE zoom_user_token SET access_token_encrypted = %s, refresh_token_encrypted = %s,
                      expires_at = %s, scopes = %s, write_date = now() at time zone 'UTC'
               WHERE id = %s""",
            [
                self.secret_box.encrypt(token.access_token),
                self.secret_box.encrypt(token.refresh_token),
                token.expires_at.astimezone(timezone.utc).replace(tzinfo=None),
                " ".join(sorted(token.scopes)),
                self.connection_id,
            ],
        )
        cr.commit()  # pylint: disable=invalid-commit
