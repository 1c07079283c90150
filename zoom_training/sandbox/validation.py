"""Checks of request bodies, answering Zoom's 400 code 300 "Validation Failed." with `errors[]`."""

import re
from dataclasses import dataclass
from datetime import datetime

from . import errors
from .request_schemas import COMMA_SEPARATED

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
REQUIRED = "This field is required."
INVALID = "Invalid field."


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # str, int, number, bool, object, array, datetime, email
    required: bool = False
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple | None = None
    max_items: int | None = None
    children: tuple = ()  # fields of an object, or of each object in an array


def _is_kind(value, kind):
    checks = {
        "str": lambda v: isinstance(v, str),
        "email": lambda v: isinstance(v, str) and bool(EMAIL.match(v)),
        "datetime": _is_datetime,
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
    }
    return checks[kind](value)


def _is_datetime(value):
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _field_problem(value, spec):
    if not _is_kind(value, spec.kind) or (spec.choices is not None and value not in spec.choices):
        return INVALID
    if isinstance(value, list):
        return _size_problem(len(value), None, spec.max_items)
    if isinstance(value, str):
        return _size_problem(len(value), None, spec.max_length)
    if spec.kind == "int":
        return _range_problem(value, spec.minimum, spec.maximum)
    return None


def problems(body, fields, prefix=""):
    """[{field, message}] for every field of `body` that breaks its spec."""
    found = []
    for spec in fields:
        path = prefix + spec.name
        if spec.name not in body or body[spec.name] is None:
            if spec.required:
                found.append({"field": path, "message": REQUIRED})
            continue
        value = body[spec.name]
        problem = _field_problem(value, spec)
        if problem:
            found.append({"field": path, "message": problem})
        elif spec.children and spec.kind == "object":
            found.extend(problems(value, spec.children, path + "."))
        elif spec.children and spec.kind == "array":
            found.extend(_item_problems(value, spec, path))
    return found


def _item_problems(items, spec, path):
    found = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            found.append({"field": f"{path}[{index}]", "message": INVALID})
        else:
            found.extend(problems(item, spec.children, f"{path}[{index}]."))
    return found


# -- the spec's JSON schemas (the subset of keywords `request_schemas.json` keeps) ------------------
SCHEMA_KINDS = {
    "string": "str",
    "integer": "int",
    "boolean": "bool",
    "object": "object",
    "array": "array",
    "number": "number",
}
FORMAT_KINDS = {"date-time": "datetime", "email": "email"}


def schema_problems(value, schema, path=""):
    """[{field, message}] for `value` against a spec schema; the spec puts `maximum` on two arrays
    (sign-language interpreters, panelists) where it means `maxItems`, and is read that way."""
    problem = _schema_value_problem(value, schema)
    if problem:
        return [{"field": path, "message": problem}]
    found = []
    for branch in schema.get("allOf", ()):
        found.extend(schema_problems(value, branch, path))
    if isinstance(value, dict):
        found.extend(_object_problems(value, schema, path))
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found.extend(schema_problems(item, schema["items"], f"{path}[{index}]"))
    return found


def _object_problems(body, schema, path):
    prefix = path + "." if path else ""
    found = [
        {"field": prefix + name, "message": REQUIRED}
        for name in schema.get("required", ())
        if body.get(name) is None
    ]
    for name, child in schema.get("properties", {}).items():
        if body.get(name) is not None:
            found.extend(schema_problems(body[name], child, prefix + name))
    return found


def _schema_value_problem(value, schema):
    kind = FORMAT_KINDS.get(schema.get("format")) or SCHEMA_KINDS.get(schema.get("type"))
    if kind and not _is_kind(value, kind):
        return INVALID
    if "enum" in schema and not _among(value, schema):
        return INVALID
    if isinstance(value, list):
        most = schema.get("maxItems", schema.get("maximum"))
        return _size_problem(len(value), schema.get("minItems"), most)
    if isinstance(value, str):
        return _size_problem(len(value), schema.get("minLength"), schema.get("maxLength"))
    if kind in ("int", "number"):
        return _range_problem(value, schema.get("minimum"), schema.get("maximum"))
    return None


def _among(value, schema):
    if schema.get(COMMA_SEPARATED) and isinstance(value, str):
        return all(part.strip() in schema["enum"] for part in value.split(","))
    return value in schema["enum"]


def _size_problem(size, least, most):
    if most is not None and size > most:
        return f"Must be at most {most} long."
    if least is not None and size < least:
        return f"Must be at least {least} long."
    return None


def _range_problem(value, least, most):
    if least is not None and value < least:
        return f"Must be at least {least}."
    if most is not None and value > most:
        return f"Must be at most {most}."
    return None


def validate(body, fields, schema=None):
    """Raise ZoomError 300 unless `body` is an object that satisfies the spec's `schema` and `fields`
    (the constraints the spec states only in prose); one error per field."""
    if not isinstance(body, dict):
        raise errors.invalid_json()
    found = {}
    for problem in schema_problems(body, schema or {}) + problems(body, fields):
        found.setdefault(problem["field"], problem)
    if found:
        raise errors.validation_failed(list(found.values()))
    return body
