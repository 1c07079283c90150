"""What Odoo sends Zoom for a meeting or webinar, and what changed since the last time. No ORM."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import timezone

TOPIC_LIMIT = 200
AGENDA_LIMIT = 2000
DURATION_MIN, DURATION_MAX = 1, 1440
MEETING_TYPE_SCHEDULED, MEETING_TYPE_RECURRING = 2, 8
WEBINAR_TYPE_SCHEDULED, WEBINAR_TYPE_RECURRING = 5, 9
REGISTER_ONCE_FOR_ALL_OCCURRENCES = 1
APPROVAL_TYPES = {"automatic": 0, "manual": 1}
MEETING_TYPES = {MEETING_TYPE_SCHEDULED, MEETING_TYPE_RECURRING}


@dataclass(frozen=True)
class SessionSpec:
    """A Zoom meeting or webinar as Odoo wants it to be."""

    kind: str  # "meeting" or "webinar"
    topic: str
    start: object  # aware datetime
    duration_minutes: int
    timezone: str
    agenda: str = ""
    approval: str = "automatic"
    zoom_emails: bool = False
    waiting_room: bool = True
    join_before_host: bool = False
    mute_upon_entry: bool = True
    host_video: bool = True
    participant_video: bool = False
    auto_recording: str = "none"
    alternative_hosts: tuple = field(default_factory=tuple)
    recurrence: dict | None = None  # Zoom's recurrence object (utils.recurrence); None: a single session


def zoom_datetime(value):
    """Zoom's UTC form `yyyy-MM-ddTHH:mm:ssZ` for an aware datetime."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def clamp_duration(minutes):
    return max(DURATION_MIN, min(DURATION_MAX, int(round(minutes))))


def build_payload(spec):
    """The create body; an update sends the part of it that changed (see `changed_part`)."""
    is_webinar = spec.kind == "webinar"
    payload = {
        "topic": spec.topic.strip()[:TOPIC_LIMIT] or "Training",
        "type": _session_type(is_webinar, bool(spec.recurrence)),
        "start_time": zoom_datetime(spec.start),
        "timezone": spec.timezone or "UTC",
        "duration": clamp_duration(spec.duration_minutes),
        "agenda": spec.agenda[:AGENDA_LIMIT],
        "settings": _settings(spec, is_webinar),
    }
    if spec.recurrence:
        payload["recurrence"] = spec.recurrence
        payload["settings"]["registration_type"] = REGISTER_ONCE_FOR_ALL_OCCURRENCES
    return payload


def _session_type(is_webinar, recurring):
    if is_webinar:
        return WEBINAR_TYPE_RECURRING if recurring else WEBINAR_TYPE_SCHEDULED
    return MEETING_TYPE_RECURRING if recurring else MEETING_TYPE_SCHEDULED


def _settings(spec, is_webinar):
    settings = {
        "approval_type": APPROVAL_TYPES[spec.approval],
        "registrants_email_notification": spec.zoom_emails,
        "registrants_confirmation_email": spec.zoom_emails,
        "host_video": spec.host_video,
        "auto_recording": spec.auto_recording,
    }
    if is_webinar:
        settings["panelists_video"] = spec.host_video
        return settings
    settings.update(
        {
            "waiting_room": spec.waiting_room,
            "join_before_host": spec.join_before_host and not spec.waiting_room,
            "mute_upon_entry": spec.mute_upon_entry,
            "participant_video": spec.participant_video,
            "alternative_hosts": ";".join(sorted(spec.alternative_hosts)),
            "alternative_hosts_email_notification": spec.zoom_emails,
        }
    )
    return settings


def changed_part(previous, current):
    """The keys of `current` whose values differ from `previous` (settings compared key by key)."""
    previous = previous or {}
    changed = {}
    for key, value in current.items():
        if key == "type":
            # Zoom rejects changing a webinar's type; a meeting becomes a daily series (a training
            # lengthened to several days) or a single session again
            if previous.get(key) != value and {previous.get(key), value} <= MEETING_TYPES:
                changed[key] = value
            continue
        if key == "settings":
            settings = {k: v for k, v in value.items() if previous.get("settings", {}).get(k) != v}
            if settings:
                changed["settings"] = settings
        elif previous.get(key) != value:
            changed[key] = value
    return changed


def payload_hash(payload):
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()
