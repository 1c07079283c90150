"""Past meetings, participant reports with registrant ids, cloud recordings and their download."""

from urllib.parse import quote

import pytest
import requests


@pytest.fixture
def ended_meeting(client, sandbox):
    """A meeting where a registrant (by join link) and a walk-in attended, then it ended and recorded."""
    meeting_id = client.registration_meeting()["id"]
    registrant = client.register(meeting_id, "jill@example.com", "Jill")
    sandbox.start_meeting(meeting_id)
    jill = sandbox.join(meeting_id, "Jill Chill", "jill@example.com", join_url=registrant["join_url"])
    sandbox.join(meeting_id, "Walk In", "walkin@example.com")
    sandbox.clock.advance(600)
    sandbox.leave(meeting_id, jill)
    sandbox.clock.advance(300)
    sandbox.end_meeting(meeting_id)
    sandbox.complete_recording(meeting_id)
    return meeting_id, registrant["registrant_id"]


def test_past_meeting_details(client, ended_meeting):
    meeting_id, _registrant_id = ended_meeting
    details = client.get(f"/past_meetings/{meeting_id}").json()
    assert (details["id"], details["participants_count"], details["duration"]) == (meeting_id, 2, 15)
    assert details["total_minutes"] == 25


def test_past_participants_carry_registrant_id(client, ended_meeting):
    meeting_id, registrant_id = ended_meeting
    rows = client.get(f"/past_meetings/{meeting_id}/participants").json()["participants"]
    by_name = {row["name"]: row for row in rows}
    assert by_name["Jill Chill"]["registrant_id"] == registrant_id
    assert (by_name["Jill Chill"]["duration"], by_name["Walk In"]["duration"]) == (600, 900)


def test_report_shows_registrant_id_only_when_asked(client, ended_meeting):
    meeting_id, registrant_id = ended_meeting
    plain = client.get(f"/report/meetings/{meeting_id}/participants").json()["participants"]
    assert all("registrant_id" not in row for row in plain)
    asked = client.get(
        f"/report/meetings/{meeting_id}/participants", params={"include_fields": "registrant_id"}
    )
    assert registrant_id in [row["registrant_id"] for row in asked.json()["participants"]]


def test_report_by_instance_uuid_and_pagination(client, ended_meeting, sandbox):
    meeting_id, _ = ended_meeting
    uuid = sandbox.meeting(meeting_id).instances[0].uuid
    encoded = requests.utils.quote(requests.utils.quote(uuid, safe=""), safe="")
    first = client.get(f"/report/meetings/{encoded}/participants", params={"page_size": 1}).json()
    assert (first["total_records"], len(first["participants"])) == (2, 1)
    params = {"page_size": 1, "next_page_token": first["next_page_token"]}
    assert (
        len(client.get(f"/report/meetings/{encoded}/participants", params=params).json()["participants"]) == 1
    )


def test_not_yet_ended_meeting_has_no_past(client):
    meeting_id = client.create_meeting()["id"]
    assert client.get(f"/past_meetings/{meeting_id}").json()["code"] == 3001


def test_recording_with_download_token_serves_bytes(client, ended_meeting, sandbox):
    meeting_id, _ = ended_meeting
    body = client.get(
        f"/meetings/{meeting_id}/recordings", params={"include_fields": "download_access_token"}
    ).json()
    assert body["recording_count"] == 2 and body["type"] == "2"
    token = body["download_access_token"]
    mp4 = next(f for f in body["recording_files"] if f["file_type"] == "MP4")
    download = requests.get(mp4["download_url"], headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert download.status_code == 200
    assert len(download.content) == mp4["file_size"]
    assert requests.get(mp4["download_url"], timeout=5).status_code == 401
    sandbox.clock.advance(24 * 3600 + 1)
    assert (
        requests.get(mp4["download_url"], headers={"Authorization": f"Bearer {token}"}, timeout=5).status_code
        == 401
    )


def test_recording_ttl_and_oauth_token_download(client, ended_meeting, sandbox):
    meeting_id, _ = ended_meeting
    params = {"include_fields": "download_access_token", "ttl": 60}
    body = client.get(f"/meetings/{meeting_id}/recordings", params=params).json()
    sandbox.clock.advance(61)
    url = body["recording_files"][0]["download_url"]
    headers = {"Authorization": f"Bearer {body['download_access_token']}"}
    assert requests.get(url, headers=headers, timeout=5).status_code == 401
    assert client.session.get(url, timeout=5).status_code == 200


def test_no_recording_is_3301(client):
    meeting_id = client.create_meeting()["id"]
    response = client.get(f"/meetings/{meeting_id}/recordings")
    assert (response.status_code, response.json()["code"]) == (404, 3301)


def run_with_uuid(client, sandbox, meeting_id, wanted):
    """Runs the meeting (and records it) until a run's uuid is of the wanted shape."""
    for _run in range(40):
        sandbox.start_meeting(meeting_id)
        sandbox.end_meeting(meeting_id)
        sandbox.complete_recording(meeting_id)
        uuid = client.get(f"/past_meetings/{meeting_id}").json()["uuid"]
        if wanted(uuid):
            return uuid
    raise AssertionError("no run got a uuid of the wanted shape")


def test_a_uuid_with_one_slash_is_addressed_single_encoded(client, sandbox):
    """Zoom asks for double encoding only for a uuid that starts with / or holds //; one / inside is %2F."""
    meeting_id = client.registration_meeting()["id"]
    uuid = run_with_uuid(
        client, sandbox, meeting_id, lambda u: "/" in u[1:] and "//" not in u and not u.startswith("/")
    )
    single = quote(uuid, safe="")
    assert client.get(f"/past_meetings/{single}").json()["uuid"] == uuid
    assert client.get(f"/meetings/{single}/recordings").json()["uuid"] == uuid


def test_a_recording_moved_to_the_trash_is_listed_no_more(client, sandbox):
    meeting_id = client.registration_meeting()["id"]
    uuid = run_with_uuid(client, sandbox, meeting_id, lambda u: True)
    assert (
        client.delete(f"/meetings/{quote(uuid, safe='')}/recordings", params={"action": "trash"}).status_code
        == 204
    )
    answer = client.get(f"/meetings/{meeting_id}/recordings")
    assert (answer.status_code, answer.json()["code"]) == (404, 3301)
    refused = client.delete(f"/meetings/{meeting_id}/recordings", params={"action": "shred"})
    assert refused.status_code == 400
