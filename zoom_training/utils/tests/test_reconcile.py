from zoom_training.utils.reconcile import drifted_fields, listing_differs

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


def listed(**changes):
    """A row of the host's meeting list: no settings, the agenda cut at 250 characters."""
    row = {key: value for key, value in held().items() if key != "settings"}
    row.update(changes)
    return row


def test_a_listed_meeting_in_step_shows_no_drift():
    assert not listing_differs(SENT, listed())


def test_a_listed_meeting_renamed_in_zoom_shows_drift():
    assert listing_differs(SENT, listed(topic="Renamed in Zoom"))
    assert listing_differs(SENT, listed(duration=15))


def test_a_long_agenda_cut_by_the_list_is_not_drift():
    sent = {**SENT, "agenda": "x" * 400}
    assert not listing_differs(sent, listed(agenda="x" * 250))
    assert listing_differs(sent, listed(agenda="y" * 250))


def test_a_listed_series_is_not_compared_on_its_start():
    series = {**SENT, "recurrence": {"type": 2}}
    assert not listing_differs(series, listed(start_time="2026-12-21T09:00:00Z"))
