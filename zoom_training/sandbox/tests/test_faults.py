"""Fault injection: 5xx, latency, timeouts, dropped connections, 429 storms; the request log."""

import pytest
import requests

GRANT = {"grant_type": "account_credentials", "account_id": "sandbox_account"}


@pytest.mark.parametrize("status", [500, 502, 503])
def test_failure_on_one_endpoint_for_a_number_of_calls(client, sandbox, status):
    sandbox.faults.fail(status, operation="meetingCreate", count=2)
    assert client.get("/users/me").status_code == 200
    codes = [client.post("/users/me/meetings", json={}).status_code for _ in range(3)]
    assert codes == [status, status, 201]
    assert sandbox.faults.rules == []


def test_failure_rate(client, sandbox):
    sandbox.faults.fail(503, rate=0.5)
    codes = [client.get("/users/me").status_code for _ in range(40)]
    assert 5 < codes.count(503) < 35
    sandbox.faults.clear()
    assert client.get("/users/me").status_code == 200


def test_latency(client, sandbox):
    sandbox.faults.latency(0.2, operation="user", count=1)
    response = client.get("/users/me")
    assert response.status_code == 200
    assert response.elapsed.total_seconds() >= 0.2


def test_timeout_outlasts_the_client(client, sandbox):
    sandbox.faults.timeout(0.5, count=1)
    with pytest.raises(requests.exceptions.ReadTimeout):
        client.get("/users/me", timeout=0.1)
    assert client.get("/users/me").status_code == 200


def test_dropped_connection(client, sandbox):
    sandbox.faults.drop(operation="meeting", count=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        client.get("/meetings/12345678901")
    assert client.get("/meetings/12345678901").status_code == 404
    dropped = [entry for entry in sandbox.requests.entries if entry.status == 0]
    assert [(entry.operation, entry.template) for entry in dropped] == [("meeting", "/meetings/{meetingId}")]


def test_429_storm(client, sandbox):
    sandbox.faults.storm_429(2)
    first, second, third = (client.get("/users/me/settings") for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (429, 429, 200)
    assert first.headers["Retry-After"] == "1"
    assert first.headers["X-RateLimit-Category"] == "Medium"


def test_tokens_revoked_after_some_calls(client, sandbox):
    sandbox.faults.revoke_tokens(operation="userSettings", after=2)
    first, second, third = (client.get("/users/me/settings") for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 401)
    assert third.json()["code"] == 124
    assert sandbox.faults.rules == [], "fired once"


def test_token_endpoint_faults(sandbox):
    sandbox.faults.fail(503, operation="oauthToken", count=1)
    auth = ("sandbox_client_id", "sandbox_client_secret")
    assert requests.post(sandbox.oauth_url, params=GRANT, auth=auth, timeout=5).status_code == 503
    assert requests.post(sandbox.oauth_url, params=GRANT, auth=auth, timeout=5).status_code == 200


def test_request_log(client, sandbox):
    sandbox.requests.clear()
    meeting_id = client.create_meeting(topic="Logged")["id"]
    client.get(f"/meetings/{meeting_id}", params={"show_previous_occurrences": "true"})
    create, get = sandbox.requests.entries
    assert (create.method, create.operation, create.template, create.status) == (
        "POST",
        "meetingCreate",
        "/users/{userId}/meetings",
        201,
    )
    assert create.request_json["topic"] == "Logged"
    assert create.response_json["id"] == meeting_id
    assert (get.query, get.category) == ({"show_previous_occurrences": "true"}, "Light")
    assert sandbox.requests.count(operation="meetingCreate") == 1
    assert sandbox.requests.count(status=200) == 1
