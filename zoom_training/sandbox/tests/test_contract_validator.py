"""The contract validator itself: it accepts what Zoom's specs show and rejects what they forbid."""

import json

import pytest

from .contract import (
    RESPONSE_KEY_ALIASES,
    SECTION_2_1,
    SPEC_DIR_ENV,
    ContractError,
    UnknownOperation,
    example_of,
    load_contract,
    raise_for,
    require_specs,
    spec_dir,
)

pytestmark = pytest.mark.usefixtures("zoom_specs")

SPEC_2_1_IDS = [operation_id for _method, _template, operation_id in SECTION_2_1]

# The webhook catalogue's own examples that break its own schemas: event -> (reason, the exact failures as
# (JSON pointer, JSON-schema keyword)). Each is asserted to fail exactly so, so the list cannot rot.
DATE_TIME_KEY = "the example's participant carries an undocumented `date_time` (additionalProperties: false)"
REGISTRATION_OPERATOR = "the schema requires operator/operator_id, the example has neither"
FILE_EXTENSION = "the schema requires file_extension (and file_name), the example's files lack them"
CHAT_DATE_TIME = "date_time is declared `date-time` but the example is Zoom's 'GMT20220110-072010' stamp"
INCONSISTENT_EVENT_EXAMPLES = {
    "meeting.alert": (
        "the example has join_time instead of the required start_time",
        {("/payload/object", "additionalProperties"), ("/payload/object", "required")},
    ),
    "meeting.chat_message_file_sent": (
        CHAT_DATE_TIME,
        {("/payload/object/chat_message_file/date_time", "format")},
    ),
    "meeting.chat_message_sent": (CHAT_DATE_TIME, {("/payload/object/chat_message/date_time", "format")}),
    "meeting.participant_admitted": (
        "the example has operation/operator/operator_id the schema forbids",
        {("/payload", "additionalProperties")},
    ),
    "meeting.participant_bind": (
        "the example's participant has join_time the schema forbids",
        {("/payload/object/participant", "additionalProperties")},
    ),
    "meeting.participant_joined": (
        DATE_TIME_KEY + " and lacks the required join_time",
        {
            ("/payload/object/participant", "additionalProperties"),
            ("/payload/object/participant", "required"),
        },
    ),
    "meeting.participant_joined_breakout_room": (
        DATE_TIME_KEY + " and lacks the required join_time",
        {
            ("/payload/object/participant", "additionalProperties"),
            ("/payload/object/participant", "required"),
        },
    ),
    "meeting.participant_left": (DATE_TIME_KEY, {("/payload/object/participant", "additionalProperties")}),
    "meeting.participant_left_breakout_room": (
        DATE_TIME_KEY,
        {("/payload/object/participant", "additionalProperties")},
    ),
    "meeting.risk_alert": (
        "the example uses enableScreenShareHostOnly, missing from the enum",
        {("/payload/object/armn_details/recommended_disable_settings/0", "enum")},
    ),
    "recording.deleted": (
        FILE_EXTENSION + "; its audio files carry recording_type the schema forbids",
        {
            ("/payload/object/participant_audio_files/0", "additionalProperties"),
            ("/payload/object/participant_audio_files/0", "required"),
            ("/payload/object/recording_files/0", "required"),
            ("/payload/object/recording_files/1", "required"),
        },
    ),
    "recording.recovered": (
        FILE_EXTENSION + "; object lacks the required account_id; audio files carry recording_type",
        {
            ("/payload/object", "required"),
            ("/payload/object/participant_audio_files/0", "additionalProperties"),
            ("/payload/object/recording_files/0", "required"),
            ("/payload/object/recording_files/1", "required"),
        },
    ),
    "recording.registration_approved": (
        "the example has occurrences the schema forbids",
        {("/payload/object", "additionalProperties")},
    ),
    "recording.registration_created": (
        "the example has occurrences the schema forbids",
        {("/payload/object", "additionalProperties")},
    ),
    "recording.registration_denied": (
        REGISTRATION_OPERATOR + "; it has occurrences the schema forbids",
        {("/payload", "required"), ("/payload/object", "additionalProperties")},
    ),
    "recording.renamed": (
        "the example has recording_file instead of the required old_object, and time_stamp as a string",
        {("/payload", "additionalProperties"), ("/payload", "required"), ("/payload/time_stamp", "type")},
    ),
    "recording.transcript_completed": (FILE_EXTENSION, {("/payload/object/recording_files/0", "required")}),
    "recording.trashed": (
        REGISTRATION_OPERATOR + "; it has host_email/password and audio recording_type the schema forbids",
        {
            ("/payload", "required"),
            ("/payload/object", "additionalProperties"),
            ("/payload/object/participant_audio_files/0", "additionalProperties"),
        },
    ),
    "webinar.alert": ("the example's type is 2, the enum allows 5, 6, 9", {("/payload/object/type", "enum")}),
    "webinar.chat_message_file_sent": (
        CHAT_DATE_TIME,
        {("/payload/object/chat_message_file/date_time", "format")},
    ),
    "webinar.chat_message_sent": (CHAT_DATE_TIME, {("/payload/object/chat_message/date_time", "format")}),
    "webinar.participant_bind": (DATE_TIME_KEY, {("/payload/object/participant", "additionalProperties")}),
    "webinar.participant_role_changed": (
        "the example's participant has customer_key the schema forbids",
        {("/payload/object/participant", "additionalProperties")},
    ),
    "webinar.registration_denied": (REGISTRATION_OPERATOR, {("/payload", "required")}),
    "webinar.updated": (
        "the example lacks the required old_object and time_stamp",
        {("/payload", "required")},
    ),
}

