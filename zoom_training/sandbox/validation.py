"""Checks of request bodies, answering Zoom's 400 code 300 "Validation Failed." with `errors[]`."""

import re
from dataclasses import dataclass
from datetime import datetime

from . import errors

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
REQUIRED = "This field is required."
INVALID = "Invalid field."


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # str, int, bool, object, array, datetime, email
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
    if not _is_kind(value, spec.kind):
        return INVALID
    too_long = spec.max_length is not None and len(value) > spec.max_length
    too_many = spec.max_items is not None and len(value) > spec.max_items
    if too_long or too_many:
        return f"Must be at most {spec.max_length or spec.max_items} long."
    if (spec.minimum is not None and value < spec.minimum) or (
        spec.maximum is not None and value > spec.maximum
    ):
        return f"Must be between {spec.minimum} and {spec.maximum}."
    if spec.choices is not None and value not in spec.choices:
        return INVALID
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


def validate(body, fields):
    """Raise ZoomError 300 unless `body` is an object that satisfies `fields`."""
    if not isinstance(body, dict):
        raise errors.invalid_json()
    found = problems(body, fields)
    if found:
        raise errors.validation_failed(found)
    return body
