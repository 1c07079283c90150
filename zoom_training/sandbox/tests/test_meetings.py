"""Meetings: create, get, update, delete, status; type 8 occurrences; local times; validation; ids."""

from urllib.parse import quote

import pytest
import requests


def test_create_answers_the_meeting_in_zoom_shape(client, sandbox):
    meeting = client.create_meeting(topic="Odoo training", duration=45, settings={"approval_type": 0})
    assert isinstance(meeting["id"], int) and 10 <= len(str(meeting["id"])) <= 11
    assert meeting["start_time"] == "2030-01-15T09:00:00Z"
    assert meeting["pmi"] == str(sandbox.user("host@example.com").pmi)
    assert meeting["join_url"].startswith(sandbox.url + "/j/")
    assert meeting["start_url"] and meeting["registration_url"]
    assert meeting["password"] and len(meeting["password"]) <= 10
    assert meeting["status"] == "waiting"
    assert sandbox.meeting(meeting["id"]).topic == "Odoo training"


def test_registration_url_only_when_registration_is_on(client):
    assert "registration_url" not in client.create_meeting()


def test_local_start_time_is_converted_to_utc(client):
    meeting = client.create_meeting(start_time="2030-07-01T10:00:00", timezone="Europe/Brussels")
    assert meeting["start_time"] == "2030-07-01T08:00:00Z"
    assert meeting["timezone"] == "Europe/Brussels"


def test_get_update_and_delete(client, sandbox):
    meeting_id = client.create_meeting()["id"]
    assert client.get(f"/meetings/{meeting_id}").json()["topic"] == "Training"
    response = client.patch(f"/meetings/{meeting_id}", json={"topic": "Renamed", "duration": 90})
    assert response.status_code == 204 and response.content == b""
    fetched = client.get(f"/meetings/{meeting_id}").json()
    assert (fetched["topic"], fetched["duration"]) == ("Renamed", 90)
    assert client.delete(f"/meetings/{meeting_id}").status_code == 204
    response = client.get(f"/meetings/{meeting_id}")
    assert response.status_code == 404
    assert response.json() == {"code": 3001, "message": f"Meeting does not exist: {meeting_id}."}


def test_recover_a_deleted_meeting(client):
    meeting_id = client.create_meeting()["id"]
    client.delete(f"/meetings/{meeting_id}")
    assert client.put(f"/meetings/{meeting_id}/status", json={"action": "recover"}).status_code == 204
    assert client.get(f"/meetings/{meeting_id}").status_code == 200


def test_weekly_series_has_occurrences_in_local_time(client):
    recurrence = {"type": 2, "weekly_days": "2,4", "end_times": 4}
    meeting = client.create_meeting(
        type=8, start_time="2030-03-20T10:00:00", timezone="Europe/Brussels", recurrence=recurrence
    )
    starts = [occurrence["start_time"] for occurrence in meeting["occurrences"]]
    # Wednesday 20 March, then Mondays and Wednesdays; Brussels moves to summer time on 31 March.
    assert starts == [
        "2030-03-20T09:00:00Z",
        "2030-03-25T09:00:00Z",
        "2030-03-27T09:00:00Z",
        "2030-04-01T08:00:00Z",
    ]
    assert all(isinstance(o["occurrence_id"], str) for o in meeting["occurrences"])
    assert meeting["start_time"] == starts[0]


def test_deleting_one_occurrence(client):
    meeting = client.create_meeting(type=8, recurrence={"type": 1, "end_times": 3})
    occurrence_id = meeting["occurrences"][1]["occurrence_id"]
    assert (
        client.delete(f"/meetings/{meeting['id']}", params={"occurrence_id": occurrence_id}).status_code
        == 204
    )
    remaining = client.get(f"/meetings/{meeting['id']}").json()["occurrences"]
    assert occurrence_id not in [o["occurrence_id"] for o in remaining]
    everything = client.get(f"/meetings/{meeting['id']}", params={"show_previous_occurrences": "true"}).json()
    assert len(everything["occurrences"]) == 3


def test_updating_one_occurrence(client):
    meeting = client.create_meeting(type=8, recurrence={"type": 1, "end_times": 2})
    occurrence_id = meeting["occurrences"][0]["occurrence_id"]
    client.patch(f"/meetings/{meeting['id']}", params={"occurrence_id": occurrence_id}, json={"duration": 30})
    assert client.get(f"/meetings/{meeting['id']}").json()["occurrences"][0]["duration"] == 30


