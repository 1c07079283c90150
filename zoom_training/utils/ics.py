"""iCalendar (RFC 5545) invitations for one participant: their own Join page as location and in the
description, one UID per participant so that a moved session updates the entry (higher SEQUENCE) and a
cancelled one removes it (METHOD:CANCEL). No ORM, no vobject: the few properties a calendar needs.

A series is one VEVENT: `rrule` (an RRULE value such as "FREQ=DAILY;COUNT=3") or `occurrences` (the
(start, end) of each session; the first gives DTSTART/DTEND, the others RDATEs)."""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlencode

PRODID = "-//zoom_training//Odoo Zoom Training//EN"
FOLD_AT = 75  # octets per line, CRLF excluded


@dataclass
class Invitation:
    uid: str
    summary: str
    start: datetime  # naive UTC, as Odoo stores them
    end: datetime
    join_page: str  # the participant's own Join page, never the meeting's generic link
    sequence: int = 0
    cancelled: bool = False
    description: str = ""
    organizer_email: str = ""
    organizer_name: str = ""
    attendee_email: str = ""
    attendee_name: str = ""
    rrule: str = ""
    occurrences: list = field(default_factory=list)  # [(start, end)], naive UTC
    stamp: datetime | None = None


def escape_text(value):
    """TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545, 3.3.11)."""
    value = (value or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def utc_stamp(moment):
    return _naive_utc(moment).strftime("%Y%m%dT%H%M%SZ")


def fold(line):
    """Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 char."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (FOLD_AT if not out else FOLD_AT - 1):
            out.append(current)
            current = b""
        current += encoded
    out.append(current)
    return "\r\n ".join(part.decode("utf-8") for part in out)


def _cal_address(name, email):
    params = f';CN="{name.replace(chr(34), "")}"' if name else ""
    return f"{params}:mailto:{email}"


def description_text(invitation):
    return "\n\n".join(part for part in (invitation.join_page, invitation.description) if part)


def _event_lines(invitation):
    lines = [
        "BEGIN:VEVENT",
        f"UID:{invitation.uid}",
        f"SEQUENCE:{invitation.sequence}",
        f"DTSTAMP:{utc_stamp(invitation.stamp or datetime.now(timezone.utc))}",
        f"DTSTART:{utc_stamp(invitation.start)}",
        f"DTEND:{utc_stamp(invitation.end)}",
        f"SUMMARY:{escape_text(invitation.summary)}",
        f"LOCATION:{escape_text(invitation.join_page)}",
        f"URL:{invitation.join_page}",
        f"DESCRIPTION:{escape_text(description_text(invitation))}",
        f"STATUS:{'CANCELLED' if invitation.cancelled else 'CONFIRMED'}",
    ]
    if invitation.rrule:
        lines.append(f"RRULE:{invitation.rrule}")
    extra = [start for start, _end in invitation.occurrences[1:]]
    if extra:
        lines.append("RDATE:" + ",".join(utc_stamp(start) for start in extra))
    if invitation.organizer_email:
        lines.append("ORGANIZER" + _cal_address(invitation.organizer_name, invitation.organizer_email))
    if invitation.attendee_email:
        state = "DECLINED" if invitation.cancelled else "ACCEPTED"
        lines.append(
            f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT={state}"
            + _cal_address(invitation.attendee_name, invitation.attendee_email)
        )
    lines.append("END:VEVENT")
    return lines


def build_ics(invitation):
    """The .ics text (CRLF, folded) of one participant's entry: METHOD:REQUEST, or CANCEL when cancelled."""
    if invitation.occurrences:
        invitation.start, invitation.end = invitation.occurrences[0]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if invitation.cancelled else 'REQUEST'}",
        *_event_lines(invitation),
        "END:VCALENDAR",
    ]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def google_calendar_url(invitation):
    """Google Calendar's "add event" link, as Odoo's event mails build it (action=TEMPLATE)."""
    query = {
        "action": "TEMPLATE",
        "text": invitation.summary,
        "dates": f"{utc_stamp(invitation.start)}/{utc_stamp(invitation.end)}",
        "location": invitation.join_page,
        "details": description_text(invitation),
    }
    if invitation.rrule:
        query["recur"] = f"RRULE:{invitation.rrule}"
    return "https://www.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(invitation):
    """Outlook on the web's compose deep link (outlook.live.com also serves Microsoft 365 accounts)."""
    iso = "%Y-%m-%dT%H:%M:%SZ"
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": invitation.summary,
        "startdt": _naive_utc(invitation.start).strftime(iso),
        "enddt": _naive_utc(invitation.end).strftime(iso),
        "location": invitation.join_page,
        "body": description_text(invitation),
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)


def _naive_utc(moment):
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment
