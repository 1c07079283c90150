"""Registrants of meetings and webinars: add (one or a batch), list, get, status updates, delete."""

from functools import partial

from . import errors, schemas
from .clock import format_utc
from .serialize import registrant_json, visible_occurrences
from .state import MEETING, WEBINAR, Registrant

PERSON_FIELDS = ("email", "first_name", "last_name")
ADD_LIMIT_MESSAGE = (
    'You have exceeded the daily rate limit of "{limit}" for {api} API requests '
    'for the registrant "{email}". '
    "You can resume these API requests at GMT 00:00:00."
)
ADD_API = {MEETING: "Add meeting registrant", WEBINAR: "Add a webinar registrant"}
STATUS_API = "Update registrant's status"
TRANSITIONS = {
    "approve": ({"pending", "denied", "cancelled"}, "approved", "approved"),
    "deny": ({"pending", "approved"}, "denied", "denied"),
    "cancel": ({"pending", "approved"}, "cancelled", "cancelled"),
}


# -- rules shared by single and batch registration ------------------------------------------------
def _check_registration_open(meeting):
    if not meeting.host.licensed:
        raise errors.ZoomError(
            400, 3161, "Meeting hosting and scheduling capabilities are not allowed for your user account."
        )
    if not meeting.registration_enabled:
        if meeting.kind == WEBINAR:
            raise errors.ZoomError(
                400, 3000, f"This webinar does not have registration as required: {meeting.id}."
            )
        raise errors.ZoomError(400, 404, f"Registration has not been enabled for this meeting: {meeting.id}.")


def _check_not_host(meeting, email):
    if meeting.kind == WEBINAR and email.lower() == meeting.host.email.lower():
        raise errors.ZoomError(400, 3027, "Host cannot register.")


def _capacity(call, meeting):
    if meeting.kind == MEETING:
        return call.state.max_meeting_registrants
    return meeting.settings.get("registrants_restrict_number") or meeting.host.webinar_capacity


def _check_capacity(call, meeting, newcomers):
    capacity = _capacity(call, meeting)
    if not newcomers or len(meeting.registrants) + newcomers <= capacity:
        return  # within capacity whatever their status: no count of the active ones (30,000 per batch)
    active = sum(1 for r in meeting.registrants.values() if r.status in ("approved", "pending"))
    if active + newcomers > capacity:
        noun = "Webinar" if meeting.kind == WEBINAR else "Meeting"
        raise errors.ZoomError(400, 3043, f"{noun} has reached maximum attendee capacity.")


def _add_quota_key(meeting, email):
    return ("registrant_add", meeting.id, email.lower())


def _check_add_quota(call, meeting, email):
    limit = call.limits.registrant_add_daily_limit
    message = ADD_LIMIT_MESSAGE.format(limit=limit, api=ADD_API[meeting.kind], email=email)
    call.limits.check_quota(call.category, _add_quota_key(meeting, email), limit, message)


def _occurrence_ids(call, meeting):
    wanted = [part for part in (call.arg("occurrence_ids") or "").split(",") if part]
    known = {occurrence.occurrence_id for occurrence in meeting.occurrences}
    unknown = [occurrence_id for occurrence_id in wanted if occurrence_id not in known]
    if unknown:
        raise errors.ZoomError(400, 300, f"Invalid occurrence_ids: {','.join(unknown)}.")
    return wanted


def _register(call, meeting, person, auto_approve, occurrence_ids=()):
    """The registrant for this email: the existing one, or a new one (announced by a webhook)."""
    existing = meeting.registrant_by_email(person["email"])
    if existing:
        return existing
    approval_type = meeting.settings.get("approval_type", 2)
    registrant = Registrant(
        id=call.ids.token(22),
        email=person["email"],
        first_name=person["first_name"],
        last_name=person.get("last_name", ""),
        create_time=call.clock.now().replace(microsecond=0),
        join_token=call.ids.token(40),
        participant_pin_code=call.ids.numeric(6),
        status="approved" if approval_type == 0 or auto_approve else "pending",
        fields={key: value for key, value in person.items() if key not in (*PERSON_FIELDS, "auto_approve")},
        occurrence_ids=list(occurrence_ids),
    )
    meeting.registrants[registrant.id] = registrant
    call.events.registration_created(meeting, registrant)
    return registrant


