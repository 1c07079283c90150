"""Zoom's official OpenAPI specs as an executable contract.

Loads the Meetings and Users REST specs (OpenAPI 3.0) and the Meetings webhook catalogue (OpenAPI 3.1)
from ``$ZOOM_SPEC_DIR`` (default ``<repo root>/../shared/zoom/spec``), matches a concrete request to its
operation and validates parameters, bodies and webhook payloads with ``openapi-schema-validator``.
Plain Python: no Odoo, no sandbox import, so it can hold any Zoom look-alike to the specs.

How the specs express types: integers carry ``format: int64`` (range-checked), times ``format: date-time``
(RFC 3339, checked through rfc3339-validator), ``nullable: true`` appears twice (transcript fields, honoured
by OAS30Validator); the REST schemas never set ``additionalProperties``, the webhook schemas mostly set
it to false. Formats are enforced with the validators' own format checkers.

Every departure from the raw specs is listed below with its reason; each one is narrow (one operation,
one status or one field) and exists because the spec contradicts itself or CONTRACT.md.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from jsonschema.exceptions import ValidationError, best_match
from openapi_schema_validator import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_DIR_ENV = "ZOOM_SPEC_DIR"
MEETINGS_SPEC = "zoom-meeting-open-api-spec.json"
USERS_SPEC = "zoom-users-open-api-spec.json"
EVENTS_SPEC = "zoom-meeting-events-open-api-spec.json"
SERVER_PREFIX = "/v2"
EVENTS_URI = "urn:zoom:meeting-events"
JSON = "application/json"

# --- Documented departures from the raw specs --------------------------------------------------------

# The 2026 spec keys batch registration's success as 201 while its text says "HTTP Status Code: 200 OK",
# and the 2023 spec keyed it 200 (CONTRACT §2.4): a 200 is held to the schema documented under 201.
RESPONSE_KEY_ALIASES = {
    ("addBatchRegistrants", 200): "201",
    ("addBatchWebinarRegistrants", 200): "201",
}

# Success statuses an operation's spec does not list, with the reason they are still the contract.
UNLISTED_SUCCESS = {
    ("webinarStatus", 204): "the spec lists only a `200` key whose text is an error message (plan missing); "
    "CONTRACT §2.1 row 16 and the sibling meetingStatus answer 204 No Content",
}

# (HTTP status, Zoom code) pairs valid on every operation although its own error text may not list them.
UNIVERSAL_ERRORS = {
    (401, 124): "CONTRACT §3.4: invalid or expired token; the spec lists 401 on meetingUpdate only",
    (429, 429): "CONTRACT §4.4: observed rate-limit bodies carry code 429 (the spec names 4001 once)",
    (400, 300): "CONTRACT §3.2: 'Validation Failed.' answers any body that breaks the schema",
    (400, 4711): "CONTRACT §3.4: a token without the operation's scopes, any operation",
}
# Error codes an operation's text omits although it is the spec's own code for the same message.
UNLISTED_ERROR_CODES = {
    ("meetingRegistrantCreate", 404, 3001): "its 404 text pairs 'Meeting does not exist: {meetingId}.' with "
    "code 1001 (the user code); every sibling operation gives that message code 3001 (CONTRACT §2.3)",
}
# 5xx answers (CONTRACT §3.3, injected faults) are in no operation's list; their body shape still counts.
SERVER_ERROR = 500

# Request `start_time` of these operations: the description allows local time `yyyy-MM-ddTHH:mm:ss`
# (interpreted in `timezone`) but `format: date-time` (RFC 3339) demands an offset. Such a value is
# checked as if it were UTC; anything else still meets the RFC 3339 check.
LOCAL_START_TIME_OPERATIONS = {"meetingCreate", "meetingUpdate", "webinarCreate", "webinarUpdate"}
LOCAL_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")

# userSettings' 200 schema is a `oneOf` whose four branches declare no `required` fields (one is an empty
# object), so every object matches several branches and `oneOf` can never pass. Zoom picks the branch
# with the `option` query parameter; the branch for the request's option is used instead.
USER_SETTINGS_BRANCH = {
    None: 0,
    "meeting_authentication": 1,
    "recording_authentication": 1,
    "meeting_security": 3,
}

# The events spec's `old_object` of meeting.updated / webinar.updated (and one user.tsp_* field) point
# at `#/paths/<event>/...`, a section the document does not have: its events live under `#/webhooks/`.
DANGLING_REF_PREFIX = ('"#/paths/', '"#/webhooks/')

# Zoom's REST schemas never close their objects, so a field the sandbox invented would pass them. Each
# object is therefore also held to the property names its schema (with its allOf/oneOf/anyOf) declares,
# except these, which CONTRACT.md documents although the 2026 schema omits them: (operationId, name).
UNDOCUMENTED_PROPERTY_ALLOWANCES = {
    (
        "recordingGet",
        "share_url",
    ): "CONTRACT §2.8 lists share_url in the response (and recording.completed has it)",
}

# CONTRACT §3.2: Zoom's error body. The specs document error statuses by text only, without a schema.
ERROR_BODY_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

# CONTRACT §5.4: the URL-validation challenge is signed and sent like an event but is not in the catalogue.
URL_VALIDATION_SCHEMA = {
    "type": "object",
    "required": ["event", "event_ts", "payload"],
    "additionalProperties": False,
    "properties": {
        "event": {"const": "endpoint.url_validation"},
        "event_ts": {"type": "integer", "format": "int64"},
        "payload": {
            "type": "object",
            "required": ["plainToken"],
            "additionalProperties": False,
            "properties": {"plainToken": {"type": "string", "minLength": 1}},
        },
    },
}

# CONTRACT §2.1: the operations the addon uses, each held to the specs by the contract tests.
SECTION_2_1 = (
    ("POST", "/users/{userId}/meetings", "meetingCreate"),
    ("GET", "/meetings/{meetingId}", "meeting"),
    ("PATCH", "/meetings/{meetingId}", "meetingUpdate"),
    ("DELETE", "/meetings/{meetingId}", "meetingDelete"),
    ("PUT", "/meetings/{meetingId}/status", "meetingStatus"),
    ("POST", "/meetings/{meetingId}/registrants", "meetingRegistrantCreate"),
    ("GET", "/meetings/{meetingId}/registrants", "meetingRegistrants"),
    ("GET", "/meetings/{meetingId}/registrants/{registrantId}", "meetingRegistrantGet"),
    ("PUT", "/meetings/{meetingId}/registrants/status", "meetingRegistrantStatus"),
    ("DELETE", "/meetings/{meetingId}/registrants/{registrantId}", "meetingregistrantdelete"),
    ("POST", "/meetings/{meetingId}/batch_registrants", "addBatchRegistrants"),
    ("POST", "/users/{userId}/webinars", "webinarCreate"),
    ("GET", "/webinars/{webinarId}", "webinar"),
    ("PATCH", "/webinars/{webinarId}", "webinarUpdate"),
    ("DELETE", "/webinars/{webinarId}", "webinarDelete"),
    ("PUT", "/webinars/{webinarId}/status", "webinarStatus"),
    ("POST", "/webinars/{webinarId}/registrants", "webinarRegistrantCreate"),
    ("GET", "/webinars/{webinarId}/registrants", "webinarRegistrants"),
    ("GET", "/webinars/{webinarId}/registrants/{registrantId}", "webinarRegistrantGet"),
    ("PUT", "/webinars/{webinarId}/registrants/status", "webinarRegistrantStatus"),
    ("DELETE", "/webinars/{webinarId}/registrants/{registrantId}", "deleteWebinarRegistrant"),
    ("POST", "/webinars/{webinarId}/batch_registrants", "addBatchWebinarRegistrants"),
    ("GET", "/webinars/{webinarId}/panelists", "webinarPanelists"),
    ("POST", "/webinars/{webinarId}/panelists", "webinarPanelistCreate"),
    ("DELETE", "/webinars/{webinarId}/panelists", "webinarPanelistsDelete"),
    ("DELETE", "/webinars/{webinarId}/panelists/{panelistId}", "webinarPanelistDelete"),
    ("GET", "/report/meetings/{meetingId}/participants", "reportMeetingParticipants"),
    ("GET", "/report/webinars/{webinarId}/participants", "reportWebinarParticipants"),
    ("GET", "/past_meetings/{meetingId}/participants", "pastMeetingParticipants"),
    ("GET", "/past_webinars/{webinarId}/participants", "listWebinarParticipants"),
    ("GET", "/past_meetings/{meetingId}", "pastMeetingDetails"),
    ("GET", "/meetings/{meetingId}/recordings", "recordingGet"),
    ("DELETE", "/meetings/{meetingId}/recordings", "recordingDelete"),
    ("GET", "/users/{userId}", "user"),
    ("GET", "/users/{userId}/settings", "userSettings"),
)

ERROR_CODE_IN_TEXT = re.compile(r"\*\*Error Code:\*\*\s*`(\d+)`")


# --- Locating the specs ----------------------------------------------------------------------------------


def spec_dir() -> Path:
    configured = os.environ.get(SPEC_DIR_ENV)
    if configured:
        return Path(configured)
    repo_root = Path(__file__).resolve().parents[3]
    return repo_root.parent / "shared" / "zoom" / "spec"


def missing_spec_files(directory: Path | None = None) -> list[Path]:
    directory = directory or spec_dir()
    names = (MEETINGS_SPEC, USERS_SPEC, EVENTS_SPEC)
    return [directory / name for name in names if not (directory / name).is_file()]


def missing_specs_reason() -> str | None:
    """Why contract tests cannot run here (a clone without ../shared), or None when they can."""
    missing = missing_spec_files()
    if not missing:
        return None
    listed = ", ".join(str(path) for path in missing)
    return f"Zoom OpenAPI specs not found: {listed} (set {SPEC_DIR_ENV} to the directory holding them)"


def example_of(schema):
    """A whole document assembled from the examples the REST specs give per field."""
    if "example" in schema:
        return schema["example"]
    if "allOf" in schema:
        merged = {}
        for part in schema["allOf"]:
            merged.update(example_of(part) or {})
        return merged
    if "oneOf" in schema or "anyOf" in schema:
        return example_of((schema.get("oneOf") or schema["anyOf"])[0])
    if schema.get("type") == "array":
        return [example_of(schema.get("items", {}))]
    return {name: example_of(prop) for name, prop in schema.get("properties", {}).items()}


def response_example(operation_id: str, status: str = "200"):
    """Zoom's documented answer of an operation, assembled from its spec's examples."""
    return example_of(load_contract().operation(operation_id).response_schema(status, {}))


def webhook_examples(event: str) -> list[str]:
    """The raw JSON texts of Zoom's own examples of `event`, as its events spec gives them."""
    examples = load_contract().events[event]["post"]["requestBody"]["content"][JSON].get("examples") or {}
    return [example["value"] for example in examples.values()]


