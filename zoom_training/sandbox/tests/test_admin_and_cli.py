"""The /_sandbox admin API, and the sandbox as its own process."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[3]


def admin(sandbox, method, path, **kwargs):
    response = requests.request(method, f"{sandbox.url}/_sandbox/{path}", timeout=5, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def test_admin_drives_a_meeting_life(client, hooked, receiver):
    meeting_id = client.registration_meeting()["id"]
    admin(hooked, "POST", f"meetings/{meeting_id}/start")
    joined = admin(
        hooked, "POST", f"meetings/{meeting_id}/join", json={"name": "Ann", "email": "ann@example.com"}
    )
    admin(hooked, "POST", f"meetings/{meeting_id}/leave", json={"user_id": joined["user_id"]})
    admin(hooked, "POST", f"meetings/{meeting_id}/end")
    admin(hooked, "POST", f"meetings/{meeting_id}/recording")
    hooked.webhooks.wait_idle()
    assert receiver.events()[1:] == [
        "meeting.started",
        "meeting.participant_joined",
        "meeting.participant_left",
        "meeting.ended",
        "recording.completed",
    ]
    hooks = admin(hooked, "GET", "webhooks")
    assert len(hooks["deliveries"]) == 6
    state = admin(hooked, "GET", "state")
    assert state["meetings"][0]["runs"] == 1


def test_admin_faults_clock_tokens_and_log(client, sandbox):
    admin(sandbox, "POST", "faults", json={"kind": "fail", "status": 502, "count": 1})
    assert client.get("/users/me").status_code == 502
    admin(sandbox, "DELETE", "faults")
    assert len(admin(sandbox, "GET", "requests")) == 1
    admin(sandbox, "DELETE", "requests")
    assert admin(sandbox, "GET", "requests") == []
    assert (
        admin(sandbox, "POST", "clock", json={"set": "2030-01-01T00:00:00Z"})["now"] == "2030-01-01T00:00:00Z"
    )
    assert client.get("/users/me").json()["code"] == 124  # the token expired in the meantime
    admin(sandbox, "POST", "tokens/revoke", json={})
    admin(sandbox, "POST", "ratelimits", json={"enabled": True, "plan": "free"})
    assert sandbox.limits.plan == "free"


def test_admin_rejects_bad_input(sandbox):
    response = requests.post(f"{sandbox.url}/_sandbox/meetings/1/start", timeout=5)
    assert response.status_code == 400


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def process():
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "zoom_training.sandbox",
        "--port",
        str(port),
        "--client-id",
        "cli_id",
        "--client-secret",
        "cli_secret",
        "--account-id",
        "cli_account",
        "--user",
        "a@example.com:licensed",
        "--user",
        "b@example.com:basic:webinar",
        "--plan",
        "free",
        "--token-ttl",
        "120",
    ]
    child = subprocess.Popen(
        command,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    first_line = child.stdout.readline()
    yield child, port, first_line
    child.send_signal(signal.SIGTERM)
    child.wait(timeout=10)


def test_cli_serves_oauth_and_the_api(process):
    child, port, first_line = process
    assert f"http://127.0.0.1:{port}" in first_line
    base = f"http://127.0.0.1:{port}"
    grant = {"grant_type": "account_credentials", "account_id": "cli_account"}
    token = requests.post(base + "/oauth/token", data=grant, auth=("cli_id", "cli_secret"), timeout=5).json()
    assert (token["expires_in"], token["api_url"]) == (120, base)
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    user = requests.get(base + "/v2/users/b@example.com", headers=headers, timeout=5)
    assert user.json()["type"] == 1
    assert user.headers["X-RateLimit-Limit"] == "6000"
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=10) == 0
    time.sleep(0.05)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(base + "/v2/users/me", timeout=1)


def test_cli_rejects_a_bad_user_spec():
    result = subprocess.run(
        [sys.executable, "-m", "zoom_training.sandbox", "--user", "x@example.com:owner"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "licensed|basic" in result.stderr


def test_seeded_sessions_answer_as_created_ones_and_cost_no_traffic(sandbox, client):
    body = {
        "topic": "Seeded",
        "type": 2,
        "start_time": "2030-01-15T09:00:00Z",
        "duration": 90,
        "timezone": "Europe/Paris",
        "settings": {"approval_type": 0},
    }
    people = [{"email": f"p{k}@example.com", "first_name": f"P{k}"} for k in range(3)]
    seeded = admin(
        sandbox,
        "POST",
        "seed",
        json={"sessions": [{"host": "host@example.com", "body": body, "registrants": people}]},
    )["sessions"][0]
    created = client.create_meeting(**body)
    same = ("topic", "type", "start_time", "duration", "timezone", "settings", "host_email")
    assert {key: seeded[key] for key in same} == {key: created[key] for key in same}
    assert seeded["id"] != created["id"] and seeded["join_url"] and seeded["registration_url"]
    held = client.get(f"/meetings/{seeded['id']}/registrants", params={"status": "approved"}).json()
    assert sorted(row["id"] for row in held["registrants"]) == sorted(
        r["registrant_id"] for r in seeded["registrants"]
    )
    assert {row["email"]: row["join_url"] for row in held["registrants"]} == {
        r["email"]: r["join_url"] for r in seeded["registrants"]
    }
    listed = client.get("/users/host@example.com/meetings", params={"type": "scheduled"}).json()["meetings"]
    assert {row["id"] for row in listed} == {seeded["id"], created["id"]}
    operations = [entry.operation for entry in sandbox.request_log.entries]
    assert operations.count("meetingCreate") == 1  # the seed is no call


def test_seeding_refuses_what_a_create_refuses(sandbox):
    response = requests.post(
        f"{sandbox.url}/_sandbox/seed",
        json={"sessions": [{"host": "host@example.com", "body": {"duration": "long"}}]},
        timeout=5,
    )
    assert response.status_code == 400 and response.json()["error"].startswith("300")
    unknown = requests.post(
        f"{sandbox.url}/_sandbox/seed", json={"sessions": [{"host": "nobody@example.com"}]}, timeout=5
    )
    assert unknown.status_code == 404 and sandbox.meetings() == []