def _check_not_refused(call, people, field_of):
    refused = [
        {"field": field_of(index), "message": "Invalid field."}
        for index, person in enumerate(people)
        if person["email"].lower() in call.sandbox.refused_emails
    ]
    if refused:
        raise errors.validation_failed(refused)


def _newcomers(meeting, people):
    return len({p["email"].lower() for p in people if not meeting.registrant_by_email(p["email"])})


# -- handlers -------------------------------------------------------------------------------------
def add(call, meeting_ref, kind):
    meeting = call.session(meeting_ref, kind)
    body = call.valid_body(schemas.REGISTRANT)
    _check_not_refused(call, [body], lambda _index: "email")
    _check_registration_open(meeting)
    _check_not_host(meeting, body["email"])
    _check_add_quota(call, meeting, body["email"])
    _check_capacity(call, meeting, _newcomers(meeting, [body]))
    registrant = _register(
        call, meeting, body, body.get("auto_approve", False), _occurrence_ids(call, meeting)
    )
    call.limits.spend_quota(_add_quota_key(meeting, body["email"]))
    return 201, _added_json(call, meeting, registrant)


def _added_json(call, meeting, registrant):
    body = {
        "id": meeting.id,
        "registrant_id": registrant.id,
        "topic": meeting.topic,
        "start_time": _start_time(meeting),
    }
    if registrant.status == "approved":
        body["join_url"] = call.urls.personal_join(meeting, registrant.join_token)
    if meeting.occurrences:
        body["occurrences"] = visible_occurrences(meeting)
    if meeting.kind == MEETING:
        body["participant_pin_code"] = registrant.participant_pin_code
    return body


def _start_time(meeting):
    return format_utc(meeting.start_time or meeting.created_at)


def batch(call, meeting_ref, kind):
    meeting = call.session(meeting_ref, kind)
    body = call.valid_body(schemas.BATCH)
    _check_batch_type(meeting)
    _check_registration_open(meeting)
    people = body["registrants"]
    _check_not_refused(call, people, lambda index: f"registrants[{index}].email")
    for person in people:
        _check_not_host(meeting, person["email"])
        _check_add_quota(call, meeting, person["email"])
    _check_capacity(call, meeting, _newcomers(meeting, people))
    rows = []
    for person in people:
        registrant = _register(call, meeting, person, body.get("auto_approve", False))
        call.limits.spend_quota(_add_quota_key(meeting, person["email"]))
        rows.append(_batch_row(call, meeting, registrant))
    return call.sandbox.batch_success_status, {"registrants": rows}


def _check_batch_type(meeting):
    if meeting.kind == MEETING and meeting.type != 2:
        raise errors.ZoomError(
            400,
            303,
            "This API can only be used for scheduled meeting(meeting type: 2). "
            "Batch registration is not supported for other meeting types.",
        )
    if meeting.kind == WEBINAR and meeting.type != 5:
        raise errors.ZoomError(400, 300, "This API can only be used for webinars of type 5.")


def _batch_row(call, meeting, registrant):
    row = {
        "email": registrant.email,
        "registrant_id": registrant.id,
        "join_url": call.urls.personal_join(meeting, registrant.join_token),
    }
    if meeting.kind == MEETING:
        row["participant_pin_code"] = registrant.participant_pin_code
    return row


def list_registrants(call, meeting_ref, kind):
    meeting = call.session(meeting_ref, kind)
    wanted_status = call.arg("status", "approved")
    occurrence_id = call.arg("occurrence_id")
    matching = [
        r
        for r in meeting.registrants.values()
        if r.listed_status == wanted_status
        and (not occurrence_id or not r.occurrence_ids or occurrence_id in r.occurrence_ids)
    ]
    listing_key = (meeting.id, wanted_status, occurrence_id)
    chunk, meta = call.sandbox.pages.page(call.request, listing_key, matching)
    rows = [registrant_json(meeting, registrant, call.urls) for registrant in chunk]
    return 200, {**meta, "page_number": 1, "registrants": rows}