def require_specs():
    """The contract tests' precondition: without Zoom's specs they fail, so that no run passes by skipping
    them."""
    reason = missing_specs_reason()
    if reason:
        pytest.fail(reason, pytrace=False)


# --- Reporting -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    where: str
    pointer: str
    message: str

    def __str__(self):
        return f"{self.where}: at {self.pointer or '/'}: {self.message}"


class ContractError(AssertionError):
    def __init__(self, violations):
        self.violations = list(violations)
        counts = Counter(str(violation) for violation in self.violations)
        lines = [f"  - {text}" + (f" (x{count})" if count > 1 else "") for text, count in counts.items()]
        super().__init__("\n".join([f"Zoom contract violated ({len(self.violations)}):", *lines]))


def raise_for(violations):
    if violations:
        raise ContractError(violations)


def json_pointer(path) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _describe(error: ValidationError) -> str:
    if not error.context:
        return error.message
    closest = best_match(error.context)
    at = json_pointer(closest.absolute_path) or "/"
    return f"{error.message} (closest branch: at {at}: {closest.message})"


def schema_violations(validator, instance, where: str) -> list[Violation]:
    errors = sorted(validator.iter_errors(instance), key=lambda error: list(map(str, error.absolute_path)))
    return [Violation(where, json_pointer(error.absolute_path), _describe(error)) for error in errors]


