from zoom_training.utils.reconcile import drifted_fields

SENT = {
    "topic": "Onboarding",
    "start_time": "2026-12-14T09:00:00Z",
    "duration": 60,
    "timezone": "Europe/Brussels",
    "agenda": "Bring a laptop",
    "settings": {"waiting_room": True, "alternative_hosts": "a@x.com;b@x.com", "approval_type": 0},
}


def held(**changes):
    answer = {**SENT, "id": 123, "join_url": "https://zoom.us/j/123", "settings": dict(SENT["settings"])}
    settings = changes.pop("settings", {})
    answer.update(changes)
    answer["settings"].update(settings)
    return answer


def test_a_meeting_in_step_has_no_drift():
    assert drifted_fields(SENT, held()) == {}


def test_fields_changed_in_zoom_are_sent_back_as_odoo_had_them():
    answer = held(topic="Renamed in Zoom", duration=90, settings={"waiting_room": False})
    assert drifted_fields(SENT, answer) == {
        "topic": "Onboarding",
        "duration": 60,
        "settings": {"waiting_room": True},
    }


def test_the_order_of_alternative_hosts_is_not_drift():
    assert drifted_fields(SENT, held(settings={"alternative_hosts": "B@x.com, a@x.com"})) == {}


def test_a_series_start_is_not_compared():
    series = {**SENT, "recurrence": {"type": 2}}
    assert drifted_fields(series, held(start_time="2026-12-21T09:00:00Z")) == {}
