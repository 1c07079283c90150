"""Writes `request_schemas.json` from Zoom's Meetings spec; run it after a spec update:

python -m zoom_training.sandbox.specgen [SPEC_DIR]   # default ../shared/zoom/spec
"""

import json
import sys
from pathlib import Path

from .request_schemas import COMMA_SEPARATED, SCHEMA_FILE

MEETINGS_SPEC = "zoom-meeting-open-api-spec.json"
DEFAULT_SPEC_DIR = Path(__file__).resolve().parents[3] / "shared" / "zoom" / "spec"
COMMA_SEPARATED_FIELDS = frozenset({"weekly_days"})
"""Fields whose `enum` constrains each item of a comma-separated list (`recurrence.weekly_days`: "2,4",
CONTRACT §2.2), although the spec writes the enum as if the whole string were one day."""
CONSTRAINING_KEYWORDS = frozenset(
    {"type", "enum", "format", "required", "maxLength", "minLength", "minimum", "maximum"}
    | {"maxItems", "minItems", "properties", "items", "allOf", "oneOf", "anyOf"}
)
VALIDATED_OPERATIONS = (
    "meetingCreate",
    "meetingUpdate",
    "meetingStatus",
    "meetingRegistrantCreate",
    "meetingRegistrantStatus",
    "addBatchRegistrants",
    "webinarCreate",
    "webinarUpdate",
    "webinarStatus",
    "webinarRegistrantCreate",
    "webinarRegistrantStatus",
    "addBatchWebinarRegistrants",
    "webinarPanelistCreate",
)


def extract(spec):
    """{operationId: compact body schema} for VALIDATED_OPERATIONS, from a parsed Meetings spec."""
    operations = {
        operation["operationId"]: operation
        for path_item in spec["paths"].values()
        for operation in path_item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    return {
        operation_id: _compact(spec, _json_body(operations[operation_id]))
        for operation_id in VALIDATED_OPERATIONS
    }


def _json_body(operation):
    return operation["requestBody"]["content"]["application/json"]["schema"]


def _resolve(spec, schema):
    while "$ref" in schema:
        node = spec
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _compact(spec, schema):
    compact = {}
    for keyword, value in _resolve(spec, schema).items():
        if keyword not in CONSTRAINING_KEYWORDS:
            continue
        if keyword == "properties":
            value = {name: _property(spec, name, child) for name, child in value.items()}
        elif keyword == "items":
            value = _compact(spec, value)
        elif keyword in ("allOf", "oneOf", "anyOf"):
            value = [_compact(spec, branch) for branch in value]
        compact[keyword] = value
    return compact


def _property(spec, name, schema):
    compact = _compact(spec, schema)
    if name in COMMA_SEPARATED_FIELDS:
        compact[COMMA_SEPARATED] = True
    return compact


def render(schemas):
    return json.dumps(schemas, indent=1, sort_keys=True) + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    spec_dir = Path(argv[0]) if argv else DEFAULT_SPEC_DIR
    spec = json.loads((spec_dir / MEETINGS_SPEC).read_text())
    SCHEMA_FILE.write_text(render(extract(spec)))
    print(f"wrote {SCHEMA_FILE} from {spec_dir / MEETINGS_SPEC}")  # pylint: disable=print-used


if __name__ == "__main__":
    main()
