"""The reader of what strangers post (utils/webhook_input.py), the signer map and the rejection trace:
examples, then properties over inputs Hypothesis generates (ZOOM_FUZZ_EXAMPLES of them, seeded)."""

import json
import os
import time

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from zoom_training.utils.rejections import RejectionTrace
from zoom_training.utils.webhook import (
    EnvelopeError,
    SignatureError,
    SignerMap,
    compute_signature,
    normalize_id,
    parse_envelope,
)
from zoom_training.utils.webhook_input import (
    InputError,
    declared_length,
    escaped,
    json_document,
    nested_within,
    signature_well_formed,
    timestamp_header,
)

from .webhook_strategies import (
    deep_bodies,
    envelope,
    escape_bodies,
    mutated_envelopes,
    random_bodies,
    wide_bodies,
)

EXAMPLES = int(os.environ.get("ZOOM_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


# Examples --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "٣", "9" * 13, "", "12a", "-1", "1.5", None])
def test_a_timestamp_header_is_ascii_digits_of_sane_length(value):
    with pytest.raises(InputError):
        timestamp_header(value)


def test_a_timestamp_header_of_digits_is_read():
    assert timestamp_header(" 1700000000 ") == 1700000000


def test_a_content_length_of_unicode_digits_is_no_length():
    assert declared_length("²") is None
    assert declared_length("12") == 12
    assert declared_length("9" * 40) is None


def test_only_the_shape_of_a_zoom_signature_is_taken():
    assert signature_well_formed("v0=" + "a" * 64)
    for value in ("v0=x", "v0=" + "A" * 64, "v0=" + "a" * 65, "", "v1=" + "a" * 64):
        assert not signature_well_formed(value)


def test_a_hundred_thousand_brackets_are_refused_before_parsing():
    started = time.perf_counter()
    with pytest.raises(InputError) as error:
        json_document(b"[" * 100_000)
    assert error.value.code == "too_deep"
    assert time.perf_counter() - started < 0.1


def test_brackets_inside_strings_do_not_count():
    assert json_document(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}') == {"a": "[" * 40}


@pytest.mark.parametrize(
    "raw", [b'{"a": "\\u0000"}', b'{"\\u0000": 1}', b'{"a": "\\ud800"}', b'{"a": "x\x00"}']
)
def test_nul_and_lone_surrogates_are_refused(raw):
    with pytest.raises(InputError) as error:
        json_document(raw)
    assert error.value.code in ("not_text", "not_json")


def test_a_surrogate_pair_is_text():
    assert json_document(b'{"a": "\\ud83d\\ude00"}') == {"a": "\U0001f600"}


@pytest.mark.parametrize(
    ("slot", "value"),
    [
        (("payload", "account_id"), ["A"]),
        (("payload",), "a string"),
        (("event",), 7),
        (("event_ts",), 1.5),
        (("event_ts",), True),
        (("event_ts",), "²"),
        (("payload", "object"), []),
        (("payload", "object", "id"), {"a": 1}),
        (("payload", "object", "uuid"), "u" * 500),
        (("payload", "object", "participant"), "x"),
        (("download_token",), 12),
    ],
)
def test_an_unexpected_type_in_the_envelope_is_refused(slot, value):
    body = envelope("ACCOUNT")
    parent = body
    for key in slot[:-1]:
        parent = parent[key]
    parent[slot[-1]] = value
    with pytest.raises(EnvelopeError):
        parse_envelope(json.dumps(body))


def test_ids_of_unicode_digits_are_not_numbers():
    assert normalize_id("²") == "²"
    assert normalize_id("00123") == "123"
    assert normalize_id("9" * 5000) == "9" * 5000


def test_escaped_text_is_one_line_and_bounded():
    text = escaped("a\nERROR forged\r\u202e" + "x" * 500, limit=50)
    assert "\n" not in text and "\r" not in text and "\u202e" not in text
    assert len(text) <= 51 + 30


def test_the_signer_map_tries_only_the_configured_account():
    signers = SignerMap(
        webhook=[("ACC", 1, "secret-1"), ("ACC2", 2, "secret-2")], unreadable={"ACC3": "company C"}
    )
    raw = json.dumps(envelope("ACC")).encode()
    signature = compute_signature("secret-1", "1700000000", raw)
    assert signers.signer(parse_envelope(raw), "1700000000", raw, signature).company_id == 1
    with pytest.raises(SignatureError) as error:
        signers.signer(
            parse_envelope(raw), "1700000000", raw, compute_signature("secret-2", "1700000000", raw)
        )
    assert error.value.code == "signature_mismatch"
    for account, code in (("nobody", "unknown_account"), ("ACC3", "secret_unreadable")):
        other = json.dumps(envelope(account)).encode()
        with pytest.raises(SignatureError) as error:
            signers.signer(parse_envelope(other), "1", other, signature)
        assert error.value.code == code
    assert (
        signers.signer_of_anything("1", b"junk", compute_signature("secret-2", "1", b"junk")).company_id == 2
    )


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_flood_is_logged_once_per_interval_with_its_count():
    clock = Clock()
    trace = RejectionTrace(log_seconds=60, write_seconds=10, clock=clock, wall=clock)
    lines = [trace.record("db", "meeting", "stale", "1.2.3.4", b"x", "old").log_line for _ in range(500)]
    assert len([line for line in lines if line]) == 1
    clock.now = 61
    line = trace.record("db", "meeting", "malformed", "5.6.7.8\n", b"evil\nline", "not JSON").log_line
    assert line.startswith("500 Zoom webhooks refused since the last such line")
    assert "malformed 1, stale 499" in line
    assert "\n" not in line


def test_a_flood_is_written_once_per_interval_with_its_count():
    clock = Clock()
    trace = RejectionTrace(log_seconds=60, write_seconds=10, clock=clock, wall=clock)
    tallies = [trace.record("db", "meeting", "stale", "1.2.3.4", b"x").tally for _ in range(300)]
    written = [tally for tally in tallies if tally]
    assert [tally.count for tally in written] == [1]
    clock.now = 11
    tally = trace.record("db", "meeting", "stale", "9.9.9.9", b"last").tally
    assert (tally.count, tally.last_source, tally.last_sample) == (300, "9.9.9.9", "last")
    trace.unwritten("db", "meeting", "stale", tally)
    clock.now = 22
    assert trace.record("db", "meeting", "stale", "1", b"").tally.count == 301


# Properties ------------------------------------------------------------------------------------------


@seed(18)
@FUZZ
@given(st.one_of(mutated_envelopes("ACCOUNT"), deep_bodies, wide_bodies, random_bodies, escape_bodies))
def test_any_body_is_an_envelope_of_bounded_slots_or_an_envelope_error(raw):
    try:
        parsed = parse_envelope(raw)
    except EnvelopeError as error:
        assert error.code and str(error.reason)
        return
    assert isinstance(parsed.payload, dict)
    assert len(parsed.dedupe_key) < 1000
    for text in (parsed.event, parsed.account_id, parsed.object_id, parsed.object_uuid, parsed.dedupe_key):
        assert isinstance(text, str) and "\x00" not in text
        text.encode("utf-8")


@seed(18)
@FUZZ
@given(st.text(max_size=40) | st.binary(max_size=40).map(lambda value: value.decode("latin-1")))
def test_any_header_is_a_timestamp_or_an_input_error(value):
    try:
        seconds = timestamp_header(value)
    except InputError:
        return
    assert 0 <= seconds < 10**12


def _depth(value):
    pending, deepest = [(value, 1)], 0
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, level + 1) for child in children)
    return deepest


json_trees = st.recursive(
    st.none() | st.text(alphabet='[]{}"\\ab', max_size=5),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=40,
)


@seed(18)
@FUZZ
@given(json_trees, st.integers(1, 25))
def test_the_nesting_check_agrees_with_the_parsed_depth(tree, max_depth):
    assert nested_within(json.dumps(tree).encode(), max_depth) == (_depth(tree) <= max_depth)


@seed(18)
@FUZZ
@given(st.text() | st.binary().map(bytes), st.integers(1, 300))
def test_escaped_text_never_spans_lines(value, limit):
    shown = escaped(value, limit)
    assert "\n" not in shown and "\r" not in shown
    assert all(char.isprintable() for char in shown)