def _declared_names(schema: dict) -> set[str]:
    names = set(schema.get("properties", {}))
    for keyword in ("allOf", "oneOf", "anyOf"):
        for member in schema.get(keyword, []):
            names |= _declared_names(member)
    return names


def _close(schema: dict, object_position: bool = True) -> dict:
    """A copy of ``schema`` whose objects accept only the property names they declare (``propertyNames``).
    Members of allOf/oneOf/anyOf are left open: their siblings declare the rest of the object."""
    closed = dict(schema)
    names = _declared_names(schema)
    if object_position and names:
        closed["propertyNames"] = {"enum": sorted(names)}
    if "properties" in schema:
        closed["properties"] = {name: _close(prop) for name, prop in schema["properties"].items()}
    if isinstance(schema.get("items"), dict):
        closed["items"] = _close(schema["items"])
    for keyword in ("allOf", "oneOf", "anyOf"):
        if keyword in schema:
            closed[keyword] = [_close(member, object_position=False) for member in schema[keyword]]
    return closed


def undocumented_property_violations(validator, instance, where: str, operation_id: str) -> list[Violation]:
    violations = []
    for error in validator.iter_errors(instance):
        from_property_names = list(error.absolute_schema_path)[-2:] == ["propertyNames", "enum"]
        if from_property_names and (operation_id, error.instance) not in UNDOCUMENTED_PROPERTY_ALLOWANCES:
            pointer = json_pointer(error.absolute_path)
            violations.append(Violation(where, pointer, f"property {error.instance!r} is not in the spec"))
    return violations


