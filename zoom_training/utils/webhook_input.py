"""What a stranger may send to a webhook URL, read without trusting it: headers, body, JSON.

Every reader here either returns a value of the expected type and size or raises InputError; none of them
recurses, allocates more than the input's size, or lets through text PostgreSQL would refuse (NUL, lone
surrogates). The intake (models/zoom_webhook_intake.py) uses them for both the fast path and Odoo's routes.
"""

import json
import re

from .plain import _lt

MAX_TIMESTAMP_DIGITS = 12  # unix seconds until the year 33658
MAX_LENGTH_DIGITS = 15
MAX_JSON_DEPTH = 20  # Zoom's deepest envelope (recording files) is 5 levels
SIGNATURE_PATTERN = re.compile(r"v0=[0-9a-f]{64}\Z")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = bytes(sorted(set(range(256)) - set(b"[]{}")))
_ONE_KIND_OF_BRACKET = bytes.maketrans(b"{}", b"[]")
# An escape that may decode to text PostgreSQL refuses: NUL, or half of a surrogate pair.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
SAMPLE_CHARS = 200


class InputError(ValueError):
    """Input refused; `code` names the kind (for counters), `reason` says it in plain words."""

    def __init__(self, code, reason):
        super().__init__(reason)
        self.code, self.reason = code, reason


def ascii_digits(value, max_digits):
    """`value` (a header's text) as an int when it is 1 to `max_digits` ASCII digits, else None.
    str.isdigit alone takes '²' and other Unicode digits, which int() then refuses."""
    text = (value or "").strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def declared_length(value):
    """A Content-Length header as an int, or None when absent or not a plain number."""
    return ascii_digits(value, MAX_LENGTH_DIGITS)


def timestamp_header(value):
    """x-zm-request-timestamp as unix seconds; InputError when present but not a sane number."""
    seconds = ascii_digits(value, MAX_TIMESTAMP_DIGITS)
    if seconds is None:
        raise InputError("bad_timestamp", "x-zm-request-timestamp is not 1 to 12 ASCII digits")
    return seconds


def signature_well_formed(value):
    """Whether x-zm-signature has the shape of one Zoom computes (`v0=` and 64 hex digits)."""
    return bool(value) and len(value) <= 67 and bool(SIGNATURE_PATTERN.match(value))


def json_document(raw_body, max_depth=MAX_JSON_DEPTH):
    """The body's JSON: UTF-8, nested at most `max_depth` deep (checked before parsing, so that a body of
    100,000 `[` is refused, not recursed into), without NUL or lone surrogates in any string."""
    raw = raw_body if isinstance(raw_body, bytes) else str(raw_body).encode("utf-8", "surrogatepass")
    if b"\x00" in raw:
        raise InputError("not_text", _lt("The body contains a NUL byte."))
    try:
        text = raw.decode("utf-8")  # first: random bytes fail here at once
        if not nested_within(raw, max_depth):
            raise InputError(
                "too_deep", _lt("The body is not JSON nested at most %(depth)s deep.", depth=max_depth)
            )
        document = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        if isinstance(error, InputError):
            raise
        raise InputError(
            "not_json", _lt("The body is not JSON: %(error)s", error=escaped(str(error)))
        ) from error
    if _SUSPECT_ESCAPE.search(raw) and not _storable_text(document):
        raise InputError("not_text", _lt("The body contains a NUL character or an unpaired surrogate."))
    return document


def nested_within(raw, max_depth):
    """Whether the brackets of `raw` (strings left out) nest at most `max_depth` deep. Each pass of C-speed
    replaces removes the innermost pairs, and a run of more than `max_depth` openers ends the check, so a
    megabyte of any shape costs a few milliseconds. Brackets that do not balance are left to the parser."""
    if raw.count(b"[") + raw.count(b"{") <= max_depth:
        return True
    brackets = _JSON_STRING.sub(b"", raw).translate(_ONE_KIND_OF_BRACKET, _NOT_A_BRACKET)
    too_deep = b"[" * (max_depth + 1)
    for _level in range(max_depth):
        if too_deep in brackets:
            return False
        inner_removed = brackets.replace(b"[]", b"")
        if inner_removed == brackets:
            return True
        brackets = inner_removed
    return not brackets


def _storable_text(document):
    """No string (key or value) holds NUL or a lone surrogate; walks without recursion."""
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str) and not _storable(value):
            return False
    return True


def _storable(text):
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def bounded_text(value, max_chars, code, what):
    """`value` when it is a string of at most `max_chars` storable characters, "" when absent."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or len(value) > max_chars or not _storable(value):
        raise InputError(
            code, _lt("%(what)s is not a text of at most %(max)s characters.", what=what, max=max_chars)
        )
    return value


def bounded_id(value, max_chars, code, what):
    """A Zoom object id, which Zoom sends as int or string: its text, "" when absent."""
    if value is None or value == "":
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**max_chars:
        return str(value)
    return bounded_text(value, max_chars, code, what)


def bounded_dict(value, code, what):
    """A JSON object, or {} when absent."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(code, _lt("%(what)s is not a JSON object.", what=what))
    return value


def escaped(value, limit=SAMPLE_CHARS):
    """Attacker text as one safe line: at most `limit` characters, control and invisible characters escaped,
    so that it can neither forge log lines nor hide what it is."""
    if isinstance(value, bytes):
        value = value[: limit * 4].decode("utf-8", "replace")
    text = str(value)
    shown = repr(text[:limit])[1:-1]
    return shown + "…" if len(text) > limit else shown
