import requests

from odoo.tests import BaseCase, tagged

from ..sandbox import ZoomSandbox


@tagged("post_install", "-at_install")
class TestSandboxInsideOdoo(BaseCase):
    """The Zoom sandbox runs inside the Odoo test process on 127.0.0.1 and answers over real HTTP."""

    def test_sandbox_starts_on_loopback_and_issues_a_token(self):
        with ZoomSandbox() as sandbox:
            self.assertTrue(sandbox.url.startswith("http://127.0.0.1:"))
            response = requests.post(
                sandbox.oauth_url,
                params={"grant_type": "account_credentials", "account_id": sandbox.oauth.account_id},
                auth=(sandbox.oauth.client_id, sandbox.oauth.client_secret),
                timeout=5,
            )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["token_type"], "bearer")
        self.assertEqual(body["api_url"], sandbox.url)
        self.assertGreater(body["expires_in"], 0)