# --- Operations ------------------------------------------------------------------------------------------


def _template_pattern(template: str) -> re.Pattern:
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join(f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(f"^{regex}$")


@dataclass
class Operation:
    method: str
    template: str
    spec: dict = field(repr=False)
    spec_name: str
    pattern: re.Pattern = field(init=False, repr=False)
    _validators: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        self.pattern = _template_pattern(self.template)

    @property
    def operation_id(self) -> str:
        return self.spec["operationId"]

    @property
    def literal_segments(self) -> int:
        return sum(not segment.startswith("{") for segment in self.template.split("/"))

    def label(self, detail: str) -> str:
        return f"{self.operation_id} {self.method} {self.template} {detail}"

    def validator(self, key: tuple, schema: dict):
        if key not in self._validators:
            self._validators[key] = OAS30Validator(schema, format_checker=oas30_format_checker)
        return self._validators[key]

    def closed_validator(self, key: tuple, schema: dict):
        """Only its ``propertyNames`` errors count; the schema's own checks are :meth:`validator`'s."""
        key = ("closed", *key)
        if key not in self._validators:
            self._validators[key] = OAS31Validator(_close(schema))
        return self._validators[key]

    def body_violations(self, key: tuple, schema: dict, body, where: str) -> list[Violation]:
        return [
            *schema_violations(self.validator(key, schema), body, where),
            *undocumented_property_violations(
                self.closed_validator(key, schema), body, where, self.operation_id
            ),
        ]

    def request_schema(self) -> dict | None:
        body = self.spec.get("requestBody")
        return body and body["content"].get(JSON, {}).get("schema")

    def response_key(self, status: int) -> str | None:
        responses = self.spec["responses"]
        if str(status) in responses:
            return str(status)
        return RESPONSE_KEY_ALIASES.get((self.operation_id, status))

    def response_schema(self, key: str, query: dict) -> dict | None:
        schema = self.spec["responses"][key].get("content", {}).get(JSON, {}).get("schema")
        if schema and self.operation_id == "userSettings" and key == "200":
            return schema["oneOf"][USER_SETTINGS_BRANCH.get(query.get("option"), 0)]
        return schema

    def documented_error_codes(self, key: str) -> set[int]:
        return {int(code) for code in ERROR_CODE_IN_TEXT.findall(self.spec["responses"][key]["description"])}

    def parameters(self, location: str) -> list[dict]:
        return [param for param in self.spec.get("parameters", []) if param["in"] == location]


def _coerce(value: str, schema: dict):
    """Path and query values arrive as text; read them as the type the parameter's schema declares."""
    kind = schema.get("type")
    if kind == "integer" and re.fullmatch(r"-?\d+", value):
        return int(value)
    if kind == "number" and re.fullmatch(r"-?\d+(\.\d+)?", value):
        return float(value)
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    return value


def _query_dict(query) -> dict:
    if isinstance(query, str):
        return {name: values[-1] for name, values in parse_qs(query, keep_blank_values=True).items()}
    items = (query or {}).items()
    return {name: (values[-1] if isinstance(values, list) else values) for name, values in items}


def _accept_local_start_time(operation: Operation, body):
    if operation.operation_id not in LOCAL_START_TIME_OPERATIONS or not isinstance(body, dict):
        return body
    start_time = body.get("start_time")
    if isinstance(start_time, str) and LOCAL_DATE_TIME.match(start_time):
        return {**body, "start_time": start_time + "Z"}
    return body


# --- The contract ----------------------------------------------------------------------------------------


class UnknownOperation(LookupError):
    pass


class Contract:
    def __init__(self, directory: Path):
        self.directory = directory
        self.operations = self._load_operations()
        self.events = self._load_events()
        self._event_validators = {}
        self._local_validators = {}

    # loading

    def _load_operations(self) -> dict[tuple[str, str], Operation]:
        operations = {}
        for name in (MEETINGS_SPEC, USERS_SPEC):
            document = json.loads((self.directory / name).read_text())
            for template, methods in document["paths"].items():
                for method, spec in methods.items():
                    operations[(method.upper(), template)] = Operation(method.upper(), template, spec, name)
        return operations

    def _load_events(self) -> dict:
        text = (self.directory / EVENTS_SPEC).read_text().replace(*DANGLING_REF_PREFIX)
        document = json.loads(text)
        self._registry = Registry().with_resource(EVENTS_URI, DRAFT202012.create_resource(document))
        return document["webhooks"]

    # lookup

    def operation(self, operation_id: str) -> Operation:
        for operation in self.operations.values():
            if operation.operation_id == operation_id:
                return operation
        raise UnknownOperation(operation_id)

    def match(self, method: str, path: str) -> tuple[Operation, dict]:
        """The operation serving ``method path`` (with or without ``/v2``) and its path parameters."""
        path = path.split("?", 1)[0]
        if path.startswith(SERVER_PREFIX + "/"):
            path = path[len(SERVER_PREFIX) :]
        candidates = [
            (operation, found)
            for operation in self.operations.values()
            if operation.method == method.upper() and (found := operation.pattern.match(path))
        ]
        if not candidates:
            raise UnknownOperation(f"no operation in the specs for {method.upper()} {path}")
        operation, found = max(candidates, key=lambda candidate: candidate[0].literal_segments)
        return operation, found.groupdict()

    # requests

    def request_violations(self, method: str, path: str, query=None, body=None) -> list[Violation]:
        try:
            operation, path_params = self.match(method, path)
        except UnknownOperation as error:
            return [Violation(f"{method.upper()} {path}", "", str(error))]
        return [
            *self._parameter_violations(operation, "path", path_params),
            *self._parameter_violations(operation, "query", _query_dict(query)),
            *self._body_violations(operation, body),
        ]

    def _parameter_violations(self, operation: Operation, location: str, values: dict) -> list[Violation]:
        violations = []
        for param in operation.parameters(location):
            name, schema = param["name"], param.get("schema", {})
            where = operation.label(f"{location} parameter {name!r}")
            if name not in values:
                if param.get("required"):
                    violations.append(Violation(where, "", "required parameter is missing"))
                continue
            validator = operation.validator(("param", location, name), schema)
            violations += schema_violations(validator, _coerce(str(values[name]), schema), where)
        return violations

    def _body_violations(self, operation: Operation, body) -> list[Violation]:
        schema = operation.request_schema()
        where = operation.label("request body")
        if schema is None:
            return [] if body is None else [Violation(where, "", "the spec documents no JSON request body")]
        if body is None:
            required = operation.spec["requestBody"].get("required")
            return [Violation(where, "", "the request body is required")] if required else []
        return operation.body_violations(
            ("request",), schema, _accept_local_start_time(operation, body), where
        )

    # responses

    def response_violations(self, method: str, path: str, status: int, body=None, query=None) -> list:
        try:
            operation, _params = self.match(method, path)
        except UnknownOperation as error:
            return [Violation(f"{method.upper()} {path} -> {status}", "", str(error))]
        if status >= 400:
            return self._error_violations(operation, status, body)
        return self._success_violations(operation, status, body, _query_dict(query))

    def _success_violations(self, operation: Operation, status: int, body, query: dict) -> list[Violation]:
        where = operation.label(f"response {status}")
        key = operation.response_key(status)
        if key is None:
            if (operation.operation_id, status) in UNLISTED_SUCCESS:
                return self._no_body_violations(where, status, body)
            listed = ", ".join(operation.spec["responses"])
            return [Violation(where, "", f"status {status} is not documented (spec lists {listed})")]
        schema = operation.response_schema(key, query)
        if operation.operation_id == "userSettings":
            where += f" (the oneOf branch of option={query.get('option')})"
        if schema is None:
            return self._no_body_violations(where, status, body)
        if body is None:
            return [Violation(where, "", "the spec documents a JSON body, the response has none")]
        return operation.body_violations(("response", key, id(schema)), schema, body, where)

    @staticmethod
    def _no_body_violations(where: str, status: int, body) -> list[Violation]:
        if body in (None, b"", ""):
            return []
        return [Violation(where, "", f"the spec documents no body for {status}, the response has one")]

    def _error_violations(self, operation: Operation, status: int, body) -> list[Violation]:
        where = operation.label(f"error {status}")
        if body is None:
            return [Violation(where, "", "error responses carry a JSON body {code, message} (CONTRACT §3.2)")]
        violations = schema_violations(self._local_validator("error", ERROR_BODY_SCHEMA), body, where)
        if violations:
            return violations
        return self._error_code_violations(operation, status, body["code"], where)

    def _error_code_violations(self, operation: Operation, status: int, code: int, where: str) -> list:
        if (status, code) in UNIVERSAL_ERRORS or status >= SERVER_ERROR:
            return []
        if (operation.operation_id, status, code) in UNLISTED_ERROR_CODES:
            return []
        key = operation.response_key(status)
        if key is None:
            listed = ", ".join(operation.spec["responses"])
            return [Violation(where, "", f"status {status} is not documented (spec lists {listed})")]
        documented = operation.documented_error_codes(key)
        if documented and code not in documented:
            message = f"code {code} is not among the documented {sorted(documented)}"
            return [Violation(where, "/code", message)]
        return []

    def _local_validator(self, name: str, schema: dict):
        if name not in self._local_validators:
            self._local_validators[name] = OAS31Validator(schema, format_checker=oas31_format_checker)
        return self._local_validators[name]

    # webhooks

    def webhook_schema_pointer(self, event: str) -> str:
        return f"{EVENTS_URI}#/webhooks/{event}/post/requestBody/content/application~1json/schema"

    def webhook_violations(self, payload) -> list[Violation]:
        event = payload.get("event") if isinstance(payload, dict) else None
        where = f"webhook {event}"
        if event == "endpoint.url_validation":
            validator = self._local_validator("url_validation", URL_VALIDATION_SCHEMA)
            return schema_violations(validator, payload, where)
        if event not in self.events:
            return [Violation(where, "/event", f"{event!r} is not an event of the webhook catalogue")]
        return schema_violations(self._event_validator(event), payload, where)

    def _event_validator(self, event: str):
        if event not in self._event_validators:
            schema = {"$ref": self.webhook_schema_pointer(event)}
            self._event_validators[event] = OAS31Validator(
                schema, registry=self._registry, format_checker=oas31_format_checker
            )
        return self._event_validators[event]

    def webhook_schema(self, event: str) -> dict:
        return self.events[event]["post"]["requestBody"]["content"][JSON]["schema"]


@functools.lru_cache(maxsize=4)
def load_contract(directory: str | None = None) -> Contract:
    """The contract for ``directory`` (default: :func:`spec_dir`), loaded once per process."""
    return Contract(Path(directory) if directory else spec_dir())
