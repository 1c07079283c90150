"""Trainers connect their own Zoom account: the OAuth flow with real sessions against the sandbox, every
refusal of the callback, refresh rotation, revocation, deauthorization and who hosts the meetings."""

import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests

from odoo.exceptions import AccessError
from odoo.http import root
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..controllers.user_oauth import SESSION_KEY
from ..utils import user_oauth
from .common import ZoomSandboxCase

TRAINER_ZOOM, MALLORY_ZOOM = "trainer@example.com", "mallory@example.com"
TIMEOUT = 20


@tagged("post_install", "-at_install")
class TestUserOAuth(ZoomSandboxCase, HttpCase):
    sandbox_options = {
        "rate_limits": False,
        "users": [
            "host@example.com:licensed:webinar",
            f"{TRAINER_ZOOM}:licensed",
            f"{MALLORY_ZOOM}:licensed",
        ],
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.trainer = new_test_user(
            cls.env, login="trainer", email="trainer@odoo.example", groups="base.group_user"
        )
        cls.mallory = new_test_user(
            cls.env, login="mallory", email="mallory@odoo.example", groups="base.group_user"
        )

    def setUp(self):
        super().setUp()
        account = self.connect_company(self.env)
        user_app = self.sandbox.user_oauth
        account._update_user_app(
            "user_oauth",
            user_app.client_id,
            {"user_client_secret": user_app.client_secret, "user_webhook_secret": user_app.webhook_secret},
        )
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        self.forget_tokens()
        self.sandbox.requests.clear()
        self.sandbox.user_oauth.reset()

    # The flow, step by step ----------------------------------------------------------------------------

    def login(self, login):
        """A browser of its own, logged in as `login`; earlier browsers stay logged in."""
        self.session = None  # authenticate() would end the previous session
        self.authenticate(login, login)
        browser = requests.Session()
        browser.cookies.update(self.opener.cookies)
        return browser

    def press_connect(self, browser):
        """*Connect my Zoom account*: the page, then its button (a POST carrying Odoo's CSRF token)."""
        page = browser.get(self.base_url() + "/zoom/oauth/connect", timeout=TIMEOUT)
        self.assertEqual(page.status_code, 200, page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return browser.post(
            self.base_url() + "/zoom/oauth/start",
            data={"csrf_token": token},
            allow_redirects=False,
            timeout=TIMEOUT,
        )

    def start(self, browser):
        response = self.press_connect(browser)
        self.assertIn(response.status_code, (302, 303), response.text)
        self.assertTrue(response.headers["Location"].startswith(self.sandbox.authorize_url))
        return response.headers["Location"]

    def approve(self, authorize_url, zoom_email):
        """The Zoom user signs in and approves; Zoom answers with the link back to Odoo."""
        self.sandbox.user_oauth.approve_as(zoom_email)
        response = requests.get(authorize_url, allow_redirects=False, timeout=TIMEOUT)
        self.assertEqual(response.status_code, 302, response.text)
        return response.headers["Location"]

    def callback(self, browser, url):
        return browser.get(url, allow_redirects=False, timeout=TIMEOUT)

    def connect(self, login, zoom_email):
        browser = self.login(login)
        response = self.callback(browser, self.approve(self.start(browser), zoom_email))
        self.assertEqual(response.status_code, 200, response.text)
        return browser, response

    def refused(self, browser, url, expected_text):
        with self.assertLogs("odoo.addons.zoom_training.controllers.user_oauth", "WARNING") as logs:
            response = self.callback(browser, url)
        self.assertEqual(response.status_code, 400)
        self.assertIn(expected_text, response.text)
        self.assertTrue(any("Security:" in line for line in logs.output), logs.output)
        query = parse_qs(urlsplit(url).query)
        for secret in query.get("code", []) + query.get("state", []):
            self.assertFalse(any(secret in line for line in logs.output), "a secret was logged")
        return response

    @staticmethod
    def with_params(url, **params):
        parts = urlsplit(url)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        return parts._replace(query=urlencode({**query, **params})).geturl()

    def connection(self, user):
        return self.env["zoom.user.token"].sudo().search([("user_id", "=", user.id)])

    def session_nonce(self, browser):
        sid = next(cookie.value for cookie in browser.cookies if cookie.name == "session_id")
        return root.session_store.get(sid)[SESSION_KEY]["nonce"]

    # The happy path -----------------------------------------------------------------------------------

    def test_a_trainer_connects_their_zoom_account(self):
        _browser, response = self.connect("trainer", TRAINER_ZOOM)
        self.assertIn("Connected as trainer@example.com", response.text)
        connection = self.connection(self.trainer)
        self.assertEqual(connection.zoom_email, TRAINER_ZOOM)
        self.assertEqual(connection.zoom_user_id, self.sandbox.user(TRAINER_ZOOM).id)
        grant = self.sandbox.user_oauth.grants(TRAINER_ZOOM)[0]
        self.assertNotIn(grant.refresh_token, connection.refresh_token_encrypted)
        self.assertEqual(self.trainer.with_user(self.trainer).zoom_connected_as, TRAINER_ZOOM)
        self.assertFalse(self.mallory.with_user(self.mallory).zoom_connected_as)

    def test_only_administrators_read_the_tokens(self):
        self.connect("trainer", TRAINER_ZOOM)
        with self.assertRaises(AccessError):
            self.env["zoom.user.token"].with_user(self.trainer).search([])

    def test_a_zoom_account_is_connected_to_one_odoo_user_only(self):
        self.connect("trainer", TRAINER_ZOOM)
        browser = self.login("mallory")
        self.refused(browser, self.approve(self.start(browser), TRAINER_ZOOM), "already connected to another")
        self.assertFalse(self.connection(self.mallory))
        self.assertEqual(self.connection(self.trainer).zoom_email, TRAINER_ZOOM)

    def test_settings_keep_the_user_app_secret_encrypted_and_show_the_redirect_url(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.zoom_app_type = "user_oauth"
            settings.zoom_user_client_id = "another_client_id"
            settings.zoom_user_client_secret = "another-user-secret"
        account = self.env["zoom.account"]._for_company(self.env.company)
        self.assertEqual(account.user_client_id, "another_client_id")
        self.assertNotIn("another-user-secret", account.user_client_secret_encrypted)
        self.assertEqual(account._get_secret("user_client_secret"), "another-user-secret")
        self.assertEqual(settings.record.zoom_oauth_redirect_url, self.base_url() + "/zoom/oauth/callback")
        settings.record.zoom_app_type = "s2s"
        settings.record.execute()
        self.assertFalse(self.trainer.with_user(self.trainer).zoom_can_connect)
        response = self.press_connect(self.login("trainer"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("not enabled", response.text)

    # The attack of the issue, both ways ------------------------------------------------------------------

    def test_a_callback_started_by_an_attacker_does_not_link_their_zoom_to_the_victim(self):
        attacker = self.login("mallory")
        link = self.approve(self.start(attacker), MALLORY_ZOOM)
        victim = self.login("trainer")
        self.refused(victim, link, "started by another Odoo user")
        self.assertFalse(self.connection(self.trainer))
        self.assertFalse(self.connection(self.mallory))

    def test_an_attacker_cannot_finish_the_victims_flow(self):
        victim = self.login("trainer")
        link = self.approve(self.start(victim), TRAINER_ZOOM)
        attacker = self.login("mallory")
        self.refused(attacker, link, "started by another Odoo user")
        self.assertFalse(self.connection(self.mallory))

    def test_a_state_from_another_session_of_the_same_user_is_refused(self):
        first = self.login("trainer")
        link = self.approve(self.start(first), TRAINER_ZOOM)
        second = self.login("trainer")
        self.refused(second, link, "another browser session")
        self.assertFalse(self.connection(self.trainer))

    def test_the_callback_needs_a_logged_in_session(self):
        link = self.approve(self.start(self.login("trainer")), TRAINER_ZOOM)
        response = requests.get(link, allow_redirects=False, timeout=TIMEOUT)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        self.assertFalse(self.connection(self.trainer))

    # Every other refusal -------------------------------------------------------------------------------

    def test_an_expired_state_is_refused(self):
        browser = self.login("trainer")
        link = self.approve(self.start(browser), TRAINER_ZOOM)
        key = self.env["zoom.user.token"]._state_key()
        eleven_minutes_ago = datetime.now().timestamp() - 11 * 60
        state, _claims = user_oauth.mint_state(
            key, self.trainer.id, self.env.cr.dbname, self.session_nonce(browser), now=eleven_minutes_ago
        )
        self.refused(browser, self.with_params(link, state=state), "has expired")
        self.assertFalse(self.connection(self.trainer))

    def test_a_replayed_state_is_refused(self):
        browser = self.login("trainer")
        link = self.approve(self.start(browser), TRAINER_ZOOM)
        self.assertEqual(self.callback(browser, link).status_code, 200)
        self.refused(browser, link, "already used")
        self.assertEqual(len(self.sandbox.user_oauth.grants(TRAINER_ZOOM)), 1)

    def test_a_tampered_state_is_refused(self):
        browser = self.login("mallory")
        link = self.approve(self.start(browser), MALLORY_ZOOM)
        state = parse_qs(urlsplit(link).query)["state"][0]
        header, _payload, signature = state.split(".")
        claims = jwt.decode(state, options={"verify_signature": False})
        forged_payload = jwt.encode({**claims, "uid": self.trainer.id}, "guess", algorithm="HS256").split(
            "."
        )[1]
        forged = ".".join((header, forged_payload, signature))
        victim = self.login("trainer")
        self.refused(victim, self.with_params(link, state=forged), "altered")
        self.refused(browser, self.with_params(link, state=state[:-4] + "abcd"), "altered")
        unsigned = jwt.encode(claims, None, algorithm="none")
        self.refused(browser, self.with_params(link, state=unsigned), "altered")
        self.assertFalse(self.connection(self.trainer) or self.connection(self.mallory))

    def test_a_missing_state_is_refused(self):
        browser = self.login("trainer")
        link = self.approve(self.start(browser), TRAINER_ZOOM)
        self.refused(browser, self.with_params(link, state=""), "incomplete")

    def test_a_replayed_code_is_refused(self):
        browser = self.login("trainer")
        first_link = self.approve(self.start(browser), TRAINER_ZOOM)
        self.assertEqual(self.callback(browser, first_link).status_code, 200)
        used_code = parse_qs(urlsplit(first_link).query)["code"][0]
        second_link = self.approve(self.start(browser), TRAINER_ZOOM)
        response = self.refused(browser, self.with_params(second_link, code=used_code), "already used")
        self.assertIn("Zoom refused the authorization", response.text)
        # Zoom revokes what a replayed code gave: the connection is dead there.
        self.assertFalse(self.sandbox.user_oauth.grants(TRAINER_ZOOM))

    # Tokens over time ----------------------------------------------------------------------------------

    def test_refresh_rotates_the_refresh_token(self):
        self.connect("trainer", TRAINER_ZOOM)
        connection = self.connection(self.trainer)
        box = self.env["zoom.account"]._secret_box()
        old_access = box.decrypt(connection.access_token_encrypted)
        old_refresh = box.decrypt(connection.refresh_token_encrypted)
        self.sandbox.oauth.revoke_token(old_access)  # Zoom answers 124: the client refreshes once
        me = connection._zoom_client().get("/users/me")
        self.assertEqual(me["email"], TRAINER_ZOOM)
        connection.invalidate_recordset()
        new_refresh = box.decrypt(connection.refresh_token_encrypted)
        self.assertNotEqual(new_refresh, old_refresh)
        self.assertNotEqual(box.decrypt(connection.access_token_encrypted), old_access)
        answer = requests.post(
            self.sandbox.oauth_url,
            data={"grant_type": "refresh_token", "refresh_token": old_refresh},
            auth=(self.sandbox.user_oauth.client_id, self.sandbox.user_oauth.client_secret),
            timeout=TIMEOUT,
        )
        self.assertEqual(answer.json()["error"], "invalid_grant")

    def test_disconnect_revokes_at_zoom(self):
        self.connect("trainer", TRAINER_ZOOM)
        action = self.trainer.with_user(self.trainer).action_zoom_disconnect()
        self.assertEqual(action["params"]["type"], "success")
        self.assertFalse(self.connection(self.trainer))
        self.assertFalse(self.sandbox.user_oauth.grants(TRAINER_ZOOM))
        self.assertFalse(self.trainer.with_user(self.trainer).zoom_connected_as)

    def test_a_deauthorization_signed_by_another_app_is_refused(self):
        self.connect("trainer", TRAINER_ZOOM)
        self.sandbox.user_oauth.webhook_secret = "not-the-apps-token"
        self.addCleanup(setattr, self.sandbox.user_oauth, "webhook_secret", "sandbox_user_webhook_secret")
        with self.assertLogs("odoo.addons.zoom_training.models.zoom_webhook_intake", "WARNING"):
            answer = self.sandbox.user_oauth.deauthorize(
                TRAINER_ZOOM, url=self.base_url() + "/webhook/zoom-meeting"
            )
        self.assertEqual(answer.status_code, 401)
        self.assertTrue(self.connection(self.trainer))

    def test_a_deauthorization_signed_by_another_company_leaves_this_companys_connection(self):
        self.connect("trainer", TRAINER_ZOOM)
        sister = self.env["res.company"].create({"name": "Sister company"})
        self.env["zoom.account"]._for_company(sister)._update_user_app(
            "user_oauth",
            self.sandbox.user_oauth.client_id,
            {"user_client_secret": "sister-client-secret", "user_webhook_secret": "sister-webhook-secret"},
        )
        self.sandbox.user_oauth.webhook_secret = "sister-webhook-secret"
        self.addCleanup(setattr, self.sandbox.user_oauth, "webhook_secret", "sandbox_user_webhook_secret")
        self.env.flush_all()  # the request reads the sister company's app through the same test cursor
        answer = self.sandbox.user_oauth.deauthorize(
            TRAINER_ZOOM, url=self.base_url() + "/webhook/zoom-meeting"
        )
        self.assertEqual(answer.status_code, 200, answer.text)
        delivery = self.env["zoom.webhook.event"].search([("event", "=", "app_deauthorized")])
        self.assertEqual(delivery.company_id, sister)
        delivery._process()
        self.assertTrue(self.connection(self.trainer), "signed by the sister company: not this one's to end")

    def test_deauthorization_in_zoom_clears_the_tokens(self):
        self.connect("trainer", TRAINER_ZOOM)
        self.connect("mallory", MALLORY_ZOOM)
        endpoint = self.base_url() + "/webhook/zoom-meeting"
        answer = self.sandbox.user_oauth.deauthorize(TRAINER_ZOOM, url=endpoint)
        self.assertEqual(answer.status_code, 200, answer.text)
        delivery = self.env["zoom.webhook.event"].search([("event", "=", "app_deauthorized")])
        delivery._process()  # the job the delivery queued
        self.assertEqual(delivery.state, "done", delivery.error)
        self.assertFalse(self.connection(self.trainer))
        self.assertTrue(self.connection(self.mallory))

    # Who hosts -----------------------------------------------------------------------------------------

    def calendar_event(self, organizer):
        start = datetime(2026, 12, 14, 9, 0)
        return (
            self.env["calendar.event"]
            .with_user(organizer)
            .create(
                {
                    "name": f"Training by {organizer.name}",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "user_id": organizer.id,
                    "zoom_conference": "meeting",
                }
            )
        )

    def test_a_connected_host_creates_the_meeting_in_their_own_account(self):
        self.connect("trainer", TRAINER_ZOOM)
        with trap_jobs() as trap:
            event = self.calendar_event(self.trainer)
            trap.perform_enqueued_jobs()
        odoo_meeting = event.zoom_meeting_id
        self.assertEqual(odoo_meeting.sync_state, "synced", odoo_meeting.sync_error)
        self.assertEqual(self.sandbox.meeting(int(odoo_meeting.zoom_id)).host.email, TRAINER_ZOOM)
        self.assertEqual(odoo_meeting.host_email, TRAINER_ZOOM)
        created = [
            entry.path for entry in self.sandbox.requests.entries if entry.operation == "meetingCreate"
        ]
        self.assertEqual(created, ["/v2/users/me/meetings"])

    def test_a_host_without_a_connection_goes_through_the_company_app(self):
        admin = self.env.ref("base.user_admin")
        admin.zoom_email = "host@example.com"
        with trap_jobs() as trap:
            event = self.calendar_event(admin)
            trap.perform_enqueued_jobs()
        odoo_meeting = event.zoom_meeting_id
        self.assertEqual(odoo_meeting.sync_state, "synced", odoo_meeting.sync_error)
        created = [
            entry.path for entry in self.sandbox.requests.entries if entry.operation == "meetingCreate"
        ]
        self.assertEqual(created, ["/v2/users/host@example.com/meetings"])
