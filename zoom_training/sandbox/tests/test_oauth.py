"""Server-to-Server OAuth: the token endpoint, token lifetime, revocation and scopes."""

import requests

from .conftest import Client

CREDENTIALS = ("sandbox_client_id", "sandbox_client_secret")
GRANT = {"grant_type": "account_credentials", "account_id": "sandbox_account"}


def test_token_with_parameters_in_the_query_string(sandbox):
    response = requests.post(sandbox.oauth_url, params=GRANT, auth=CREDENTIALS, timeout=5)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3599
    assert body["api_url"] == sandbox.url
    assert "meeting:write:admin" in body["scope"].split(" ")
    assert "refresh_token" not in body


def test_token_with_parameters_in_a_form_body(sandbox):
    response = requests.post(sandbox.oauth_url, data=GRANT, auth=CREDENTIALS, timeout=5)
    assert response.status_code == 200
    token = response.json()["access_token"]
    assert Client(sandbox, token).get("/users/me@nowhere.test").json()["code"] == 1001


def test_wrong_client_secret_is_invalid_client(sandbox):
    response = requests.post(sandbox.oauth_url, params=GRANT, auth=("sandbox_client_id", "nope"), timeout=5)
    assert response.status_code == 400
    assert response.json() == {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}


def test_missing_basic_auth_is_invalid_client(sandbox):
    response = requests.post(sandbox.oauth_url, params=GRANT, timeout=5)
    assert response.json()["error"] == "invalid_client"


def test_other_grant_type_is_unsupported(sandbox):
    params = {**GRANT, "grant_type": "client_credentials"}
    response = requests.post(sandbox.oauth_url, params=params, auth=CREDENTIALS, timeout=5)
    assert response.status_code == 400
    assert response.json() == {"reason": "unsupported grant type", "error": "unsupported_grant_type"}


def test_unknown_account_is_refused(sandbox):
    params = {**GRANT, "account_id": "other"}
    assert requests.post(sandbox.oauth_url, params=params, auth=CREDENTIALS, timeout=5).status_code == 400


def test_missing_token_is_code_124(client, sandbox):
    response = requests.get(sandbox.api_base + "/users/host@example.com", timeout=5)
    assert response.status_code == 401
    assert response.json() == {"code": 124, "message": "Invalid access token."}


def test_token_in_the_query_string_is_refused(sandbox):
    token = sandbox.issue_token()
    response = requests.get(
        sandbox.api_base + "/users/host@example.com", params={"access_token": token}, timeout=5
    )
    assert response.status_code == 401
    assert response.json()["code"] == 124
    assert "query parameter" in response.json()["message"]


def test_token_expires_on_the_sandbox_clock(client, sandbox):
    assert client.get("/users/host@example.com").status_code == 200
    sandbox.clock.advance(3600)
    response = client.get("/users/host@example.com")
    assert response.status_code == 401
    assert response.json() == {"code": 124, "message": "Access token has expired."}


def test_several_tokens_are_valid_at_once(sandbox):
    first, second = Client(sandbox, sandbox.issue_token()), Client(sandbox, sandbox.issue_token())
    assert first.get("/users/host@example.com").status_code == 200
    assert second.get("/users/host@example.com").status_code == 200


def test_legacy_single_token_mode_invalidates_older_tokens(sandbox):
    sandbox.oauth.legacy_single_token = True
    first = Client(sandbox, sandbox.issue_token())
    second = Client(sandbox, sandbox.issue_token())
    assert first.get("/users/host@example.com").status_code == 401
    assert second.get("/users/host@example.com").status_code == 200


def test_revoked_token_is_refused(client, sandbox):
    token = client.session.headers["Authorization"].split(" ")[1]
    sandbox.revoke_token(token)
    assert client.get("/users/host@example.com").json()["code"] == 124


def test_missing_scope_is_code_4711(sandbox):
    sandbox.oauth.granted_scopes = {"meeting:read:admin"}
    client = Client(sandbox, sandbox.issue_token())
    assert client.get("/meetings/12345678901").json()["code"] == 3001
    response = client.post("/users/host@example.com/meetings", json={"topic": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == 4711
    assert "meeting:write" in response.json()["message"]


def test_granular_scope_is_enough(sandbox):
    client = Client(sandbox, sandbox.issue_token(scopes={"meeting:write:meeting:admin"}))
    assert client.post("/users/host@example.com/meetings", json={"topic": "x"}).status_code == 201