# The REST specs give examples per field only; a whole document is assembled from them. userSettings'
# `oneOf` is held to the branch of its `option` (see contract.USER_SETTINGS_BRANCH).


@pytest.fixture(scope="module")
def contract():
    return load_contract()


def event_example(contract, event):
    examples = contract.events[event]["post"]["requestBody"]["content"]["application/json"]["examples"]
    return [json.loads(example["value"]) for example in examples.values()]


def failures(violations):
    return {violation.pointer for violation in violations}


# --- loading and matching --------------------------------------------------------------------------------


def test_specs_load_once_per_process(contract):
    assert load_contract() is contract
    assert contract.directory == spec_dir()


@pytest.mark.parametrize(("method", "template", "operation_id"), SECTION_2_1, ids=SPEC_2_1_IDS)
def test_every_section_2_1_operation_is_in_the_specs(contract, method, template, operation_id):
    operation = contract.operation(operation_id)
    assert (operation.method, operation.template) == (method, template)


def test_concrete_paths_match_their_templates(contract):
    assert contract.match("PUT", "/v2/meetings/85746065/registrants/status")[0].operation_id == (
        "meetingRegistrantStatus"
    )
    operation, params = contract.match("DELETE", "/meetings/85746065/registrants/9tboDiHUQAeOnbmudzWa5g")
    assert operation.operation_id == "meetingregistrantdelete"
    assert params == {"meetingId": "85746065", "registrantId": "9tboDiHUQAeOnbmudzWa5g"}
    assert (
        contract.match("GET", "/v2/users/me/settings?option=meeting_security")[0].operation_id
        == "userSettings"
    )


def test_unknown_path_and_method_are_rejected(contract):
    with pytest.raises(UnknownOperation):
        contract.match("GET", "/v2/meetings/1/nonsense")
    with pytest.raises(UnknownOperation):
        contract.match("POST", "/v2/meetings/1")
    violations = contract.response_violations("GET", "/v2/nowhere", 200, {})
    assert violations and "no operation in the specs" in violations[0].message


# --- the specs' own examples -----------------------------------------------------------------------------


