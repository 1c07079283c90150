"""The JSON shapes of Zoom's answers (per the OpenAPI specs), built from the account state."""

import hashlib

from .clock import format_utc
from .schemas import REGISTRANT_TEXT_FIELDS
from .state import MEETING, WEBINAR

MEETING_DEFAULT_SETTINGS = {
    "host_video": False,
    "participant_video": False,
    "join_before_host": False,
    "jbh_time": 0,
    "mute_upon_entry": False,
    "watermark": False,
    "use_pmi": False,
    "approval_type": 2,
    "audio": "voip",
    "auto_recording": "none",
    "waiting_room": False,
    "meeting_authentication": False,
    "alternative_hosts": "",
    "alternative_hosts_email_notification": True,
    "close_registration": False,
    "email_notification": True,
    "registrants_email_notification": True,
    "registrants_confirmation_email": True,
    "show_share_button": False,
    "allow_multiple_devices": False,
}

WEBINAR_DEFAULT_SETTINGS = {
    "host_video": False,
    "panelists_video": False,
    "practice_session": False,
    "approval_type": 2,
    "audio": "voip",
    "auto_recording": "none",
    "alternative_hosts": "",
    "close_registration": False,
    "on_demand": False,
    "meeting_authentication": False,
    "registrants_restrict_number": 0,
    "registrants_email_notification": True,
    "registrants_confirmation_email": True,
    "panelists_invitation_email_notification": True,
}

DEFAULT_SETTINGS = {MEETING: MEETING_DEFAULT_SETTINGS, WEBINAR: WEBINAR_DEFAULT_SETTINGS}
RECURRING_TYPES = (8, 9)


class Urls:
    """The links Zoom hands out, pointing back at the sandbox."""

    def __init__(self, base_url):
        self.base = base_url

    def join(self, meeting):
        return f"{self.base}/j/{meeting.id}?pwd={meeting.registration_token}"

    def start(self, meeting):
        return f"{self.base}/s/{meeting.id}?zak={self.zak(meeting)}"

    @staticmethod
    def zak(meeting):
        """The host's token in a start link: it belongs to the host, so it changes with the host."""
        return hashlib.sha256(f"{meeting.host.id}:{meeting.registration_token}".encode()).hexdigest()[:40]

    def registration(self, meeting):
        return f"{self.base}/{meeting.kind}/register/{meeting.registration_token}"

    def personal_join(self, meeting, join_token):
        return f"{self.base}/w/{meeting.id}?tk={join_token}"

    def download(self, recording_file):
        return f"{self.base}/rec/download/{recording_file.id}"

    def play(self, recording_file):
        return f"{self.base}/rec/play/{recording_file.id}"

    def share(self, recording):
        return f"{self.base}/rec/share/{recording.share_token}"


def occurrence_json(occurrence):
    return {
        "occurrence_id": occurrence.occurrence_id,
        "start_time": format_utc(occurrence.start_time),
        "duration": occurrence.duration,
        "status": occurrence.status,
    }


def visible_occurrences(meeting, include_deleted=False):
    return [occurrence_json(o) for o in meeting.occurrences if include_deleted or o.status == "available"]


def _session_summary(meeting, urls):
    """The fields a session's object and its row in a host's list share."""
    return {
        "uuid": meeting.uuid,
        "id": meeting.id,
        "host_id": meeting.host.id,
        "topic": meeting.topic,
        "type": meeting.type,
        "duration": meeting.duration,
        "timezone": meeting.timezone,
        "agenda": meeting.agenda,
        "created_at": format_utc(meeting.created_at),
        "join_url": urls.join(meeting),
    }


def session_json(meeting, urls, include_deleted_occurrences=False):
    """A meeting or webinar object, as create and get answer it."""
    body = {
        **_session_summary(meeting, urls),
        "host_email": meeting.host.email,
        "start_url": urls.start(meeting),
        "password": meeting.password,
        "settings": dict(meeting.settings),
        "creation_source": "open_api",
        "tracking_fields": [dict(field, visible=True) for field in meeting.tracking_fields],
    }
    if meeting.start_time is not None:
        body["start_time"] = format_utc(meeting.start_time)
    if meeting.registration_enabled:
        body["registration_url"] = urls.registration(meeting)
    if meeting.type in RECURRING_TYPES and meeting.recurrence:
        body["recurrence"] = dict(meeting.recurrence)
        body["occurrences"] = visible_occurrences(meeting, include_deleted_occurrences)
    body.update(_meeting_only_fields(meeting) if meeting.kind == MEETING else _webinar_only_fields(meeting))
    return body


