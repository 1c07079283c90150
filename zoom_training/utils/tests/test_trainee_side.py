"""The trainee's side, without a database: their time, their calendar entry, the browser link."""

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from zoom_training.utils.ics import (
    Invitation,
    build_ics,
    escape_text,
    fold,
    google_calendar_url,
    outlook_calendar_url,
)
from zoom_training.utils.trainee_time import session_times, valid_zone, web_client_url

START = datetime(2026, 11, 24, 5, 39, 13)  # naive UTC: 00:39 in Montréal, 06:39 in Brussels
JOIN = "https://odoo.example.com/zoom/join/registration/7"


def plain(times):
    """Babel versions differ on the space before AM (narrow no-break or plain)."""
    return {key: value and value.replace("\u202f", " ") for key, value in times.items()}


def unfolded(text):
    return text.replace("\r\n ", "")


def test_a_trainee_in_montreal_and_one_in_brussels_read_their_own_time_to_the_minute():
    montreal = plain(session_times(START, "America/Montreal", "Europe/Brussels"))
    assert montreal["trainee"] == "Tuesday, November 24, 2026, 12:39 AM (America/Montreal)"
    assert montreal["training"] == "Tuesday, November 24, 2026, 6:39 AM (Europe/Brussels)"
    brussels = plain(session_times(START, "Europe/Brussels", "Europe/Brussels"))
    assert brussels == {"trainee": "Tuesday, November 24, 2026, 6:39 AM (Europe/Brussels)", "training": None}
    assert ":13" not in montreal["trainee"]


def test_the_time_reads_in_the_trainees_language():
    times = session_times(START, "Europe/Paris", "Europe/Paris", locale="fr_FR")
    assert times["trainee"] == "mardi 24 novembre 2026, 06:39 (Europe/Paris)"


def test_a_language_babel_does_not_know_reads_in_english():
    assert plain(session_times(START, "UTC", "UTC", locale="xx_YY"))["trainee"] == (
        "Tuesday, November 24, 2026, 5:39 AM (UTC)"
    )
    assert "novembre" in session_times(START, "UTC", "UTC", locale="fr_BE")["trainee"]


def test_an_unknown_zone_falls_back_to_the_trainings_then_utc():
    assert valid_zone("Mars/Olympus", "Europe/Brussels") == "Europe/Brussels"
    assert valid_zone(None, "") == "UTC"
    assert session_times(START, "nowhere", "Europe/Brussels")["training"] is None


def test_the_browser_link_is_zooms_web_client_with_the_personal_token():
    assert web_client_url("https://zoom.us/w/84512345678?tk=abc&pwd=x") == (
        "https://zoom.us/wc/join/84512345678?tk=abc&pwd=x"
    )
    assert (
        web_client_url("https://example.zoom.us/j/845?pwd=y") == "https://example.zoom.us/wc/join/845?pwd=y"
    )
    assert web_client_url("https://zoom.us/my/room") is None
    assert web_client_url(False) is None


def invitation(**values):
    base = {
        "uid": "registration-7.db@zoom_training",
        "summary": "First aid, refresher; level 2",
        "start": START,
        "end": datetime(2026, 11, 24, 7, 39),
        "join_page": JOIN,
        "description": "Bring a pen",
        "attendee_email": "ann@example.com",
        "attendee_name": "Ann",
        "organizer_email": "trainer@example.com",
        "stamp": datetime(2026, 11, 1),
    }
    return Invitation(**{**base, **values})


def test_the_invitation_holds_the_personal_join_page_never_a_zoom_link():
    text = build_ics(invitation())
    lines = unfolded(text).split("\r\n")
    assert "METHOD:REQUEST" in lines
    assert f"LOCATION:{escape_text(JOIN)}" in lines
    assert f"URL:{JOIN}" in lines
    assert "DESCRIPTION:https://odoo.example.com/zoom/join/registration/7\\n\\nBring a pen" in lines
    assert "SUMMARY:First aid\\, refresher\\; level 2" in lines
    assert "DTSTART:20261124T053913Z" in lines
    assert "UID:registration-7.db@zoom_training" in lines
    assert "zoom.us" not in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert text.endswith("\r\n")


def test_a_moved_session_updates_the_same_entry_and_a_cancelled_one_removes_it():
    first = unfolded(build_ics(invitation(sequence=0))).split("\r\n")
    moved = unfolded(build_ics(invitation(sequence=1, start=datetime(2026, 11, 25, 5, 0)))).split("\r\n")
    cancelled = unfolded(build_ics(invitation(sequence=1, cancelled=True))).split("\r\n")
    uid = [line for line in first if line.startswith("UID:")]
    assert uid == [line for line in moved if line.startswith("UID:")]
    assert uid == [line for line in cancelled if line.startswith("UID:")]
    assert "SEQUENCE:1" in moved and "DTSTART:20261125T050000Z" in moved
    assert "METHOD:CANCEL" in cancelled and "STATUS:CANCELLED" in cancelled


def test_a_multi_day_training_is_one_series():
    days = [(datetime(2026, 11, d, 8), datetime(2026, 11, d, 16)) for d in (24, 25, 26)]
    by_dates = unfolded(build_ics(invitation(occurrences=days))).split("\r\n")
    assert by_dates.count("BEGIN:VEVENT") == 1
    assert "DTSTART:20261124T080000Z" in by_dates and "DTEND:20261124T160000Z" in by_dates
    assert "RDATE:20261125T080000Z,20261126T080000Z" in by_dates
    by_rule = unfolded(build_ics(invitation(rrule="FREQ=DAILY;COUNT=3"))).split("\r\n")
    assert "RRULE:FREQ=DAILY;COUNT=3" in by_rule and by_rule.count("BEGIN:VEVENT") == 1


def test_folding_never_cuts_a_character():
    line = "SUMMARY:" + "é" * 80
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_add_to_calendar_links_carry_the_join_page():
    google = parse_qs(urlsplit(google_calendar_url(invitation())).query)
    assert google["location"] == [JOIN] and google["dates"] == ["20261124T053913Z/20261124T073900Z"]
    assert google["text"] == ["First aid, refresher; level 2"]
    outlook = parse_qs(urlsplit(outlook_calendar_url(invitation())).query)
    assert outlook["location"] == [JOIN] and outlook["startdt"] == ["2026-11-24T05:39:13Z"]
    assert JOIN in outlook["body"][0]