def _registrant(meeting, registrant_id):
    """The registrant; unknown: 400 code 3079 for webinars, and for meetings (whose spec documents no
    registrant code) 404 code 3001, the code of everything a meeting does not have."""
    registrant = meeting.registrants.get(registrant_id)
    if registrant is None and meeting.kind == WEBINAR:
        raise errors.ZoomError(400, 3079, f"This registrant does not exist: {registrant_id}.")
    if registrant is None:
        raise errors.ZoomError(404, 3001, f"Registrant does not exist: {registrant_id}.")
    return registrant


def get(call, meeting_ref, registrant_id, kind):
    meeting = call.session(meeting_ref, kind)
    return 200, registrant_json(meeting, _registrant(meeting, registrant_id), call.urls)


def update_status(call, meeting_ref, kind):
    meeting = call.session(meeting_ref, kind)
    body = call.valid_body(schemas.REGISTRANT_STATUS)
    sources, target, event = TRANSITIONS[body["action"]]
    targets = _status_targets(meeting, body.get("registrants"), sources)
    for registrant in targets:
        _check_status_quota(call, meeting, registrant)
    if target == "approved":
        _check_approval_capacity(call, meeting, targets)
    for registrant in targets:
        call.limits.spend_quota(_status_quota_key(meeting, registrant))
        if registrant.status in sources:
            registrant.status = target
            call.events.registration_changed(meeting, registrant, event)
    return 204, None


def _status_targets(meeting, references, sources):
    """The registrants named (by id or email); all those in a source status when none is named."""
    if references is None:
        return [r for r in meeting.registrants.values() if r.status in sources]
    found = []
    for reference in references:
        registrant = meeting.registrants.get(reference.get("id", "")) or meeting.registrant_by_email(
            reference.get("email", "")
        )
        if registrant is not None and registrant not in found:
            found.append(registrant)
    return found


def _status_quota_key(meeting, registrant):
    return ("registrant_status", meeting.id, registrant.id)


def _check_status_quota(call, meeting, registrant):
    limit = call.limits.registrant_status_daily_limit
    message = ADD_LIMIT_MESSAGE.format(limit=limit, api=STATUS_API, email=registrant.email)
    call.limits.check_quota(call.category, _status_quota_key(meeting, registrant), limit, message)


def _check_approval_capacity(call, meeting, targets):
    approved = sum(1 for r in meeting.registrants.values() if r.status == "approved")
    newly_approved = sum(1 for r in targets if r.status != "approved")
    if meeting.kind == WEBINAR and approved + newly_approved > _capacity(call, meeting):
        raise errors.ZoomError(400, 3035, "Webinar has reached maximum attendee capacity.")


def delete(call, meeting_ref, registrant_id, kind):
    meeting = call.session(meeting_ref, kind)
    if registrant_id not in meeting.registrants:
        raise errors.ZoomError(400, 300, f"Invalid registrant ID: {registrant_id}.")
    del meeting.registrants[registrant_id]
    return 204, None


def _handlers(kind):
    prefix = "meeting" if kind == MEETING else "webinar"
    return {
        f"{prefix}RegistrantCreate": partial(add, kind=kind),
        f"{prefix}Registrants": partial(list_registrants, kind=kind),
        f"{prefix}RegistrantGet": partial(get, kind=kind),
        f"{prefix}RegistrantStatus": partial(update_status, kind=kind),
        "meetingregistrantdelete" if kind == MEETING else "deleteWebinarRegistrant": partial(
            delete, kind=kind
        ),
        "addBatchRegistrants" if kind == MEETING else "addBatchWebinarRegistrants": partial(batch, kind=kind),
    }


HANDLERS = {**_handlers(MEETING), **_handlers(WEBINAR)}
