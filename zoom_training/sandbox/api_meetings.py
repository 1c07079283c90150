"""Meetings and webinars: create, get, update, delete, status (both kinds share these handlers)."""

from functools import partial

from . import errors, schemas
from .request_schemas import settings_names
from .scheduling import build_occurrences, parse_start_time, zone
from .serialize import DEFAULT_SETTINGS, RECURRING_TYPES, session_json
from .state import MEETING, WEBINAR, Meeting

DEFAULT_TYPE = {MEETING: 2, WEBINAR: 5}
TYPES_WITHOUT_TIME = (3, 6)
SIMPLE_FIELDS = ("topic", "agenda", "duration", "password", "type")


def create(call, user_ref, kind):
    host = call.user(user_ref)
    body = call.valid_body(schemas.SESSION, default={})
    if kind == WEBINAR and not host.webinar:
        raise errors.webinar_plan_missing(user_ref)
    call.limits.host_quota(call.category, kind, host)
    meeting = new_session(call, host, kind, body, call.operation.operation_id)
    call.state.meetings[meeting.id] = meeting
    call.events.created(meeting)
    return 201, session_json(meeting, call.urls)


def new_session(call, host, kind, body, operation_id):
    """A meeting or webinar made from a create body (`call`: anything with the sandbox's ids and clock)."""
    now = call.clock.now().replace(microsecond=0)
    meeting = Meeting(
        id=call.ids.meeting_id(),
        uuid=call.ids.uuid(),
        kind=kind,
        host=host,
        topic=f"Zoom {kind.capitalize()}",
        type=DEFAULT_TYPE[kind],
        start_time=now,
        duration=60,
        timezone=host.timezone,
        created_at=now,
        password=call.ids.password() if body.get("default_password", True) else "",
        registration_token=call.ids.token(32),
        settings=dict(DEFAULT_SETTINGS[kind]),
    )
    apply_changes(meeting, body, operation_id)
    return meeting


def apply_changes(meeting, body, operation_id):
    """Write a create/update body onto a meeting; ZoomError 300 when the schedule is invalid. Settings
    the operation's spec does not declare are ignored, as Zoom ignores them."""
    for name in SIMPLE_FIELDS:
        if name in body:
            setattr(meeting, name, body[name])
    known = settings_names(operation_id)
    meeting.settings.update({k: v for k, v in (body.get("settings") or {}).items() if k in known})
    if body.get("tracking_fields") is not None:
        meeting.tracking_fields = [dict(field) for field in body["tracking_fields"]]
    _apply_timezone(meeting, body)
    if "start_time" in body:
        meeting.start_time = parse_start_time(body["start_time"], meeting.timezone)
    if meeting.type in TYPES_WITHOUT_TIME:
        meeting.start_time = None
    _apply_recurrence(meeting, body)


def _apply_timezone(meeting, body):
    if "timezone" not in body:
        return
    try:
        zone(body["timezone"])
    except ValueError as exc:
        raise errors.validation_failed([{"field": "timezone", "message": "Invalid field."}]) from exc
    meeting.timezone = body["timezone"]


def _apply_recurrence(meeting, body):
    if meeting.type not in RECURRING_TYPES:
        meeting.recurrence, meeting.occurrences = None, []
        return
    if body.get("recurrence"):
        meeting.recurrence = dict(body["recurrence"])
    if not meeting.recurrence:
        raise errors.validation_failed([{"field": "recurrence", "message": "This field is required."}])
    meeting.settings.setdefault("registration_type", 1)
    meeting.occurrences = build_occurrences(
        meeting.start_time, meeting.duration, meeting.timezone, meeting.recurrence
    )
    if meeting.occurrences:
        meeting.start_time = meeting.occurrences[0].start_time


def get(call, meeting_ref, kind):
    meeting = call.session(meeting_ref, kind)
    show_all = call.arg("show_previous_occurrences", "false").lower() == "true"
    return 200, session_json(meeting, call.urls, include_deleted_occurrences=show_all)


def update(call, meeting_ref, kind):
    meeting = call.session(meeting_ref, kind)
    body = call.valid_body(schemas.SESSION, default={})
    _refuse_host_change(call, meeting, body)
    call.limits.host_quota(call.category, kind, meeting.host)
    before = call.events.snapshot(meeting)
    occurrence_id = call.arg("occurrence_id")
    if occurrence_id:
        _update_occurrence(meeting, _occurrence(meeting, occurrence_id), body)
    else:
        apply_changes(meeting, body, call.operation.operation_id)
    call.events.updated(meeting, before, occurrence_id)
    return 204, None


def _refuse_host_change(call, meeting, body):
    """An update does not hand a session to another user: `schedule_for` naming anyone but its host is
    answered 3000, as Zoom answers Server-to-Server apps (CONTRACT_FINDINGS.md, "Changing the host")."""
    target = body.get("schedule_for")
    if target and call.state.find_user(target) is not meeting.host:
        raise errors.ZoomError(400, 3000, f"You cannot schedule a {meeting.kind} for {target}.")


def _occurrence(meeting, occurrence_id):
    for occurrence in meeting.occurrences:
        if occurrence.occurrence_id == occurrence_id:
            return occurrence
    raise errors.ZoomError(400, 300, f"Invalid occurrence_id: {occurrence_id}.")


def _update_occurrence(meeting, occurrence, body):
    if "start_time" in body:
        occurrence.start_time = parse_start_time(body["start_time"], body.get("timezone", meeting.timezone))
    occurrence.duration = body.get("duration", occurrence.duration)
    meeting.agenda = body.get("agenda", meeting.agenda)


def delete(call, meeting_ref, kind):
    meeting = call.session(meeting_ref, kind)
    occurrence_id = call.arg("occurrence_id")
    if occurrence_id:
        occurrence = _occurrence(meeting, occurrence_id)
        occurrence.status = "deleted"
        call.events.deleted(meeting, occurrence)
    else:
        del call.state.meetings[meeting.id]
        call.state.deleted_meetings[meeting.id] = meeting
        call.events.deleted(meeting)
    return 204, None


def status(call, meeting_ref, kind):
    body = call.valid_body(schemas.SESSION_STATUS)
    if body["action"] == "recover":
        return _recover(call, meeting_ref)
    meeting = call.session(meeting_ref, kind)
    if meeting.live_instance:
        call.sandbox.life.end(meeting.id)
    return 204, None


def _recover(call, meeting_ref):
    meeting = call.state.deleted_meetings.pop(int(meeting_ref), None) if str(meeting_ref).isdigit() else None
    if meeting is None:
        raise errors.meeting_not_found(MEETING, meeting_ref)
    call.state.meetings[meeting.id] = meeting
    return 204, None


def _handlers(kind):
    prefix = "meeting" if kind == MEETING else "webinar"
    return {
        f"{prefix}Create": partial(create, kind=kind),
        prefix: partial(get, kind=kind),
        f"{prefix}Update": partial(update, kind=kind),
        f"{prefix}Delete": partial(delete, kind=kind),
        f"{prefix}Status": partial(status, kind=kind),
    }


HANDLERS = {**_handlers(MEETING), **_handlers(WEBINAR)}
