"""The request bodies the sandbox accepts, as validation fields (per Zoom's OpenAPI request schemas)."""

from .validation import Field

RECURRENCE = (
    Field("type", "int", required=True, choices=(1, 2, 3)),
    Field("repeat_interval", "int", minimum=1, maximum=90),
    Field("weekly_days", "str"),
    Field("monthly_day", "int", minimum=1, maximum=31),
    Field("monthly_week", "int", choices=(-1, 1, 2, 3, 4)),
    Field("monthly_week_day", "int", minimum=1, maximum=7),
    Field("end_times", "int", minimum=1, maximum=60),
    Field("end_date_time", "datetime"),
)

SETTINGS = (
    Field("approval_type", "int", choices=(0, 1, 2)),
    Field("registration_type", "int", choices=(1, 2, 3)),
    Field("jbh_time", "int", choices=(0, 5, 10, 15)),
    Field("auto_recording", "str", choices=("local", "cloud", "none")),
    Field("audio", "str", choices=("both", "telephony", "voip", "thirdParty")),
    Field("alternative_hosts", "str"),
    Field("registrants_restrict_number", "int", minimum=0, maximum=20000),
    *(
        Field(name, "bool")
        for name in (
            "host_video",
            "participant_video",
            "panelists_video",
            "join_before_host",
            "waiting_room",
            "mute_upon_entry",
            "registrants_email_notification",
            "registrants_confirmation_email",
            "close_registration",
            "meeting_authentication",
            "practice_session",
            "on_demand",
        )
    ),
)


def session_fields(types):
    """Create/update body of a meeting or a webinar (`types`: the allowed `type` values)."""
    return (
        Field("topic", "str", max_length=200),
        Field("type", "int", choices=types),
        Field("start_time", "datetime"),
        Field("duration", "int", minimum=1, maximum=1440),
        Field("timezone", "str"),
        Field("password", "str", max_length=10),
        Field("agenda", "str", max_length=2000),
        Field("schedule_for", "str"),
        Field("default_password", "bool"),
        Field("recurrence", "object", children=RECURRENCE),
        Field("settings", "object", children=SETTINGS),
        Field(
            "tracking_fields", "array", children=(Field("field", "str", required=True), Field("value", "str"))
        ),
    )


MEETING_TYPES = (1, 2, 3, 8, 10)
WEBINAR_TYPES = (5, 6, 9)
MEETING = session_fields(MEETING_TYPES)
WEBINAR = session_fields(WEBINAR_TYPES)

REGISTRANT_PERSON = (
    Field("email", "email", required=True, max_length=128),
    Field("first_name", "str", required=True, max_length=64),
    Field("last_name", "str", max_length=64),
)

REGISTRANT_TEXT_FIELDS = (
    "address",
    "city",
    "state",
    "zip",
    "country",
    "phone",
    "comments",
    "industry",
    "job_title",
    "org",
    "no_of_employees",
    "purchasing_time_frame",
    "role_in_purchase_process",
    "language",
)

REGISTRANT = (
    *REGISTRANT_PERSON,
    *(Field(name, "str") for name in REGISTRANT_TEXT_FIELDS),
    Field(
        "custom_questions", "array", children=(Field("title", "str"), Field("value", "str", max_length=128))
    ),
    Field("auto_approve", "bool"),
)

BATCH = (
    Field("auto_approve", "bool"),
    Field("registrants_confirmation_email", "bool"),
    Field("registrants", "array", required=True, max_items=30, children=REGISTRANT_PERSON),
)

REGISTRANT_STATUS = (
    Field("action", "str", required=True, choices=("approve", "cancel", "deny")),
    Field("registrants", "array", max_items=30, children=(Field("id", "str"), Field("email", "str"))),
)

PANELISTS = (
    Field(
        "panelists",
        "array",
        required=True,
        max_items=30,
        children=(Field("email", "email", required=True), Field("name", "str", required=True)),
    ),
)

MEETING_STATUS = (Field("action", "str", required=True, choices=("end", "recover")),)
WEBINAR_STATUS = (Field("action", "str", required=True, choices=("end",)),)
