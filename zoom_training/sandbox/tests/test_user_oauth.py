"""OAuth for user-managed apps: authorize with PKCE, one-time codes, refresh rotation, revocation,
deauthorization, and user tokens acting as their user."""

import json
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from ..signing import sign
from ..user_oauth import s256
from .conftest import Client

USER_APP = ("sandbox_user_client_id", "sandbox_user_client_secret")
REDIRECT = "https://odoo.example.com/zoom/oauth/callback"


@pytest.fixture
def trainer(sandbox):
    sandbox.add_user("trainer@example.com", "licensed")
    sandbox.user_oauth.approve_as("trainer@example.com")
    return sandbox.user("trainer@example.com")


def authorize(sandbox, verifier, state="s1", **overrides):
    params = {
        "response_type": "code",
        "client_id": USER_APP[0],
        "redirect_uri": REDIRECT,
        "state": state,
        "code_challenge": s256(verifier),
        "code_challenge_method": "S256",
        **overrides,
    }
    return requests.get(sandbox.authorize_url, params=params, allow_redirects=False, timeout=5)


def code_from(response):
    assert response.status_code == 302, response.text
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    return query["code"][0], query.get("state", [None])[0]


def exchange(sandbox, code, verifier, redirect_uri=REDIRECT, auth=USER_APP):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    data["code_verifier"] = verifier
    return requests.post(sandbox.oauth_url, data=data, auth=auth, timeout=5)


def refresh(sandbox, refresh_token):
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return requests.post(sandbox.oauth_url, data=data, auth=USER_APP, timeout=5)


def connect(sandbox):
    verifier = secrets.token_urlsafe(48)
    code, _state = code_from(authorize(sandbox, verifier))
    response = exchange(sandbox, code, verifier)
    assert response.status_code == 200, response.text
    return response.json()


def test_authorize_redirects_with_code_and_state(sandbox, trainer):
    response = authorize(sandbox, "v" * 50, state="the-state")
    code, state = code_from(response)
    assert response.headers["Location"].startswith(REDIRECT + "?")
    assert code and state == "the-state"


def test_happy_path_token_acts_as_its_user(sandbox, trainer):
    answer = connect(sandbox)
    assert answer["token_type"] == "bearer" and answer["refresh_token"] and answer["expires_in"] == 3599
    client = Client(sandbox, answer["access_token"])
    assert client.get("/users/me").json()["email"] == "trainer@example.com"
    meeting = client.create_meeting(user="me")
    assert meeting["host_email"] == "trainer@example.com"
    assert sandbox.meeting(meeting["id"]).host.id == trainer.id


def test_sandbox_user_parameter_chooses_who_approves(sandbox, trainer):
    sandbox.add_user("other@example.com", "licensed")
    verifier = "w" * 50
    code, _ = code_from(authorize(sandbox, verifier, sandbox_user="other@example.com"))
    token = exchange(sandbox, code, verifier).json()["access_token"]
    assert Client(sandbox, token).get("/users/me").json()["email"] == "other@example.com"


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_id": "someone_else"},
        {"code_challenge_method": "plain"},
        {"code_challenge": ""},
        {"response_type": "token"},
    ],
)
def test_authorize_refuses_bad_requests(sandbox, trainer, overrides):
    assert authorize(sandbox, "v" * 50, **overrides).status_code == 400


def test_authorize_refuses_a_redirect_off_the_allow_list(sandbox, trainer):
    sandbox.user_oauth.redirect_uris = {REDIRECT}
    assert authorize(sandbox, "v" * 50, redirect_uri="https://evil.example/cb").status_code == 400


def test_a_wrong_verifier_is_invalid_grant(sandbox, trainer):
    code, _ = code_from(authorize(sandbox, "right" * 10))
    response = exchange(sandbox, code, "wrong" * 10)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_wrong_redirect_uri_is_invalid_grant(sandbox, trainer):
    code, _ = code_from(authorize(sandbox, "v" * 50))
    answer = exchange(sandbox, code, "v" * 50, redirect_uri="https://other/cb")
    assert answer.json()["error"] == "invalid_grant"


def test_the_s2s_credentials_cannot_exchange_a_code(sandbox, trainer):
    code, _ = code_from(authorize(sandbox, "v" * 50))
    response = exchange(sandbox, code, "v" * 50, auth=("sandbox_client_id", "sandbox_client_secret"))
    assert response.json()["error"] == "invalid_client"


def test_a_replayed_code_is_refused_and_revokes_what_it_gave(sandbox, trainer):
    verifier = "v" * 50
    code, _ = code_from(authorize(sandbox, verifier))
    first = exchange(sandbox, code, verifier).json()
    replay = exchange(sandbox, code, verifier)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert Client(sandbox, first["access_token"]).get("/users/me").status_code == 401
    assert refresh(sandbox, first["refresh_token"]).json()["error"] == "invalid_grant"


def test_an_expired_code_is_refused(sandbox, trainer):
    verifier = "v" * 50
    code, _ = code_from(authorize(sandbox, verifier))
    sandbox.clock.advance(301)
    assert exchange(sandbox, code, verifier).json()["error"] == "invalid_grant"


def test_refresh_rotates_the_refresh_token(sandbox, trainer):
    first = connect(sandbox)
    second = refresh(sandbox, first["refresh_token"])
    assert second.status_code == 200, second.text
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    refused = refresh(sandbox, first["refresh_token"]).json()
    assert refused == {"reason": "Invalid Token!", "error": "invalid_grant"}
    assert Client(sandbox, second["access_token"]).get("/users/me").json()["email"] == "trainer@example.com"
    assert refresh(sandbox, second["refresh_token"]).status_code == 200


def test_revoke_ends_the_grant(sandbox, trainer):
    answer = connect(sandbox)
    response = requests.post(
        sandbox.url + "/oauth/revoke", data={"token": answer["refresh_token"]}, auth=USER_APP, timeout=5
    )
    assert response.status_code == 200
    assert response.json() == {"status": "success"}
    assert Client(sandbox, answer["access_token"]).get("/users/me").status_code == 401
    assert refresh(sandbox, answer["refresh_token"]).status_code == 400
    assert not sandbox.user_oauth.grants("trainer@example.com")


def test_revoke_needs_the_apps_credentials(sandbox, trainer):
    answer = connect(sandbox)
    response = requests.post(
        sandbox.url + "/oauth/revoke", data={"token": answer["access_token"]}, auth=("x", "y"), timeout=5
    )
    assert response.json()["error"] == "invalid_client"


def test_deauthorization_revokes_and_posts_a_signed_notice(hooked, receiver, trainer):
    answer = connect(hooked)
    response = hooked.user_oauth.deauthorize("trainer@example.com")
    assert response.status_code == 200
    headers, raw = receiver.received[-1]
    body = json.loads(raw)
    assert body["event"] == "app_deauthorized"
    assert body["payload"]["user_id"] == trainer.id
    assert body["payload"]["client_id"] == USER_APP[0]
    assert body["payload"]["account_id"] == hooked.account_id
    expected = sign("sandbox_user_webhook_secret", headers["x-zm-request-timestamp"], raw)
    assert headers["x-zm-signature"] == expected  # the user-managed app's own Secret Token
    assert Client(hooked, answer["access_token"]).get("/users/me").status_code == 401


def test_the_account_token_still_means_the_owner(sandbox, client, trainer):
    assert client.get("/users/me").json()["email"] == "host@example.com"
