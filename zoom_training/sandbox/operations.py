"""The REST operations the sandbox serves: operationId, route, rate-limit category, accepted scopes.

Categories are the spec's "Rate Limit Label"; scopes are the spec operation's `security` list (any one
suffices), plus the `:admin` form of each classic scope."""

from dataclasses import dataclass

LIGHT = "Light"
MEDIUM = "Medium"
HEAVY = "Heavy"
RESOURCE_INTENSIVE = "Resource-intensive"


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    rule: str
    category: str
    scopes: tuple

    @property
    def template(self):
        """The route as the spec writes it, e.g. `/meetings/{meetingId}`."""
        kind = "webinarId" if "webinars/" in self.rule else "meetingId"
        return (
            self.rule.replace("<meeting_ref>", "{" + kind + "}")
            .replace("<user_ref>", "{userId}")
            .replace("<registrant_id>", "{registrantId}")
            .replace("<panelist_id>", "{panelistId}")
        )


def _scopes(classic, granular, *others):
    return (classic, f"{classic}:admin", granular, f"{granular}:admin", *others)


def _op(operation_id, method, rule, category, scopes):
    return Operation(operation_id, method, rule, category, scopes)


def _session_operations(kind, noun):
    """Operations that meetings and webinars both have, under `/meetings` or `/webinars`."""
    base = f"/{noun}s/<meeting_ref>"
    read, write = f"{kind}:read", f"{kind}:write"
    prefix = "meeting" if kind == "meeting" else "webinar"
    registrant_delete = "meetingregistrantdelete" if kind == "meeting" else "deleteWebinarRegistrant"
    batch = "addBatchRegistrants" if kind == "meeting" else "addBatchWebinarRegistrants"
    return [
        _op(
            f"{prefix}Create",
            "POST",
            f"/users/<user_ref>/{noun}s",
            LIGHT,
            _scopes(write, f"{kind}:write:{kind}"),
        ),
        _op(
            f"{noun}s",
            "GET",
            f"/users/<user_ref>/{noun}s",
            MEDIUM,
            _scopes(read, f"{kind}:read:list_{noun}s"),
        ),
        _op(prefix, "GET", base, LIGHT, _scopes(read, f"{kind}:read:{kind}")),
        _op(f"{prefix}Update", "PATCH", base, LIGHT, _scopes(write, f"{kind}:update:{kind}")),
        _op(f"{prefix}Delete", "DELETE", base, LIGHT, _scopes(write, f"{kind}:delete:{kind}")),
        _op(f"{prefix}Status", "PUT", f"{base}/status", LIGHT, _scopes(write, f"{kind}:update:status")),
        _op(
            f"{prefix}RegistrantCreate",
            "POST",
            f"{base}/registrants",
            LIGHT,
            _scopes(write, f"{kind}:write:registrant"),
        ),
        _op(
            f"{prefix}Registrants",
            "GET",
            f"{base}/registrants",
            MEDIUM,
            _scopes(read, f"{kind}:read:list_registrants"),
        ),
        _op(
            f"{prefix}RegistrantGet",
            "GET",
            f"{base}/registrants/<registrant_id>",
            LIGHT,
            _scopes(read, f"{kind}:read:registrant"),
        ),
        _op(
            f"{prefix}RegistrantStatus",
            "PUT",
            f"{base}/registrants/status",
            MEDIUM,
            _scopes(write, f"{kind}:update:registrant_status"),
        ),
        _op(
            registrant_delete,
            "DELETE",
            f"{base}/registrants/<registrant_id>",
            LIGHT,
            _scopes(write, f"{kind}:delete:registrant"),
        ),
        _op(
            batch,
            "POST",
            f"{base}/batch_registrants",
            HEAVY,
            _scopes(write, f"{kind}:write:batch_registrants"),
        ),
    ]


OPERATIONS = [
    *_session_operations("meeting", "meeting"),
    *_session_operations("webinar", "webinar"),
    _op(
        "webinarPanelists",
        "GET",
        "/webinars/<meeting_ref>/panelists",
        MEDIUM,
        _scopes("webinar:read", "webinar:read:list_panelists"),
    ),
    _op(
        "webinarPanelistCreate",
        "POST",
        "/webinars/<meeting_ref>/panelists",
        MEDIUM,
        _scopes("webinar:write", "webinar:write:panelist"),
    ),
    _op(
        "webinarPanelistsDelete",
        "DELETE",
        "/webinars/<meeting_ref>/panelists",
        LIGHT,
        _scopes("webinar:write", "webinar:delete:panelist"),
    ),
    _op(
        "webinarPanelistDelete",
        "DELETE",
        "/webinars/<meeting_ref>/panelists/<panelist_id>",
        LIGHT,
        _scopes("webinar:write", "webinar:delete:panelist"),
    ),
    _op(
        "pastMeetingDetails",
        "GET",
        "/past_meetings/<meeting_ref>",
        LIGHT,
        _scopes("meeting:read", "meeting:read:past_meeting"),
    ),
    _op(
        "pastMeetingParticipants",
        "GET",
        "/past_meetings/<meeting_ref>/participants",
        MEDIUM,
        _scopes("meeting:read", "meeting:read:list_past_participants"),
    ),
    _op(
        "listWebinarParticipants",
        "GET",
        "/past_webinars/<meeting_ref>/participants",
        MEDIUM,
        _scopes("webinar:read", "webinar:read:list_past_participants"),
    ),
    _op(
        "reportMeetingParticipants",
        "GET",
        "/report/meetings/<meeting_ref>/participants",
        HEAVY,
        ("report:read:admin", "report:read:list_meeting_participants:admin"),
    ),
    _op(
        "reportWebinarParticipants",
        "GET",
        "/report/webinars/<meeting_ref>/participants",
        HEAVY,
        ("report:read:admin", "report:read:list_webinar_participants:admin"),
    ),
    _op(
        "recordingGet",
        "GET",
        "/meetings/<meeting_ref>/recordings",
        LIGHT,
        _scopes(
            "recording:read",
            "cloud_recording:read:list_recording_files",
            "phone_recording:read:admin",
            "cloud_recording:read:list_recording_files:master",
        ),
    ),
    _op(
        "recordingDelete",
        "DELETE",
        "/meetings/<meeting_ref>/recordings",
        LIGHT,
        _scopes(
            "recording:write",
            "cloud_recording:delete:meeting_recording",
            "cloud_recording:delete:meeting_recording:master",
        ),
    ),
    _op(
        "user",
        "GET",
        "/users/<user_ref>",
        LIGHT,
        _scopes(
            "user:read", "user:read:user", "user:write", "user:write:admin", "user_profile", "user_info:read"
        ),
    ),
    _op(
        "userSettings",
        "GET",
        "/users/<user_ref>/settings",
        MEDIUM,
        _scopes("user:read", "user:read:settings", "user:write", "user:write:admin"),
    ),
]

DEFAULT_SCOPES = frozenset(
    {
        "meeting:read:admin",
        "meeting:write:admin",
        "webinar:read:admin",
        "webinar:write:admin",
        "user:read:admin",
        "report:read:admin",
        "recording:read:admin",
        "recording:write:admin",
    }
)
