import logging
import os
import threading

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tools import config

from ..utils.breaker import DEFAULT_COOLING_SECONDS, DEFAULT_THRESHOLD, CircuitBreaker
from ..utils.budget import RateBudget, SqlPacer
from ..utils.client import ZoomClient
from ..utils.crypto import EncryptionKeyError, MissingEncryptionKey, SecretBox
from ..utils.errors import ZoomError, ZoomScopeError, ZoomUnreachable
from ..utils.oauth import DEFAULT_OAUTH_URL
from .zoom_breaker import ZoomBreakerStore
from .zoom_plain import zoom_plain
from .zoom_quota_reading import ZoomQuotaStore
from .zoom_token import ZoomTokenStore

_logger = logging.getLogger(__name__)
_BUDGETS = {}  # (database, company, plan, account) -> RateBudget: pacer in the database, daily readings
_BUDGETS_LOCK = threading.Lock()


def _pacer_cursor(dbname):
    """A cursor of its own for one booking of the shared budget, under READ COMMITTED. Under Odoo's
    REPEATABLE READ, a booking that waited for another process's lock on the slot's row failed to
    serialize (the row had changed since its snapshot) and Odoo ran the whole request again after a sleep
    of up to a second: 11 times in 200 Join clicks at once (bench `join10x`). Under READ COMMITTED the
    UPDATE books on the row as committed. Odoo's next cursor on that connection is REPEATABLE READ again;
    a test's cursor is the test's own transaction and is left as it is."""
    registry = Registry(dbname)
    cr = registry.cursor()
    if not registry.in_test_mode():
        cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
    return cr


def forget_daily_quotas():
    """What Zoom's headers said of today's quotas, forgotten (tests that change the Zoom account)."""
    with _BUDGETS_LOCK:
        for budget in _BUDGETS.values():
            budget.forget_daily()


ENCRYPTION_KEY_OPTION = "zoom_training_encryption_key"
ENCRYPTION_KEY_ENV = "ZOOM_TRAINING_ENCRYPTION_KEY"
SCOPES_ALWAYS = ("meeting:read:admin", "meeting:write:admin", "user:read:admin", "report:read:admin")
SCOPES_WEBINARS = ("webinar:read:admin", "webinar:write:admin")
SCOPES_RECORDINGS = ("recording:read:admin",)
SCOPES_RECORDING_CLEANUP = ("recording:write:admin",)
API_TIMEOUT = 30  # seconds; one number (see utils.oauth.TOKEN_REQUEST_TIMEOUT)
SECRET_FIELDS = {
    "client_secret": "client_secret_encrypted",
    "webhook_secret": "webhook_secret_encrypted",
    "user_client_secret": "user_client_secret_encrypted",
    "user_webhook_secret": "user_webhook_secret_encrypted",
}
CONNECTION_STATES = [("unknown", "Not tested"), ("connected", "Connected"), ("error", "Not connected")]
APP_TYPES = [("s2s", "Server-to-Server OAuth"), ("user_oauth", "OAuth (user-managed)")]


