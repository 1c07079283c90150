"""A session's time as a trainee reads it: in their own time zone, to the minute, the zone named, and the
training's own time beside it when the zones differ. No ORM (babel and pytz, as Odoo itself uses)."""

from datetime import timezone
from urllib.parse import urlsplit, urlunsplit

import pytz
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time

DEFAULT_ZONE = "UTC"


def valid_zone(*candidates):
    """The first candidate that is a known IANA time zone name (partner, browser cookie, training...)."""
    for name in candidates:
        if name and name in pytz.all_timezones_set:
            return name
    return DEFAULT_ZONE


def known_locale(code):
    """Babel's locale for an Odoo language code ("fr_BE", "sr@latin"), English when Babel has none."""
    try:
        return Locale.parse((code or "en_US").split("@")[0])
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_US")


def in_zone(utc_naive, zone):
    """A naive UTC datetime (as Odoo stores them) as an aware datetime in `zone`."""
    return utc_naive.replace(tzinfo=timezone.utc).astimezone(pytz.timezone(zone))


def format_in_zone(utc_naive, zone, locale="en_US"):
    """'Tuesday, November 24, 2026, 12:39 AM (America/Toronto)': the date in full, the time to the minute."""
    local = in_zone(utc_naive, zone)
    locale = known_locale(locale)
    day = format_date(local, "full", locale=locale)
    hour = format_time(local, "short", locale=locale)
    return f"{day}, {hour} ({zone})"


def session_times(utc_naive, trainee_zone, training_zone, locale="en_US"):
    """{"trainee": text in the trainee's zone, "training": text in the training's zone or None when the
    two zones show the same wall-clock time}."""
    if not utc_naive:
        return {"trainee": "", "training": None}
    trainee_zone = valid_zone(trainee_zone, training_zone)
    training_zone = valid_zone(training_zone, trainee_zone)
    trainee = format_in_zone(utc_naive, trainee_zone, locale)
    same = in_zone(utc_naive, trainee_zone).utcoffset() == in_zone(utc_naive, training_zone).utcoffset()
    training = (
        None if same or trainee_zone == training_zone else format_in_zone(utc_naive, training_zone, locale)
    )
    return {"trainee": trainee, "training": training}


def web_client_url(join_url):
    """Zoom's web client (join from the browser, no app) for a join link: /j/<id> or /w/<id> becomes
    /wc/join/<id>, the query (personal token, passcode) kept. None for a link of another shape."""
    if not join_url:
        return None
    parts = urlsplit(join_url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) != 2 or segments[0] not in ("j", "w", "s") or not segments[1].isdigit():
        return None
    return urlunsplit((parts.scheme, parts.netloc, f"/wc/join/{segments[1]}", parts.query, ""))