@pytest.mark.parametrize("operation_id", SPEC_2_1_IDS)
def test_section_2_1_schemas_accept_their_own_examples(contract, operation_id):
    operation = contract.operation(operation_id)
    schemas = {"request": operation.request_schema()}
    schemas.update({key: operation.response_schema(key, {}) for key in operation.spec["responses"]})
    for label, schema in schemas.items():
        if schema:
            raise_for(operation.body_violations(("example", label), schema, example_of(schema), label))


def test_user_settings_one_of_is_unsatisfiable_as_written(contract):
    raw = contract.operation("userSettings").spec["responses"]["200"]["content"]["application/json"]["schema"]
    example = example_of(raw["oneOf"][0])
    validator = contract.operation("userSettings").validator(("raw-oneOf",), raw)
    assert [error.validator for error in validator.iter_errors(example)] == ["oneOf"]
    assert not contract.response_violations("GET", "/v2/users/me/settings", 200, example)
    security = {"meeting_security": {"waiting_room": True}}
    assert not contract.response_violations(
        "GET", "/v2/users/me/settings", 200, security, query={"option": "meeting_security"}
    )
    wrong = {**example, "feature": {**example["feature"], "webinar": "yes"}}
    assert failures(contract.response_violations("GET", "/v2/users/me/settings", 200, wrong)) == {
        "/feature/webinar"
    }


def test_consistent_webhook_examples_are_accepted(contract):
    accepted = 0
    for event in sorted(set(contract.events) - set(INCONSISTENT_EVENT_EXAMPLES)):
        for example in event_example(contract, event):
            raise_for(contract.webhook_violations(example))
            accepted += 1
    assert accepted == len(contract.events) - len(INCONSISTENT_EVENT_EXAMPLES)


@pytest.mark.parametrize("event", sorted(INCONSISTENT_EVENT_EXAMPLES))
def test_inconsistent_webhook_examples_fail_exactly_as_documented(contract, event):
    _reason, expected = INCONSISTENT_EVENT_EXAMPLES[event]
    validator = contract._event_validator(event)
    (example,) = event_example(contract, event)
    found = {
        ("/" + "/".join(map(str, error.absolute_path)), error.validator)
        for error in validator.iter_errors(example)
    }
    assert found == expected


def test_dangling_refs_of_the_events_spec_are_repaired(contract):
    raw = (contract.directory / "zoom-meeting-events-open-api-spec.json").read_text()
    assert '"#/paths/meeting.updated/' in raw and '"paths"' not in raw[:200]
    (example,) = event_example(contract, "meeting.updated")
    assert not contract.webhook_violations(example)
    example["payload"]["old_object"]["id"] = "1234567890"
    assert failures(contract.webhook_violations(example)) == {"/payload/old_object/id"}


# --- rejections: proof that the validator can fail -------------------------------------------------------


@pytest.fixture(scope="module")
def meeting(contract):
    schema = contract.operation("meeting").response_schema("200", {})
    return example_of(schema)


def test_meeting_id_as_string_is_rejected(contract, meeting):
    assert not contract.response_violations("GET", "/v2/meetings/97763643886", 200, meeting)
    wrong = {**meeting, "id": str(meeting["id"])}
    (violation,) = contract.response_violations("GET", "/v2/meetings/97763643886", 200, wrong)
    assert (violation.pointer, violation.message) == ("/id", "'97763643886' is not of type 'integer'")


def test_invented_properties_are_rejected(contract, meeting):
    invented = {**meeting, "invented": 1, "settings": {**meeting["settings"], "nope": True}}
    violations = contract.response_violations("GET", "/v2/meetings/97763643886", 200, invented)
    assert sorted((v.pointer, v.message) for v in violations) == [
        ("", "property 'invented' is not in the spec"),
        ("/settings", "property 'nope' is not in the spec"),
    ]