class ZoomAccount(models.Model):
    """A company's Server-to-Server OAuth app: credentials (secrets encrypted) and connection state."""

    _name = "zoom.account"
    _description = "Zoom connection"
    _rec_name = "company_id"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    account_id = fields.Char("Account ID")
    client_id = fields.Char("Client ID")
    client_secret_encrypted = fields.Char(copy=False, groups="base.group_system")
    webhook_secret_encrypted = fields.Char(copy=False, groups="base.group_system")
    connection_state = fields.Selection(
        CONNECTION_STATES,
        default="unknown",
        required=True,
    )
    connection_message = fields.Text()
    connection_checked_at = fields.Datetime()
    app_type = fields.Selection(
        APP_TYPES,
        default="s2s",
        required=True,
        help="With OAuth (user-managed), trainers may connect their own Zoom account; hosts without one "
        "keep using the Server-to-Server app.",
    )
    user_client_id = fields.Char("User-managed app Client ID")
    user_client_secret_encrypted = fields.Char(copy=False, groups="base.group_system")
    user_webhook_secret_encrypted = fields.Char(copy=False, groups="base.group_system")

    _sql_constraints = [("company_unique", "unique(company_id)", "One Zoom connection per company.")]

    @api.model
    def _for_company(self, company):
        account = self.sudo().search([("company_id", "=", company.id)], limit=1)
        return account or self.sudo().create({"company_id": company.id})

    # Secrets ---------------------------------------------------------------------------------------

    @api.model
    def _secret_box(self):
        """The key comes from the server configuration, never from the database."""
        return SecretBox.from_config(config.get(ENCRYPTION_KEY_OPTION) or os.environ.get(ENCRYPTION_KEY_ENV))

    @api.model
    def _encryption_key_configured(self):
        try:
            self._secret_box()
        except EncryptionKeyError:
            return False
        return True

    def _has_secret(self, name):
        self.ensure_one()
        return bool(self[SECRET_FIELDS[name]])

    def _get_secret(self, name):
        self.ensure_one()
        stored = self[SECRET_FIELDS[name]]
        if not stored:
            return ""
        try:
            return self._secret_box().decrypt(stored)
        except EncryptionKeyError as error:
            raise UserError(zoom_plain(self.env, error.plain)) from error

    @api.model
    def _reencrypt_secrets(self):
        """Key rotation: re-encrypts every stored secret and token with the first configured key."""
        box = self._secret_box_or_error()
        for account in self.sudo().search([]):
            account.write(
                {field: box.reencrypt(account[field]) for field in SECRET_FIELDS.values() if account[field]}
            )
        # Access tokens are a cache: dropped (on their own cursor, like every token write) and fetched again.
        ZoomTokenStore.forget_all(self.env.registry)
        self.env["zoom.user.token"]._reencrypt_tokens(box)

    def _update_credentials(self, account_id, client_id, secrets):
        """The Server-to-Server app's settings; an empty secret keeps the stored one."""
        self.ensure_one()
        changes = self._changed_values({"account_id": account_id, "client_id": client_id})
        self._store_changes(changes, secrets, connection_state="unknown", connection_message=False)

    def _update_user_app(self, app_type, client_id, secrets):
        """The user-managed app's settings; an empty secret keeps the stored one."""
        self.ensure_one()
        changes = self._changed_values({"user_client_id": client_id})
        if app_type and app_type != self.app_type:
            changes["app_type"] = app_type
        self._store_changes(changes, secrets)

    def _changed_values(self, wanted):
        return {name: value for name, value in wanted.items() if (value or "") != (self[name] or "")}

    def _store_changes(self, values, secrets, **when_changed):
        """Writes what changed, secrets encrypted; audited by field names, never values."""
        new_secrets = {name: value for name, value in secrets.items() if value}
        if new_secrets:
            box = self._secret_box_or_error()
            values.update({SECRET_FIELDS[name]: box.encrypt(value) for name, value in new_secrets.items()})
        if not values:
            return
        self.write(dict(values, **when_changed))
        changed = sorted(self._fields[name].string or name for name in values)
        self.env["zoom.audit.event"]._record(
            self.company_id, "credentials_changed", _("Changed: %s", ", ".join(changed))
        )

    def _user_app_credentials_configured(self):
        self.ensure_one()
        return self.app_type == "user_oauth" and self.user_client_id and self.user_client_secret_encrypted

    def _user_app_credentials(self):
        """The user-managed app's credentials, or None when trainers cannot connect their own account."""
        if not self._user_app_credentials_configured():
            return None
        return {
            "oauth_url": self._oauth_url(),
            "client_id": self.user_client_id.strip(),
            "client_secret": self._get_secret("user_client_secret"),
        }

    def _secret_box_or_error(self):
        try:
            return self._secret_box()
        except EncryptionKeyError as error:
            if not isinstance(error, MissingEncryptionKey):
                raise UserError(zoom_plain(self.env, error.plain)) from error
            raise UserError(
                _(
                    "Secrets are not stored in clear. Set the option %(option)s in the Odoo server "
                    "configuration (or the environment variable %(env)s) to a key made by "
                    "cryptography.fernet.Fernet.generate_key(), restart Odoo, and save again.",
                    option=ENCRYPTION_KEY_OPTION,
                    env=ENCRYPTION_KEY_ENV,
                )
            ) from error

    # Connection ------------------------------------------------------------------------------------

    def _oauth_url(self):
        param = self.env["ir.config_parameter"].sudo().get_param("zoom_training.oauth_url")
        return (param or DEFAULT_OAUTH_URL).rstrip("/")

    def _api_url_override(self):
        param = self.env["ir.config_parameter"].sudo().get_param("zoom_training.api_url")
        return param.rstrip("/") if param else None

    def _credentials(self):
        self.ensure_one()
        missing = [
            label
            for label, present in (
                (_("Account ID"), self.account_id),
                (_("Client ID"), self.client_id),
                (_("Client secret"), self.client_secret_encrypted),
            )
            if not present
        ]
        if missing:
            raise UserError(_("Zoom is not configured: enter the %s in Settings → Zoom.", ", ".join(missing)))
        return {
            "oauth_url": self._oauth_url(),
            "account_id": self.account_id.strip(),
            "client_id": self.client_id.strip(),
            "client_secret": self._get_secret("client_secret"),
        }

    def _token_store(self):
        self.ensure_one()
        credentials = self._credentials()
        return ZoomTokenStore(
            self.env.registry,
            self.env.uid,
            self.company_id,
            credentials,
            self._secret_box(),
            _("Access token obtained from Zoom."),
        )

    def _zoom_client(self):
        return self._client_for(self._token_store())

    def _client_for(self, token_store):
        params = self.env["ir.config_parameter"].sudo()
        return ZoomClient(
            token_store,
            api_url=self._api_url_override(),
            timeout=int(params.get_param("zoom_training.timeout", API_TIMEOUT)),
            max_retries=int(params.get_param("zoom_training.max_retries", 3)),
            breaker=self._circuit_breaker(),
            budget=self._rate_budget(),
            interactive=bool(self.env.context.get("zoom_interactive")),
            logger=_logger,
        )

    def _rate_budget(self):
        """The account's per-second budget, paced in the database for every process and server of the
        deployment (`zoom.rate.slot`); Zoom's daily quota readings are kept with it."""
        plan = self.company_id.zoom_plan
        account_key = self.account_id or f"company-{self.company_id.id}"
        dbname = self.env.cr.dbname
        key = (dbname, self.company_id.id, plan, account_key)
        with _BUDGETS_LOCK:
            if key not in _BUDGETS:
                pacer = SqlPacer(lambda: _pacer_cursor(dbname), account_key)
                store = ZoomQuotaStore(self.env.registry, self.company_id.id)
                _BUDGETS[key] = RateBudget(plan, pacer=pacer, daily_store=store)
            return _BUDGETS[key]

    def _circuit_breaker(self):
        """After repeated failures Zoom calls pause for a while: jobs are postponed, not failed."""
        params = self.env["ir.config_parameter"].sudo()
        return CircuitBreaker(
            ZoomBreakerStore(self.env.registry, self.company_id.id),
            threshold=int(params.get_param("zoom_training.breaker_threshold", DEFAULT_THRESHOLD)),
            cooling_seconds=int(
                params.get_param("zoom_training.breaker_cooling_seconds", DEFAULT_COOLING_SECONDS)
            ),
        )

    def _required_scopes(self):
        self.ensure_one()
        company = self.company_id
        scopes = set(SCOPES_ALWAYS)
        if company.zoom_webinars_enabled:
            scopes.update(SCOPES_WEBINARS)
        if company.zoom_auto_recording == "cloud" or company.zoom_recording_handling == "store":
            scopes.update(SCOPES_RECORDINGS)
        if company.zoom_recording_zoom_cleanup != "keep":
            scopes.update(SCOPES_RECORDING_CLEANUP)
        return scopes

    def _check_connection(self):
        """Returns (connected, plain-language message)."""
        self.ensure_one()
        try:
            store = self._token_store()
            token = store.force_refresh()
            missing = sorted(self._required_scopes() - token.scopes)
            if missing:
                return False, _(
                    "Zoom granted the app too few scopes. Add these scopes to your Server-to-Server OAuth "
                    "app in the Zoom App Marketplace, then test again: %s",
                    ", ".join(missing),
                )
            account_user = self.with_context(zoom_interactive=True)._client_for(store).get("/users/me")
        except UserError as error:
            return False, error.args[0]
        except ZoomScopeError as error:
            return False, zoom_plain(self.env, error.plain)
        except ZoomUnreachable as error:
            return False, _(
                "Zoom could not be reached (%s). Check the server's internet access.",
                zoom_plain(self.env, error.reason),
            )
        except ZoomError as error:
            return False, zoom_plain(self.env, error.plain)
        if account_user.get("status") not in (None, "active"):
            return False, _(
                "The Zoom account user %(email)s is %(status)s: reactivate it in Zoom's admin portal.",
                email=account_user.get("email"),
                status=account_user.get("status"),
            )
        return True, _("Connected to Zoom as %s.", account_user.get("email") or self.account_id)

    def action_test_connection(self):
        self.ensure_one()
        connected, message = self._check_connection()
        self.write(
            {
                "connection_state": "connected" if connected else "error",
                "connection_message": message,
                "connection_checked_at": fields.Datetime.now(),
            }
        )
        self.env["zoom.audit.event"]._record(self.company_id, "connection_tested", message)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Connected") if connected else _("Not connected"),
                "message": message,
                "type": "success" if connected else "danger",
                "sticky": not connected,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_refresh_tokens(self):
        """Keeps a fresh token ready so that no job waits for one."""
        for account in self.sudo().search([("client_secret_encrypted", "!=", False)]):
            try:
                account._token_store().refresh_if_expiring(seconds=15 * 60)
            except (UserError, ZoomError) as error:
                _logger.warning("Zoom token refresh failed for company %s: %s", account.company_id.id, error)
