import logging
import threading
from unittest.mock import patch

from cryptography.fernet import Fernet

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, JsonRpcException, TransactionCase, new_test_user, tagged
from odoo.tools import config, mute_logger

from ..models.zoom_token import ZoomTokenStore
from .common import ZoomSandboxCase


@tagged("post_install", "-at_install")
class TestConnectionSettings(ZoomSandboxCase, TransactionCase):
    def setUp(self):
        super().setUp()
        self.point_odoo_at_sandbox(self.env)
        self.sandbox.requests.clear()
        self.forget_tokens()

    def _save_settings(self, **values):
        with Form(self.env["res.config.settings"]) as settings:
            for name, value in values.items():
                setattr(settings, name, value)
        return settings.record

    def _enter_sandbox_credentials(self, client_secret=None):
        return self._save_settings(
            zoom_account_id=self.sandbox.oauth.account_id,
            zoom_client_id=self.sandbox.oauth.client_id,
            zoom_client_secret=client_secret or self.sandbox.oauth.client_secret,
            zoom_webhook_secret_token=self.sandbox.webhooks.secret,
        )

    def _test_connection(self):
        settings = self._enter_sandbox_credentials()
        settings.action_zoom_test_connection()
        return self.env["zoom.account"]._for_company(self.env.company)

    def test_admin_enters_credentials_and_sees_connected(self):
        account = self._test_connection()
        self.assertEqual(account.connection_state, "connected", account.connection_message)
        self.assertIn("Connected to Zoom", account.connection_message)

    def test_a_missing_scope_is_named(self):
        self.sandbox.oauth.granted_scopes.discard("report:read:admin")
        self.addCleanup(self.sandbox.oauth.granted_scopes.add, "report:read:admin")
        account = self._test_connection()
        self.assertEqual(account.connection_state, "error")
        self.assertIn("report:read:admin", account.connection_message)

    def test_webinar_scopes_are_required_only_with_webinars_on(self):
        self.sandbox.oauth.granted_scopes.discard("webinar:write:admin")
        self.addCleanup(self.sandbox.oauth.granted_scopes.add, "webinar:write:admin")
        self.env.company.zoom_webinars_enabled = False
        self.assertEqual(self._test_connection().connection_state, "connected")
        self.env.company.zoom_webinars_enabled = True
        account = self._test_connection()
        self.assertEqual(account.connection_state, "error")
        self.assertIn("webinar:write:admin", account.connection_message)

    def test_a_wrong_secret_gets_a_plain_reason(self):
        settings = self._enter_sandbox_credentials(client_secret="not-the-secret")
        settings.action_zoom_test_connection()
        account = self.env["zoom.account"]._for_company(self.env.company)
        self.assertEqual(account.connection_state, "error")
        self.assertIn("Client secret", account.connection_message)
        self.assertNotIn("not-the-secret", account.connection_message)

    def test_zoom_unreachable_is_said_plainly(self):
        self.env["ir.config_parameter"].sudo().set_param("zoom_training.oauth_url", "http://127.0.0.1:9")
        account = self._test_connection()
        self.assertEqual(account.connection_state, "error")
        self.assertIn("could not be reached", account.connection_message)

    def test_a_deactivated_account_user_is_named(self):
        owner = self.sandbox.user("host@example.com")
        owner.status = "inactive"
        self.addCleanup(setattr, owner, "status", "active")
        account = self._test_connection()
        self.assertEqual(account.connection_state, "error")
        self.assertIn("host@example.com is inactive", account.connection_message)

    def test_an_incomplete_configuration_names_what_is_missing(self):
        self._save_settings(zoom_account_id="", zoom_client_id="")
        account = self.env["zoom.account"]._for_company(self.env.company)
        connected, message = account._check_connection()
        self.assertFalse(connected)
        self.assertIn("Account ID", message)

    def test_the_database_holds_no_secret_in_clear(self):
        self._test_connection()
        token = self.sandbox_last_token()
        for secret in (self.sandbox.oauth.client_secret, self.sandbox.webhooks.secret, token):
            self.assertEqual(self._columns_containing(secret), [], f"{secret[:4]}… found in clear")
        account = self.env["zoom.account"]._for_company(self.env.company)
        self.assertEqual(account._get_secret("client_secret"), self.sandbox.oauth.client_secret)

    def sandbox_last_token(self):
        return self.env["zoom.account"]._for_company(self.env.company)._token_store().get_token().access_token

    def _columns_containing(self, needle):
        cr = self.env.cr
        cr.execute(
            """SELECT table_name, column_name FROM information_schema.columns
               WHERE table_schema = 'public' AND data_type IN ('character varying', 'text', 'jsonb')"""
        )
        found = []
        for table, column in cr.fetchall():
            cr.execute(f'SELECT 1 FROM "{table}" WHERE "{column}"::text LIKE %s LIMIT 1', [f"%{needle}%"])
            if cr.fetchone():
                found.append(f"{table}.{column}")
        return found

    def test_without_an_encryption_key_secrets_are_refused_and_the_page_says_so(self):
        self.env["zoom.account"]._for_company(self.env.company).client_secret_encrypted = False
        with self._without_encryption_key():
            settings = self.env["res.config.settings"].create({})
            self.assertTrue(settings.zoom_encryption_key_missing)
            with self.assertRaisesRegex(UserError, "zoom_training_encryption_key"):
                self._enter_sandbox_credentials()
        self.assertFalse(self.env["zoom.account"]._for_company(self.env.company).client_secret_encrypted)

    def test_key_rotation_reencrypts_secrets_with_the_new_key(self):
        self._enter_sandbox_credentials()
        account = self.env["zoom.account"]._for_company(self.env.company)
        old_key = config.options["zoom_training_encryption_key"]
        new_key = Fernet.generate_key().decode()
        with patch.dict(config.options, {"zoom_training_encryption_key": f"{new_key},{old_key}"}):
            self.env["zoom.account"]._reencrypt_secrets()
        with patch.dict(config.options, {"zoom_training_encryption_key": new_key}):
            self.assertEqual(account._get_secret("client_secret"), self.sandbox.client_secret)
            self.assertEqual(account._get_secret("webhook_secret"), self.sandbox.webhook_secret)
        with self.assertRaisesRegex(UserError, "another key"):
            account._get_secret("client_secret")

    def _without_encryption_key(self):
        return patch.dict(config.options, {"zoom_training_encryption_key": ""})

    def test_credential_changes_are_audited_without_the_secret(self):
        admin = new_test_user(self.env, login="zoom_admin", groups="base.group_user,base.group_system")
        self.env = self.env(user=admin)
        self._enter_sandbox_credentials()
        event = self.env["zoom.audit.event"].search([("event_type", "=", "credentials_changed")], limit=1)
        self.assertEqual(event.user_id, admin)
        self.assertIn("Client ID", event.description)
        self.assertNotIn(self.sandbox.oauth.client_secret, event.description)

    def test_secrets_and_tokens_never_reach_the_log(self):
        with self.assertLogs("odoo.addons.zoom_training", level=logging.DEBUG) as logs:
            logging.getLogger("odoo.addons.zoom_training").debug("capturing")
            self._test_connection()
        text = "\n".join(logs.output)
        token = self.sandbox_last_token()
        for secret in (self.sandbox.oauth.client_secret, self.sandbox.webhooks.secret, token):
            self.assertNotIn(secret, text)

    def test_a_non_admin_cannot_read_credentials_tokens_or_the_audit_trail(self):
        self._test_connection()
        user = new_test_user(self.env, login="trainer", groups="base.group_user,event.group_event_manager")
        for model in ("zoom.account", "zoom.token", "zoom.audit.event"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(user).search_read([])
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(user).create({})


@tagged("post_install", "-at_install")
class TestTokens(ZoomSandboxCase, TransactionCase):
    def setUp(self):
        super().setUp()
        self.account = self.connect_company(self.env)
        self.sandbox.requests.clear()
        self.forget_tokens()

    def token_request_count(self):
        return self.sandbox.requests.count(operation="oauthToken", status=200)

    def test_a_token_is_fetched_once_and_reused(self):
        client = self.account._zoom_client()
        client.get("/users/me")
        client.get("/users/me")
        self.account._zoom_client().get("/users/me")
        self.assertEqual(self.token_request_count(), 1)
        self.assertIn("Access token obtained from Zoom.", self.committed_audit_events("token_fetched"))

    def test_a_token_with_less_than_a_minute_left_is_refreshed_on_demand(self):
        self.sandbox.oauth.token_ttl = 50
        self.addCleanup(setattr, self.sandbox.oauth, "token_ttl", 3599)
        client = self.account._zoom_client()
        client.get("/users/me")
        client.get("/users/me")
        self.assertEqual(self.token_request_count(), 2)

    def test_the_scheduled_refresh_renews_only_tokens_about_to_expire(self):
        self.account._zoom_client().get("/users/me")
        self.env["zoom.account"]._cron_refresh_tokens()
        self.assertEqual(self.token_request_count(), 1, "a fresh token was refreshed")
        self.sandbox.oauth.token_ttl = 600
        self.addCleanup(setattr, self.sandbox.oauth, "token_ttl", 3599)
        self.account._token_store().force_refresh()
        self.env["zoom.account"]._cron_refresh_tokens()
        self.assertEqual(self.token_request_count(), 3, "a token with 10 minutes left was not refreshed")

    def test_a_revoked_token_is_refreshed_once_and_the_call_replayed(self):
        client = self.account._zoom_client()
        client.get("/users/me")
        self.sandbox.oauth.revoke_all_tokens()
        user = client.get("/users/me")
        self.assertTrue(user["email"])
        self.assertEqual(self.token_request_count(), 2)

    def test_two_workers_needing_a_token_at_once_make_one_token_request(self):
        self.sandbox.faults.latency(0.5, operation="oauthToken", count=1)
        stores = [self.account._token_store() for _worker in range(2)]
        tokens, errors = [], []

        def worker(store):
            try:
                tokens.append(store.get_token().access_token)
            except Exception as error:  # reported by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=worker, args=(store,)) for store in stores]
        ZoomTokenStore._memory.clear()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        self.assertEqual(errors, [])
        self.assertEqual(len(set(tokens)), 1)
        self.assertEqual(self.token_request_count(), 1)


@tagged("post_install", "-at_install")
class TestSecretsOverRpc(ZoomSandboxCase, HttpCase):
    def test_a_non_admin_gets_nothing_over_json_rpc(self):
        self.connect_company(self.env)
        new_test_user(self.env, login="trainee_rpc", password="trainee_rpc_pw", groups="base.group_user")
        self.authenticate("trainee_rpc", "trainee_rpc_pw")
        for model in ("zoom.account", "zoom.token", "zoom.audit.event"):
            with self.subTest(model=model), mute_logger("odoo.http"):
                with self.assertRaises(JsonRpcException) as refused:
                    self.make_jsonrpc_request(
                        "/web/dataset/call_kw",
                        {"model": model, "method": "search_read", "args": [[]], "kwargs": {}},
                    )
                self.assertEqual(refused.exception.args[0], "odoo.exceptions.AccessError")