def test_properties_declared_across_all_of_are_all_accepted(contract):
    registrant = example_of(contract.operation("meetingRegistrantGet").response_schema("200", {}))
    assert {"id", "email", "create_time", "participant_pin_code"} <= set(registrant)
    assert not contract.response_violations("GET", "/v2/meetings/1/registrants/r1", 200, registrant)


def test_share_url_allowance_is_narrow(contract, meeting):
    recording = example_of(contract.operation("recordingGet").response_schema("200", {}))
    shared = {**recording, "share_url": "https://example.com/rec/share/abc"}
    assert not contract.response_violations("GET", "/v2/meetings/1/recordings", 200, shared)
    assert contract.response_violations("GET", "/v2/meetings/1", 200, {**meeting, "share_url": "x"})


def test_formats_are_enforced(contract, meeting):
    path = "/v2/meetings/97763643886"
    too_big = {**meeting, "id": 2**63}
    assert failures(contract.response_violations("GET", path, 200, too_big)) == {"/id"}
    not_a_time = {**meeting, "created_at": "yesterday"}
    assert failures(contract.response_violations("GET", path, 200, not_a_time)) == {"/created_at"}


def test_nullable_is_honoured(contract):
    transcript = contract.operation("GetMeetingTranscript").response_schema("200", {})
    validator = contract.operation("GetMeetingTranscript").validator(("nullable",), transcript)
    example = example_of(transcript)
    assert not list(validator.iter_errors({**example, "download_url": None}))
    assert list(validator.iter_errors({**example, "meeting_topic": None}))


def test_missing_required_field_is_rejected(contract):
    path = "/v2/meetings/85746065/registrants"
    violations = contract.request_violations("POST", path, body={"email": "jchill@example.com"})
    assert [(v.pointer, v.message) for v in violations] == [("", "'first_name' is a required property")]
    registrant = example_of(contract.operation("meetingRegistrantGet").response_schema("200", {}))
    del registrant["email"]
    violations = contract.response_violations("GET", path + "/9tboDiHUQAeOnbmudzWa5g", 200, registrant)
    assert [v.message for v in violations] == ["'email' is a required property"]


def test_query_and_path_parameters_are_checked(contract):
    violations = contract.request_violations(
        "GET", "/v2/meetings/85746065/registrants", "page_size=301&status=x"
    )
    assert {v.where.split("'")[1] for v in violations} == {"page_size", "status"}
    (violation,) = contract.request_violations("GET", "/v2/meetings/not-a-number", {})
    assert "meetingId" in violation.where


def test_bodies_must_match_the_documented_presence(contract):
    assert contract.response_violations("PATCH", "/v2/meetings/1", 204, {"id": 1})
    assert contract.response_violations("POST", "/v2/users/me/meetings", 201, None)
    assert contract.response_violations("GET", "/v2/meetings/1", 202, {})
    assert contract.request_violations("GET", "/v2/meetings/1", body={"unexpected": True})


def test_error_bodies_are_checked(contract):
    path = "/v2/meetings/1"
    assert not contract.response_violations(
        "GET", path, 404, {"code": 3001, "message": "Meeting does not exist: 1."}
    )
    assert failures(contract.response_violations("GET", path, 404, {"code": "3001", "message": "x"})) == {
        "/code"
    }
    assert failures(contract.response_violations("GET", path, 404, {"message": "x"})) == {""}
    undocumented = contract.response_violations("GET", path, 404, {"code": 1001, "message": "x"})
    assert [v.message for v in undocumented] == ["code 1001 is not among the documented [3001]"]
    assert contract.response_violations("GET", path, 409, {"code": 1, "message": "x"})
    for status, code in ((401, 124), (429, 429), (400, 300)):
        assert not contract.response_violations("GET", path, status, {"code": code, "message": "x"})


