from datetime import datetime, timezone

import pytest

from zoom_training.utils.payloads import SessionSpec, build_payload, changed_part, payload_hash
from zoom_training.utils.recurrence import UnsupportedRecurrence, pair_occurrences, zoom_recurrence

START = datetime(2026, 12, 14, 9, 0, tzinfo=timezone.utc)


def spec(**values):
    defaults = {
        "kind": "meeting",
        "topic": "Onboarding",
        "start": START,
        "duration_minutes": 120,
        "timezone": "UTC",
    }
    return SessionSpec(**dict(defaults, **values))


def test_a_meeting_payload_is_scheduled_in_utc_with_registration_on():
    payload = build_payload(spec(approval="manual", alternative_hosts=("b@x.com", "a@x.com")))
    assert payload["type"] == 2
    assert payload["start_time"] == "2026-12-14T09:00:00Z"
    assert payload["settings"]["approval_type"] == 1
    assert payload["settings"]["alternative_hosts"] == "a@x.com;b@x.com"


def test_zoom_limits_are_respected():
    payload = build_payload(spec(topic="x" * 300, agenda="y" * 3000, duration_minutes=5000))
    assert len(payload["topic"]) == 200
    assert len(payload["agenda"]) == 2000
    assert payload["duration"] == 1440
    assert build_payload(spec(duration_minutes=0))["duration"] == 1


def test_join_before_host_is_off_while_the_waiting_room_is_on():
    assert build_payload(spec(join_before_host=True))["settings"]["join_before_host"] is False
    assert (
        build_payload(spec(join_before_host=True, waiting_room=False))["settings"]["join_before_host"] is True
    )


def test_a_webinar_has_no_meeting_only_settings():
    settings = build_payload(spec(kind="webinar"))["settings"]
    assert "waiting_room" not in settings and "alternative_hosts" not in settings
    assert build_payload(spec(kind="webinar"))["type"] == 5


def test_only_what_changed_is_sent_and_settings_key_by_key():
    before = build_payload(spec())
    after = build_payload(spec(topic="Renamed", mute_upon_entry=False))
    assert changed_part(before, after) == {"topic": "Renamed", "settings": {"mute_upon_entry": False}}
    assert changed_part(after, after) == {}
    assert payload_hash(before) != payload_hash(after)
    assert payload_hash(after) == payload_hash(build_payload(spec(topic="Renamed", mute_upon_entry=False)))


def test_a_weekly_rule_becomes_a_type_8_meeting_registered_once():
    rule = {"rrule_type": "weekly", "interval": 1, "mon": True, "thu": True, "end_type": "count", "count": 20}
    recurrence = zoom_recurrence(rule, 20)
    assert recurrence == {"type": 2, "repeat_interval": 1, "weekly_days": "2,5", "end_times": 20}
    payload = build_payload(spec(recurrence=recurrence))
    assert payload["type"] == 8
    assert payload["settings"]["registration_type"] == 1
    assert build_payload(spec(kind="webinar", recurrence=recurrence))["type"] == 9


def test_monthly_rules_by_date_and_by_weekday():
    assert zoom_recurrence({"rrule_type": "monthly", "month_by": "date", "day": 15}, 6)["monthly_day"] == 15
    by_day = zoom_recurrence({"rrule_type": "monthly", "month_by": "day", "byday": "-1", "weekday": "FRI"}, 6)
    assert (by_day["monthly_week"], by_day["monthly_week_day"]) == (-1, 6)


@pytest.mark.parametrize(
    ("rule", "count", "reason"),
    [
        ({"rrule_type": "yearly"}, 3, "not yearly"),
        ({"rrule_type": "weekly", "interval": 60}, 3, "at most every 50"),
        ({"rrule_type": "daily"}, 61, "at most 60 occurrences"),
        ({"rrule_type": "daily", "end_type": "forever"}, 30, "forever"),
    ],
)
def test_what_zoom_cannot_repeat_is_refused_plainly(rule, count, reason):
    with pytest.raises(UnsupportedRecurrence, match=reason):
        zoom_recurrence(rule, count)


def test_the_end_comes_from_the_rule_not_from_the_events_left():
    until = datetime(2027, 3, 1).date()
    assert zoom_recurrence({"rrule_type": "daily", "end_type": "count", "count": 10}, 8)["end_times"] == 10
    by_date = zoom_recurrence({"rrule_type": "daily", "end_type": "end_date", "until": until}, 8)
    assert by_date["end_date_time"] == "2027-03-01T23:59:59Z"


def test_occurrences_are_paired_in_order():
    odoo = {"b": datetime(2026, 1, 8, tzinfo=timezone.utc), "a": datetime(2026, 1, 1, tzinfo=timezone.utc)}
    zoom = [
        {"occurrence_id": "2", "start_time": "2026-01-08T09:00:00Z"},
        {"occurrence_id": "1", "start_time": "2026-01-01T09:00:00Z"},
    ]
    assert pair_occurrences(odoo, zoom) == {"a": "1", "b": "2"}
