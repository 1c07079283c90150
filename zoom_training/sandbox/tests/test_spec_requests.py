"""Request bodies checked against the spec's own schemas (`request_schemas.json`), and the answers the
contract findings asked for: userSettings' `option`, webinar settings, unknown recordings."""

import json

import pytest

from zoom_training.sandbox import request_schemas, specgen
from zoom_training.sandbox.tests.contract import MEETINGS_SPEC, spec_dir


@pytest.mark.usefixtures("zoom_specs")
def test_the_schema_file_is_generated_from_the_spec():
    spec = json.loads((spec_dir() / MEETINGS_SPEC).read_text())
    assert request_schemas.SCHEMA_FILE.read_text() == specgen.render(
        specgen.extract(spec)
    ), "request_schemas.json is stale: run python -m zoom_training.sandbox.specgen"


def _errors(response):
    assert (response.status_code, response.json()["code"]) == (400, 300), response.text
    return {(error["field"], error["message"]) for error in response.json()["errors"]}


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"show_share_button": "yes"}, "settings.show_share_button"),
        ({"waiting_room_options": {"mode": "maybe"}}, "settings.waiting_room_options.mode"),
        ({"waiting_room_options": {}}, "settings.waiting_room_options.mode"),
        ({"meeting_invitees": [{"email": "not-an-email"}]}, "settings.meeting_invitees[0].email"),
        ({"jbh_time": 7}, "settings.jbh_time"),
    ],
)
def test_meeting_settings_follow_the_spec(client, settings, field):
    response = client.post("/users/host@example.com/meetings", json={"topic": "T", "settings": settings})
    assert {name for name, _message in _errors(response)} == {field}


def test_lengths_bounds_and_comma_lists(client):
    body = {
        "topic": "x" * 201,
        "duration": 1441,
        "type": 8,
        "recurrence": {"type": 2, "weekly_days": "2,9", "end_times": 61},
    }
    fields = {name for name, _message in _errors(client.post("/users/me/meetings", json=body))}
    assert fields == {"topic", "duration", "recurrence.weekly_days", "recurrence.end_times"}
    body["topic"], body["duration"], body["recurrence"] = "ok", 60, {"type": 2, "weekly_days": "2, 4"}
    assert client.post("/users/me/meetings", json=body).status_code == 201


BAD_REGISTRANT_VALUES = (("language", "xx-XX"), ("no_of_employees", "lots"), ("purchasing_time_frame", "now"))


def test_webinar_and_registrant_bodies_follow_the_spec(client, sandbox):
    body = {"settings": {"question_and_answer": {"enable": 1}}}
    errors = _errors(client.post("/users/me/webinars", json=body))
    assert errors == {("settings.question_and_answer.enable", "Invalid field.")}
    meeting = client.create_meeting(settings={"approval_type": 0})
    person = {"email": "p@example.com", "first_name": "P"}
    for field, value in BAD_REGISTRANT_VALUES:
        response = client.post(f"/meetings/{meeting['id']}/registrants", json={**person, field: value})
        assert _errors(response) == {(field, "Invalid field.")}
    assert not sandbox.registrants(meeting["id"])


def test_status_actions_and_panelist_limits(client):
    meeting = client.create_meeting(settings={"approval_type": 0})
    webinar = client.create_webinar()
    assert _errors(client.put(f"/meetings/{meeting['id']}/status", json={"action": "pause"})) == {
        ("action", "Invalid field.")
    }
    assert _errors(client.put(f"/webinars/{webinar['id']}/status", json={"action": "recover"})) == {
        ("action", "Invalid field.")
    }
    crowd = [{"email": f"p{n}@example.com", "name": "P"} for n in range(31)]
    errors = _errors(client.post(f"/webinars/{webinar['id']}/panelists", json={"panelists": crowd}))
    assert errors == {("panelists", "Must be at most 30 long.")}


def test_unknown_settings_are_ignored_not_echoed(client):
    meeting = client.create_meeting(settings={"practice_session": True, "host_video": True})
    assert meeting["settings"]["host_video"] is True
    assert "practice_session" not in meeting["settings"]
    webinar = client.create_webinar(settings={"waiting_room": True, "practice_session": True})
    assert "waiting_room" not in webinar["settings"] and webinar["settings"]["practice_session"] is True
    assert "use_pmi" not in webinar["settings"]


def test_registrants_are_listed_without_their_language(client):
    meeting = client.create_meeting(settings={"approval_type": 0})
    person = {"email": "fr@example.com", "first_name": "Fr", "language": "fr-FR", "city": "Lyon"}
    added = client.post(f"/meetings/{meeting['id']}/registrants", json=person).json()
    fetched = client.get(f"/meetings/{meeting['id']}/registrants/{added['registrant_id']}").json()
    assert fetched["city"] == "Lyon" and "language" not in fetched


@pytest.mark.parametrize(
    ("option", "keys"),
    [
        (None, {"feature", "schedule_meeting", "in_meeting", "recording"}),
        ("meeting_authentication", {"authentication_options"}),
        ("recording_authentication", {"authentication_options"}),
        ("meeting_security", {"meeting_security"}),
    ],
)
def test_user_settings_answer_the_branch_option_picks(client, option, keys):
    response = client.get("/users/me/settings", params={"option": option} if option else None)
    assert set(response.json()) == keys


def test_user_settings_refuse_an_unknown_option(client):
    response = client.get("/users/me/settings", params={"option": "everything"})
    assert _errors(response) == {("option", "Invalid field.")}


def test_recordings_of_an_unknown_meeting_are_3301(client):
    response = client.get("/meetings/12345678901/recordings")
    assert response.status_code == 404
    assert response.json() == {"code": 3301, "message": "There is no recording for this meeting."}