def test_series_without_recurrence_is_refused(client):
    response = client.post("/users/host@example.com/meetings", json={"type": 8})
    assert response.json()["errors"][0]["field"] == "recurrence"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"duration": 0}, "duration"),
        ({"duration": 1441}, "duration"),
        ({"duration": "long"}, "duration"),
        ({"topic": "x" * 201}, "topic"),
        ({"password": "x" * 11}, "password"),
        ({"agenda": "x" * 2001}, "agenda"),
        ({"type": 4}, "type"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"recurrence": {"end_times": 3}}, "recurrence.type"),
    ],
)
def test_bad_bodies_fail_validation(client, body, field):
    response = client.post("/users/host@example.com/meetings", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == 300
    assert response.json()["message"] == "Validation Failed."
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_invalid_json(client):
    response = client.post(
        "/users/host@example.com/meetings", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()["code"]) == (400, 300)


def test_unknown_user_is_1001(client):
    response = client.post("/users/nobody@example.com/meetings", json={})
    assert response.status_code == 404
    assert response.json() == {"code": 1001, "message": "User does not exist: nobody@example.com."}


def test_double_encoded_uuid_in_paths(client, sandbox):
    meetings = [client.create_meeting() for _ in range(2)]
    with_slash = next(m for m in meetings if "/" in m["uuid"])
    double_encoded = quote(quote(with_slash["uuid"], safe=""), safe="")
    assert client.get(f"/meetings/{double_encoded}").json()["id"] == with_slash["id"]


def test_user_and_settings(client, sandbox):
    sandbox.add_user("basic@example.com", "basic")
    user = client.get("/users/basic@example.com").json()
    assert (user["type"], user["email"], user["status"]) == (1, "basic@example.com", "active")
    assert client.get(f"/users/{user['id']}").json()["email"] == "basic@example.com"
    assert client.get("/users/host@example.com/settings").json()["feature"]["webinar"] is True
    assert client.get("/users/basic@example.com/settings").json()["feature"]["webinar"] is False
    assert client.get("/users/ghost@example.com").json()["code"] == 1001


def test_end_a_live_meeting_through_the_api(client, sandbox):
    meeting_id = client.create_meeting()["id"]
    sandbox.start_meeting(meeting_id)
    assert client.get(f"/meetings/{meeting_id}").json()["status"] == "started"
    assert client.put(f"/meetings/{meeting_id}/status", json={"action": "end"}).status_code == 204
    assert client.get(f"/meetings/{meeting_id}").json()["status"] == "waiting"


def test_me_is_the_account_owner(client):
    assert client.get("/users/me").json()["email"] == "host@example.com"
    assert client.get("/users/me/settings").status_code == 200
    assert client.create_meeting(user="me")["host_email"] == "host@example.com"


def test_handle_exposes_its_credentials(sandbox):
    assert (sandbox.account_id, sandbox.client_id, sandbox.client_secret, sandbox.webhook_secret) == (
        "sandbox_account",
        "sandbox_client_id",
        "sandbox_client_secret",
        "sandbox_webhook_secret",
    )
    assert sandbox.request_log is sandbox.requests


def test_an_update_does_not_hand_the_meeting_to_another_host(client, sandbox):
    """Zoom answers Server-to-Server apps 3000 (CONTRACT_FINDINGS, "Changing the host"); naming the
    meeting's own host is accepted."""
    sandbox.add_user("other@example.com", type="licensed")
    meeting_id = client.create_meeting()["id"]
    response = client.patch(f"/meetings/{meeting_id}", json={"schedule_for": "other@example.com"})
    assert response.status_code == 400
    assert response.json() == {
        "code": 3000,
        "message": "You cannot schedule a meeting for other@example.com.",
    }
    assert sandbox.meeting(meeting_id).host.email == "host@example.com"
    assert (
        client.patch(f"/meetings/{meeting_id}", json={"schedule_for": "host@example.com"}).status_code == 204
    )


def test_a_start_link_opens_only_the_live_session_of_its_host(client, sandbox):
    meeting = client.create_meeting()
    other = client.create_meeting()
    assert requests.get(meeting["start_url"], timeout=5).status_code == 200
    forged = meeting["start_url"].split("?")[0] + "?zak=" + other["start_url"].split("zak=")[1]
    assert requests.get(forged, timeout=5).status_code == 404
    client.delete(f"/meetings/{meeting['id']}")
    assert requests.get(meeting["start_url"], timeout=5).status_code == 404
