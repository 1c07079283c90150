"""What request bodies must satisfy beyond the spec's schemas (`request_schemas.json`): constraints the
spec states only in prose (descriptions, CONTRACT.md), or for one kind of session but not the other."""

from .validation import Field

RECURRENCE = (
    Field("repeat_interval", "int", minimum=1, maximum=90),
    Field("monthly_day", "int", minimum=1, maximum=31),
    Field("monthly_week_day", "int", minimum=1, maximum=7),
    Field("end_times", "int", minimum=1, maximum=60),
)

SESSION = (
    Field("topic", "str", max_length=200),
    Field("duration", "int", minimum=1, maximum=1440),
    Field("agenda", "str", max_length=2000),
    Field("default_password", "bool"),
    Field("recurrence", "object", children=RECURRENCE),
    Field("tracking_fields", "array", children=(Field("field", "str", required=True), Field("value", "str"))),
)

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
)
"""Text fields a registrant is added with and listed with (`language` is an input only)."""

REGISTRANT = (*REGISTRANT_PERSON, Field("auto_approve", "bool"))

BATCH = (Field("registrants", "array", required=True, max_items=30, children=REGISTRANT_PERSON),)

REGISTRANT_STATUS = ()

PANELISTS = (
    Field(
        "panelists",
        "array",
        required=True,
        max_items=30,
        children=(Field("email", "email", required=True), Field("name", "str", required=True)),
    ),
)

SESSION_STATUS = (Field("action", "str", required=True),)
