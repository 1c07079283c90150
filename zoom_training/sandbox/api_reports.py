"""Past meetings and webinars: details, participants, and the participants report."""

from functools import partial
from urllib.parse import unquote

from . import errors
from .clock import format_utc
from .state import MEETING, WEBINAR


def _ended_instance(call, meeting_ref, kind):
    meeting = call.session(meeting_ref, kind)
    instance = call.state.find_instance(meeting, unquote(meeting_ref))
    if instance is None or instance.live:
        raise errors.meeting_not_found(kind, unquote(meeting_ref))
    return meeting, instance


def _seconds(participant):
    return int((participant.leave_time - participant.join_time).total_seconds())


def past_details(call, meeting_ref):
    meeting, instance = _ended_instance(call, meeting_ref, MEETING)
    return 200, {
        "id": meeting.id,
        "uuid": instance.uuid,
        "host_id": meeting.host.id,
        "type": meeting.type,
        "topic": meeting.topic,
        "user_name": f"{meeting.host.first_name} {meeting.host.last_name}".strip(),
        "user_email": meeting.host.email,
        "start_time": format_utc(instance.start_time),
        "end_time": format_utc(instance.end_time),
        "duration": int((instance.end_time - instance.start_time).total_seconds() // 60),
        "total_minutes": sum(_seconds(p) for p in instance.participants) // 60,
        "participants_count": len(instance.participants),
        "dept": "",
        "source": "Zoom",
    }


def _common_row(participant):
    return {
        "id": participant.id,
        "user_id": participant.user_id,
        "name": participant.name,
        "user_email": participant.email,
        "join_time": format_utc(participant.join_time),
        "leave_time": format_utc(participant.leave_time),
        "duration": _seconds(participant),
        "failover": False,
        "status": "in_meeting",
    }


def _past_row(participant):
    return {
        **_common_row(participant),
        "registrant_id": participant.registrant_id,
        "internal_user": bool(participant.id),
    }


def _report_row(participant, with_registrant):
    row = {
        **_common_row(participant),
        "participant_user_id": participant.id,
        "customer_key": "",
        "bo_mtg_id": "",
    }
    if with_registrant:
        row["registrant_id"] = participant.registrant_id
    return row


def _participants_page(call, meeting_ref, kind, make_row):
    meeting, instance = _ended_instance(call, meeting_ref, kind)
    listing_key = (call.operation.operation_id, instance.uuid)
    chunk, meta = call.sandbox.pages.page(call.request, listing_key, instance.participants)
    return 200, {**meta, "participants": [make_row(participant) for participant in chunk]}


def past_participants(call, meeting_ref, kind):
    return _participants_page(call, meeting_ref, kind, _past_row)


def report_participants(call, meeting_ref, kind):
    with_registrant = "registrant_id" in (call.arg("include_fields") or "").split(",")
    return _participants_page(call, meeting_ref, kind, partial(_report_row, with_registrant=with_registrant))


HANDLERS = {
    "pastMeetingDetails": past_details,
    "pastMeetingParticipants": partial(past_participants, kind=MEETING),
    "listWebinarParticipants": partial(past_participants, kind=WEBINAR),
    "reportMeetingParticipants": partial(report_participants, kind=MEETING),
    "reportWebinarParticipants": partial(report_participants, kind=WEBINAR),
}
