"""The request-body schemas of Zoom's Meetings spec, as the sandbox validates them at run time.

`request_schemas.json` beside this file holds, per operationId, the spec's own `requestBody` schema with
its `$ref`s resolved and only the keywords that constrain values kept (no descriptions or examples), so
the sandbox needs neither the 2 MB spec nor a JSON-schema library. `specgen.py` writes it.
"""

import functools
import json
from pathlib import Path

SCHEMA_FILE = Path(__file__).with_name("request_schemas.json")
COMMA_SEPARATED = "x-comma-separated"


@functools.cache
def request_schemas():
    return json.loads(SCHEMA_FILE.read_text())


def request_schema(operation_id):
    """The spec's body schema of an operation, or None when it takes no body."""
    return request_schemas().get(operation_id)


def settings_names(operation_id):
    """The `settings` properties an operation's body declares (Zoom ignores any other)."""
    settings = (request_schema(operation_id) or {}).get("properties", {}).get("settings", {})
    return frozenset(settings.get("properties", {}))