def _meeting_only_fields(meeting):
    return {
        "assistant_id": "",
        "status": meeting.status,
        "pmi": str(meeting.host.pmi),
        "pre_schedule": False,
        "h323_password": meeting.password,
        "pstn_password": meeting.password,
        "encrypted_password": meeting.registration_token,
    }


def _webinar_only_fields(meeting):
    return {
        "h323_passcode": meeting.password,
        "encrypted_passcode": meeting.registration_token,
        "is_simulive": False,
    }


LISTED_AGENDA_LENGTH = 250


def listed_session_json(meeting, start_time, urls):
    """A row of `GET /users/{userId}/meetings|webinars`: the session in brief, agenda cut at 250."""
    body = _session_summary(meeting, urls)
    body["agenda"] = body["agenda"][:LISTED_AGENDA_LENGTH]
    if start_time is not None:
        body["start_time"] = format_utc(start_time)
    if meeting.kind == WEBINAR:
        body.update(is_simulive=False, is_events_webinar=False)
    return body


def registrant_json(meeting, registrant, urls):
    body = {
        "id": registrant.id,
        "email": registrant.email,
        "first_name": registrant.first_name,
        "last_name": registrant.last_name,
        "status": registrant.listed_status,
        "create_time": format_utc(registrant.create_time),
        "join_url": urls.personal_join(meeting, registrant.join_token),
        "custom_questions": list(registrant.fields.get("custom_questions", [])),
    }
    body.update({key: registrant.fields[key] for key in REGISTRANT_TEXT_FIELDS if key in registrant.fields})
    if meeting.kind == MEETING:
        body["participant_pin_code"] = registrant.participant_pin_code
    return body


def panelist_json(meeting, panelist, urls):
    return {
        "id": panelist.id,
        "email": panelist.email,
        "name": panelist.name,
        "join_url": urls.personal_join(meeting, panelist.join_token),
        **panelist.fields,
    }


def user_json(user, account_id, urls):
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": f"{user.first_name} {user.last_name}".strip(),
        "email": user.email,
        "type": user.type,
        "role_name": "Member",
        "pmi": user.pmi,
        "use_pmi": False,
        "personal_meeting_url": f"{urls.base}/j/{user.pmi}",
        "timezone": user.timezone,
        "verified": 1,
        "dept": "",
        "created_at": format_utc(user.created_at),
        "user_created_at": format_utc(user.created_at),
        "last_login_time": format_utc(user.created_at),
        "language": "en-US",
        "phone_number": "",
        "status": user.status,
        "role_id": "2",
        "account_id": account_id,
        "account_number": 10000001,
        "cluster": "us06",
    }


def user_settings_json(user, option=None):
    """The settings object `GET /users/{userId}/settings` answers: the branch of the spec's oneOf that
    `option` picks (None: the default settings; unknown options are refused by the caller)."""
    return SETTINGS_BY_OPTION[option](user)


def _default_settings(user):
    return {
        "feature": {
            "meeting_capacity": user.meeting_capacity,
            "large_meeting": False,
            "webinar": user.webinar,
            "webinar_capacity": user.webinar_capacity,
            "zoom_events": False,
        },
        "schedule_meeting": {"host_video": False, "participants_video": False, "join_before_host": False},
        "in_meeting": {"waiting_room": False, "e2e_encryption": False},
        "recording": {"cloud_recording": user.licensed, "auto_recording": "none"},
    }


def _authentication_settings(user):
    return {
        "authentication_options": {
            "meeting_authentication": {"meeting_authentication": False, "authentication_options": []},
            "recording_authentication": {"recording_authentication": False, "authentication_options": []},
        }
    }


def _security_settings(user):
    return {
        "meeting_security": {
            "auto_security": True,
            "embed_password_in_join_link": True,
            "encryption_type": "enhanced_encryption",
            "end_to_end_encrypted_meetings": False,
            "meeting_password": True,
            "phone_password": False,
            "pmi_password": False,
            "require_password_for_scheduled_meeting": True,
            "require_password_for_scheduled_webinar": user.webinar,
            "waiting_room": False,
            "webinar_password": False,
        }
    }


SETTINGS_BY_OPTION = {
    None: _default_settings,
    "meeting_authentication": _authentication_settings,
    "recording_authentication": _authentication_settings,
    "meeting_security": _security_settings,
}