def test_webhook_rejections(contract):
    (started,) = event_example(contract, "meeting.started")
    started["payload"]["object"]["id"] = int(started["payload"]["object"]["id"])
    assert failures(contract.webhook_violations(started)) == {"/payload/object/id"}
    assert failures(contract.webhook_violations({"event": "meeting.nonsense"})) == {"/event"}
    validation = {
        "event": "endpoint.url_validation",
        "event_ts": 1654503849680,
        "payload": {"plainToken": "t"},
    }
    assert not contract.webhook_violations(validation)
    assert contract.webhook_violations({**validation, "payload": {}})


# --- documented departures stay narrow -------------------------------------------------------------------


def test_batch_registration_200_is_held_to_the_201_schema(contract):
    assert RESPONSE_KEY_ALIASES[("addBatchRegistrants", 200)] == "201"
    path = "/v2/meetings/85746065/batch_registrants"
    good = {"registrants": [{"email": "a@example.com", "registrant_id": "r1", "join_url": "https://x/j/1"}]}
    assert not contract.response_violations("POST", path, 200, good)
    assert not contract.response_violations("POST", path, 201, good)
    wrong = {"registrants": [{"email": "a@example.com", "participant_pin_code": "380303"}]}
    assert failures(contract.response_violations("POST", path, 200, wrong)) == {
        "/registrants/0/participant_pin_code"
    }
    assert contract.response_violations("POST", "/v2/meetings/85746065/registrants", 200, good)


def test_registrant_create_404_accepts_the_meeting_code_too(contract):
    path = "/v2/meetings/1/registrants"
    for code in (1001, 3001):
        assert not contract.response_violations("POST", path, 404, {"code": code, "message": "x"})
    assert contract.response_violations("POST", path, 404, {"code": 3079, "message": "x"})
    assert contract.response_violations(
        "POST", "/v2/webinars/1/registrants", 404, {"code": 1001, "message": "x"}
    )


def test_webinar_status_204_is_accepted_only_without_body(contract):
    assert not contract.response_violations("PUT", "/v2/webinars/1/status", 204, None)
    assert contract.response_violations("PUT", "/v2/webinars/1/status", 204, {"unexpected": 1})
    assert contract.response_violations("PUT", "/v2/webinars/1/status", 202, None)


def test_local_start_time_is_accepted_only_where_the_spec_describes_it(contract):
    body = {
        "topic": "Odoo training",
        "type": 2,
        "start_time": "2026-11-24T10:00:00",
        "timezone": "Europe/Brussels",
    }
    assert not contract.request_violations("POST", "/v2/users/me/meetings", body=body)
    assert not contract.request_violations("PATCH", "/v2/webinars/1", body={**body, "type": 5})
    assert contract.request_violations(
        "POST", "/v2/users/me/meetings", body={**body, "start_time": "tomorrow"}
    )
    meeting = example_of(contract.operation("meeting").response_schema("200", {}))
    local = {**meeting, "start_time": "2026-11-24T10:00:00"}
    assert failures(contract.response_violations("GET", "/v2/meetings/1", 200, local)) == {"/start_time"}


def test_violations_read_well(contract):
    with pytest.raises(ContractError) as raised:
        raise_for(contract.response_violations("GET", "/v2/meetings/1", 200, {"id": "1", "topic": 5}))
    text = str(raised.value)
    assert "Zoom contract violated (2):" in text
    assert "meeting GET /meetings/{meetingId} response 200: at /id: '1' is not of type 'integer'" in text
    assert "at /topic: 5 is not of type 'string'" in text


def test_without_zoom_s_specs_the_contract_tests_fail_instead_of_skipping(monkeypatch, tmp_path):
    monkeypatch.setenv(SPEC_DIR_ENV, str(tmp_path))
    outcome = None
    try:
        require_specs()
    except BaseException as raised:  # pytest's Failed and Skipped are not Exceptions
        outcome = raised
    assert type(outcome).__name__ == "Failed", f"a missing spec must fail the run, not {outcome!r}"
    assert "zoom-meeting-open-api-spec.json" in str(outcome)
