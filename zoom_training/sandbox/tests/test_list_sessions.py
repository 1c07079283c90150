"""`GET /users/{userId}/meetings` (operationId `meetings`) and `GET /users/{userId}/webinars` (`webinars`):
filters, paging, errors; every answer is also held to the spec like the other contract tests."""

from datetime import timedelta

import pytest

from ..clock import format_utc
from .contract import load_contract, raise_for

HOST = "host@example.com"
LIST_OPERATIONS = ("meetings", "webinars")


@pytest.fixture
def checked(sandbox, zoom_specs):
    """The sandbox; after the test every list answer it logged, and every list request it accepted, is
    validated against the spec."""
    yield sandbox
    contract = load_contract()
    violations = []
    for entry in sandbox.requests.entries:
        if entry.operation not in LIST_OPERATIONS:
            continue
        if entry.status < 300:
            violations += contract.request_violations(
                entry.method, entry.path, entry.query, entry.request_json
            )
        violations += contract.response_violations(
            entry.method, entry.path, entry.status, entry.response_json, entry.query
        )
    raise_for(violations)


def _at(sandbox, **delta):
    return format_utc(sandbox.clock.now() + timedelta(**delta))


def _advance(client, sandbox, seconds):
    """Move the sandbox clock on, with a fresh token (the old one expires on the way)."""
    sandbox.clock.advance(seconds)
    client.session.headers["Authorization"] = f"Bearer {sandbox.issue_token()}"


def _listed(client, collection="meetings", user=HOST, **params):
    response = client.get(f"/users/{user}/{collection}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _ids(answer, collection="meetings"):
    return [row["id"] for row in answer[collection]]


def test_scheduled_lists_the_hosts_scheduled_meetings_in_start_order(client, checked):
    later = client.create_meeting(topic="Later", start_time=_at(checked, days=3), agenda="a" * 300)
    sooner = client.create_meeting(topic="Sooner", start_time=_at(checked, days=1))
    client.create_meeting(topic="Instant", type=1)
    client.create_webinar(topic="A webinar")
    checked.add_user("other@example.com")
    client.create_meeting(user="other@example.com", topic="Not mine")
    answer = _listed(client)
    assert _ids(answer) == [sooner["id"], later["id"]]
    assert (answer["total_records"], answer["page_size"], answer["next_page_token"]) == (2, 30, "")
    row = answer["meetings"][1]
    assert row["agenda"] == "a" * 250
    assert {key: row[key] for key in ("uuid", "topic", "type", "start_time", "join_url")} == {
        key: later[key] for key in ("uuid", "topic", "type", "start_time", "join_url")
    }
    assert "start_url" not in row and "password" not in row


def test_upcoming_previous_and_live(client, checked):
    past = client.create_meeting(topic="Past", start_time=_at(checked, hours=1), duration=30)
    future = client.create_meeting(topic="Future", start_time=_at(checked, days=2))
    live = client.create_meeting(topic="Live", start_time=_at(checked, hours=1), duration=30)
    _advance(client, checked, 2 * 3600)
    checked.start_meeting(live["id"])
    assert _ids(_listed(client, type="previous_meetings")) == [past["id"]]
    assert _ids(_listed(client, type="upcoming")) == [live["id"], future["id"]]
    assert _ids(_listed(client, type="upcoming_meetings")) == [live["id"], future["id"]]
    assert _ids(_listed(client, type="live")) == [live["id"]]
    assert len(_listed(client, type="scheduled")["meetings"]) == 3


def test_a_series_is_listed_once_at_its_next_occurrence(client, checked):
    series = client.create_meeting(
        topic="Weekly",
        type=8,
        start_time=_at(checked, days=1),
        recurrence={"type": 1, "repeat_interval": 7, "end_times": 3},
    )
    _advance(client, checked, 3 * 86400)
    rows = _listed(client, type="upcoming")["meetings"]
    assert [row["start_time"] for row in rows] == [series["occurrences"][1]["start_time"]]


def test_pages_follow_the_next_page_token(client, checked):
    created = [client.create_meeting(start_time=_at(checked, days=day + 1))["id"] for day in range(5)]
    first = _listed(client, page_size=2)
    second = _listed(client, page_size=2, next_page_token=first["next_page_token"])
    third = _listed(client, page_size=2, next_page_token=second["next_page_token"])
    assert _ids(first) + _ids(second) + _ids(third) == created
    assert (first["total_records"], first["page_count"], third["next_page_token"]) == (5, 3, "")
    stale = client.get(f"/users/{HOST}/meetings", params={"next_page_token": "nope"})
    assert (stale.status_code, stale.json()["code"]) == (400, 300)


def test_from_and_to_are_dates_in_the_given_timezone(client, checked):
    first = client.create_meeting(start_time="2030-03-01T23:30:00Z")
    second = client.create_meeting(start_time="2030-03-03T10:00:00Z")
    assert _ids(_listed(client, **{"from": "2030-03-01", "to": "2030-03-01"})) == [first["id"]]
    tokyo = {"from": "2030-03-02", "to": "2030-03-03", "timezone": "Asia/Tokyo"}
    assert _ids(_listed(client, **tokyo)) == [first["id"], second["id"]]
    assert _ids(_listed(client, **{"from": "2030-03-02"})) == [second["id"]]


def test_me_email_and_unknown_users(client, checked):
    meeting = client.create_meeting()
    assert _ids(_listed(client, user="me")) == _ids(_listed(client, user=HOST.upper())) == [meeting["id"]]
    unknown = client.get("/users/nobody@example.com/meetings")
    assert unknown.status_code == 404
    assert unknown.json() == {"code": 1001, "message": "User does not exist: nobody@example.com."}


@pytest.mark.parametrize(
    ("collection", "params"),
    [
        ("meetings", {"type": "everything"}),
        ("meetings", {"from": "yesterday"}),
        ("webinars", {"type": "live"}),
    ],
)
def test_invalid_filters_are_300(client, checked, collection, params):
    response = client.get(f"/users/{HOST}/{collection}", params=params)
    assert (response.status_code, response.json()["code"]) == (400, 300)


def test_webinars_are_listed_by_type(client, checked):
    done = client.create_webinar(topic="Done", start_time=_at(checked, hours=1), duration=30)
    coming = client.create_webinar(topic="Coming", start_time=_at(checked, days=1))
    client.create_meeting(topic="A meeting")
    _advance(client, checked, 2 * 3600)
    answer = _listed(client, "webinars")
    assert _ids(answer, "webinars") == [done["id"], coming["id"]]
    assert answer["webinars"][0]["is_simulive"] is False
    assert _ids(_listed(client, "webinars", type="upcoming"), "webinars") == [coming["id"]]


def test_webinars_need_the_webinar_plan(client, checked):
    checked.add_user("basic@example.com", "basic")
    response = client.get("/users/basic@example.com/webinars")
    assert (response.status_code, response.json()["code"]) == (400, 200)


def test_lists_are_medium_and_need_read_scopes(client, checked):
    _listed(client)
    _listed(client, "webinars")
    assert {entry.category for entry in checked.requests.entries if entry.operation in LIST_OPERATIONS} == {
        "Medium"
    }
    checked.oauth.granted_scopes = {"meeting:write:admin"}
    narrow = client.session.get(
        f"{checked.api_base}/users/{HOST}/meetings",
        headers={"Authorization": f"Bearer {checked.issue_token()}"},
        timeout=5,
    )
    assert (narrow.status_code, narrow.json()["code"]) == (400, 4711)
