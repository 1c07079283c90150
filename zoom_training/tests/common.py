"""Shared set-up of the Odoo tests: a Zoom sandbox on 127.0.0.1 and a company connected to it."""

from unittest.mock import patch

from cryptography.fernet import Fernet

from odoo.tools import config

from ..models.zoom_account import forget_daily_quotas
from ..models.zoom_token import ZoomTokenStore
from ..sandbox import ZoomSandbox

TEST_ENCRYPTION_KEY = Fernet.generate_key().decode()


class ZoomSandboxCase:
    """Mixin for Odoo test classes: `cls.sandbox` runs for the whole class; the encryption key is set."""

    sandbox_options = {"rate_limits": False}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = ZoomSandbox(**cls.sandbox_options)
        cls.sandbox.start()
        cls.addClassCleanup(cls.sandbox.stop)
        key_patch = patch.dict(config.options, {"zoom_training_encryption_key": TEST_ENCRYPTION_KEY})
        key_patch.start()
        cls.addClassCleanup(key_patch.stop)

    @classmethod
    def point_odoo_at_sandbox(cls, env):
        params = env["ir.config_parameter"].sudo()
        params.set_param("zoom_training.oauth_url", cls.sandbox.url)
        params.set_param("zoom_training.api_url", cls.sandbox.url)

    @classmethod
    def connect_company(cls, env, company=None, client_secret=None):
        cls.point_odoo_at_sandbox(env)
        account = env["zoom.account"]._for_company(company or env.company)
        account._update_credentials(
            cls.sandbox.oauth.account_id,
            cls.sandbox.oauth.client_id,
            {
                "client_secret": client_secret or cls.sandbox.oauth.client_secret,
                "webhook_secret": cls.sandbox.webhooks.secret,
            },
        )
        return account

    def committed_audit_events(self, event_type):
        """Token events are committed on a cursor of their own: read them on a fresh one."""
        with self.registry.cursor() as cr:
            cr.execute("SELECT description FROM zoom_audit_event WHERE event_type = %s", [event_type])
            return [description for (description,) in cr.fetchall()]

    def forget_tokens(self):
        """Tokens live in their own committed transactions (see ZoomTokenStore): forget them for real."""
        ZoomTokenStore.forget_all(self.registry)
        forget_daily_quotas()
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM zoom_breaker")  # shared the same way: a pause must not outlive its test
            cr.execute("DELETE FROM zoom_host_budget")  # and the hosts' daily counts
            cr.execute("DELETE FROM zoom_quota_reading")  # and Zoom's daily quotas as last read
