"""A three-day course as Zoom holds it: a daily series (type 8, recurrence type 1), registered once for all
days (registration_type 1), each day a run with its own uuid. CONTRACT §2.1; the requests and answers of
the same flow are validated against Zoom's OpenAPI spec by test_contract.py (step `multi_day_course`)."""

import json

import requests

COURSE = {
    "type": 8,
    "topic": "Three-day course",
    "start_time": "2030-03-29T09:00:00",
    "timezone": "Europe/Brussels",
    "duration": 480,
    "settings": {"approval_type": 0, "registration_type": 1},
}


def test_daily_series_ends_after_its_days_in_local_time(client):
    by_count = client.create_meeting(**COURSE, recurrence={"type": 1, "repeat_interval": 1, "end_times": 3})
    starts = [occurrence["start_time"] for occurrence in by_count["occurrences"]]
    # 09:00 every day in Brussels, which moves to summer time on Sunday 31 March
    assert starts == ["2030-03-29T08:00:00Z", "2030-03-30T08:00:00Z", "2030-03-31T07:00:00Z"]
    assert all(occurrence["duration"] == 480 for occurrence in by_count["occurrences"])
    until = {"type": 1, "repeat_interval": 1, "end_date_time": "2030-03-31T22:00:00Z"}
    by_date = client.create_meeting(**{**COURSE, "topic": "Course by date"}, recurrence=until)
    assert [o["start_time"] for o in by_date["occurrences"]] == starts
    assert by_date["settings"]["registration_type"] == 1


def test_one_registration_one_link_for_every_day(client):
    course = client.create_meeting(**COURSE, recurrence={"type": 1, "repeat_interval": 1, "end_times": 3})
    added = client.register(course["id"], "trainee@example.com", "Trainee")
    listed = client.get(f"/meetings/{course['id']}/registrants").json()["registrants"]
    assert [row["join_url"] for row in listed] == [added["join_url"]]
    assert len(added["occurrences"]) == 3  # registered for all occurrences at once


def test_each_day_is_a_run_with_its_own_uuid(hooked, client, receiver):
    course = client.create_meeting(**COURSE, recurrence={"type": 1, "repeat_interval": 1, "end_times": 2})
    added = client.register(course["id"], "trainee@example.com", "Trainee")
    for _day in range(2):
        hooked.start_meeting(course["id"])
        trainee = hooked.join(course["id"], "Trainee", "trainee@example.com", join_url=added["join_url"])
        hooked.leave(course["id"], trainee)
        hooked.end_meeting(course["id"])
    hooked.webhooks.wait_idle()
    events = [json.loads(raw) for _, raw in receiver.received]
    ended = [e["payload"]["object"] for e in events if e["event"] == "meeting.ended"]
    joined = [e["payload"]["object"] for e in events if e["event"] == "meeting.participant_joined"]
    assert len({run["uuid"] for run in ended}) == 2
    assert [run["uuid"] for run in joined] == [run["uuid"] for run in ended]
    assert {run["participant"]["registrant_id"] for run in joined} == {added["registrant_id"]}


def test_the_admin_state_lists_a_series_occurrences(client, sandbox):
    course = client.create_meeting(**COURSE, recurrence={"type": 1, "repeat_interval": 1, "end_times": 3})
    state = requests.get(f"{sandbox.url}/_sandbox/state", timeout=5).json()
    listed = next(m for m in state["meetings"] if m["id"] == course["id"])
    assert listed["type"] == 8
    assert [o["start_time"] for o in listed["occurrences"]] == [
        o["start_time"] for o in course["occurrences"]
    ]
