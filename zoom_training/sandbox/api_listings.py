"""A host's meetings and webinars: `GET /users/{userId}/meetings` (operationId `meetings`) and
`GET /users/{userId}/webinars` (`webinars`), filtered by `type` and paged with `next_page_token`.

Only scheduled sessions are listed (no instant meetings). A session is *previous* once its scheduled
end (its last occurrence's, for a series) has passed and it is not live; otherwise it is *upcoming*.
Series without a fixed time (types 3 and 6) never pass. The sandbox never expires a session."""

from datetime import date, datetime, time, timedelta
from functools import partial

from . import errors
from .scheduling import zone
from .serialize import listed_session_json
from .state import MEETING, WEBINAR

INSTANT = 1
LIST_TYPES = {
    MEETING: ("scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings"),
    WEBINAR: ("scheduled", "upcoming"),
}
LIST_KEY = {MEETING: "meetings", WEBINAR: "webinars"}


def list_sessions(call, user_ref, kind):
    host = call.user(user_ref)
    if kind == WEBINAR and not host.webinar:
        raise errors.webinar_plan_missing(user_ref)
    now = call.clock.now()
    sessions = _matching_sessions(call, host, kind, now)
    chunk, meta = call.sandbox.pages.page(call.request, _listing_key(call, kind, host), sessions)
    rows = [listed_session_json(session, _listed_start(session, now), call.urls) for session in chunk]
    return 200, {**meta, "page_number": 1, LIST_KEY[kind]: rows}


def _matching_sessions(call, host, kind, now):
    """The host's sessions of the requested `type` and dates, in start-time order."""
    list_type = _list_type(call, kind)
    first, last = _date_range(call, kind, host)
    sessions = [
        session
        for session in _sessions_of(call.state, host, kind)
        if _has_type(session, list_type, now) and _within_dates(session, first, last)
    ]
    return sorted(
        sessions, key=lambda session: (_listed_start(session, now) or session.created_at, session.id)
    )


def _listing_key(call, kind, host):
    return (kind, host.id, *(call.arg(name) for name in ("type", "from", "to", "timezone")))


def _list_type(call, kind):
    list_type = call.arg("type") or "scheduled"
    if list_type not in LIST_TYPES[kind]:
        raise errors.validation_failed([{"field": "type", "message": "Invalid field."}])
    return list_type


def _sessions_of(state, host, kind):
    return [
        session
        for session in state.meetings.values()
        if session.host is host and session.kind == kind and session.type != INSTANT
    ]


def _has_type(session, list_type, now):
    if list_type == "live":
        return session.live_instance is not None
    if list_type in ("upcoming", "upcoming_meetings"):
        return not _is_previous(session, now)
    if list_type == "previous_meetings":
        return _is_previous(session, now)
    return True


def _is_previous(session, now):
    end = _scheduled_end(session)
    return session.live_instance is None and end is not None and end <= now


def _scheduled_end(session):
    """When the session's last run is scheduled to end; None for series without a fixed time."""
    available = _available_occurrences(session)
    if available:
        return _end_of(available[-1].start_time, available[-1].duration)
    if session.start_time is None:
        return None
    return _end_of(session.start_time, session.duration)


def _listed_start(session, now):
    """A series is listed at its next occurrence still to end (else its first); others at their start."""
    upcoming = [
        o.start_time for o in _available_occurrences(session) if _end_of(o.start_time, o.duration) > now
    ]
    return upcoming[0] if upcoming else session.start_time


def _available_occurrences(session):
    return [occurrence for occurrence in session.occurrences if occurrence.status == "available"]


def _end_of(start, duration):
    return start + timedelta(minutes=duration)


def _date_range(call, kind, host):
    """(first, last) aware datetimes bounding `from` and `to` (dates in `timezone`); None when unbounded.
    Only meetings take them."""
    if kind != MEETING:
        return None, None
    timezone_name = call.arg("timezone") or host.timezone
    try:
        local_zone = zone(timezone_name)
    except ValueError as exc:
        raise errors.validation_failed([{"field": "timezone", "message": "Invalid field."}]) from exc
    first, last = _date_arg(call, "from"), _date_arg(call, "to")
    return (
        datetime.combine(first, time.min, local_zone) if first else None,
        datetime.combine(last + timedelta(days=1), time.min, local_zone) if last else None,
    )


def _date_arg(call, name):
    text = call.arg(name)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise errors.validation_failed([{"field": name, "message": "Invalid field."}]) from exc


def _within_dates(session, first, last):
    if first is None and last is None:
        return True
    if session.start_time is None:
        return False
    starts = [o.start_time for o in _available_occurrences(session)] or [session.start_time]
    return any((first is None or start >= first) and (last is None or start < last) for start in starts)


HANDLERS = {
    "meetings": partial(list_sessions, kind=MEETING),
    "webinars": partial(list_sessions, kind=WEBINAR),
}
