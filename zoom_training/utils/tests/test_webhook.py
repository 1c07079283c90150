"""Webhook signature, URL validation, envelope and dedupe key; the vectors are CONTRACT §5.6's."""

import json

import pytest

from zoom_training.utils.webhook import (
    EnvelopeError,
    SignatureError,
    check_timestamp,
    compute_signature,
    normalize_id,
    parse_envelope,
    signature_matches,
    url_validation_answer,
    verify,
)

SECRET = "sim_webhook_secret_token"
EVENT_BODY = (
    '{"event":"meeting.participant_joined","event_ts":1700000000123,"payload":{"account_id":"AAAAAABBBB",'
    '"object":{"id":"85746065123","uuid":"4444AAAiAAAAAiAiAiiAii==","host_id":"x1yCzABCDEfg23HiJKl4mN",'
    '"topic":"Odoo event","type":2,"start_time":"2023-11-14T22:00:00Z","timezone":"Europe/Brussels",'
    '"duration":60,"participant":{"user_id":"16778240","user_name":"Jill Chill",'
    '"id":"","participant_uuid":"027419D6-2E3C-2861-BCCD-B4F67D41C260","join_time":"2023-11-14T22:13:20Z",'
    '"email":"jchill@example.com","registrant_id":"abcdefghij0-klmnopq23456",'
    '"participant_user_id":""}}}}'
)
SIGNATURE_AT_1700000000 = "v0=6fd569a720c01fea15acb7f1833a969396a622062f42ca3ad6410dcb13d3e5fc"
SIGNATURE_AT_1700000001 = "v0=329ff94dd160e9e5751198dad5d121518ec39b38f8e44316c4e920d4f64b6d02"
VALIDATION_BODY = (
    '{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,'
    '"event":"endpoint.url_validation"}'
)
VALIDATION_SIGNATURE = "v0=b181cb2c4691d4b8344428fd178ab2aa09936b100e9d41050f492c7b0edca9c9"


# §5.6 vectors ----------------------------------------------------------------------------------------


def test_event_signature_vector_a():
    assert len(EVENT_BODY.encode()) == 569
    assert compute_signature(SECRET, "1700000000", EVENT_BODY) == SIGNATURE_AT_1700000000
    assert compute_signature(SECRET, 1700000000, EVENT_BODY.encode()) == SIGNATURE_AT_1700000000


def test_the_timestamp_is_bound_into_the_signature():
    assert compute_signature(SECRET, "1700000001", EVENT_BODY) == SIGNATURE_AT_1700000001
    assert not signature_matches(SECRET, "1700000001", EVENT_BODY, SIGNATURE_AT_1700000000)


def test_url_validation_vector_b():
    assert url_validation_answer(SECRET, "qgg8vlvZRS6UYooatFL8Aw") == {
        "plainToken": "qgg8vlvZRS6UYooatFL8Aw",
        "encryptedToken": "425a79851941dc5ef07516a4497fe026fc4eeec6efc2de2f55ce33c81c1dac4c",
    }
    assert compute_signature(SECRET, "1654503849", VALIDATION_BODY) == VALIDATION_SIGNATURE


def test_url_validation_vector_c_beats():
    answer = url_validation_answer("secretValueTest", "qgg8vlvZRS6UYooatFL8Aw")
    assert answer["encryptedToken"] == "70c1f2e2e6ca2d39297490d1f9142c7d701415ea8e6151f6562a08fa657a40ff"


# Verification ---------------------------------------------------------------------------------------


def test_a_fresh_signed_delivery_verifies():
    verify(SECRET, "1700000000", EVENT_BODY.encode(), SIGNATURE_AT_1700000000, now=1700000100)


@pytest.mark.parametrize(
    "signature",
    [
        "v0=" + "0" * 64,
        SIGNATURE_AT_1700000000.upper(),
        SIGNATURE_AT_1700000000[3:],
        "v1=" + SIGNATURE_AT_1700000000[3:],
        "",
        None,
    ],
)
def test_a_forged_or_missing_signature_is_refused(signature):
    with pytest.raises(SignatureError):
        verify(SECRET, "1700000000", EVENT_BODY, signature, now=1700000000)


def test_another_secret_or_a_changed_body_is_refused():
    with pytest.raises(SignatureError, match="does not match"):
        verify("other secret", "1700000000", EVENT_BODY, SIGNATURE_AT_1700000000, now=1700000000)
    tampered = EVENT_BODY.replace("Jill Chill", "Jill Chilly")
    with pytest.raises(SignatureError, match="does not match"):
        verify(SECRET, "1700000000", tampered, SIGNATURE_AT_1700000000, now=1700000000)


def test_reformatted_json_is_not_the_signed_body():
    reformatted = json.dumps(json.loads(EVENT_BODY), indent=1)
    assert not signature_matches(SECRET, "1700000000", reformatted, SIGNATURE_AT_1700000000)


def test_an_empty_secret_never_verifies():
    assert not signature_matches(
        "", "1700000000", EVENT_BODY, compute_signature("", "1700000000", EVENT_BODY)
    )


@pytest.mark.parametrize("offset", [-301, 301, -86400])
def test_stale_and_future_timestamps_are_refused(offset):
    with pytest.raises(SignatureError, match="old|future"):
        verify(SECRET, "1700000000", EVENT_BODY, SIGNATURE_AT_1700000000, now=1700000000 - offset)


def test_the_tolerance_is_inclusive_and_configurable():
    assert check_timestamp("1700000000", now=1700000300) == 1700000000
    assert check_timestamp("1700000000", now=1699999700) == 1700000000
    with pytest.raises(SignatureError):
        check_timestamp("1700000000", now=1700000061, tolerance=60)


@pytest.mark.parametrize("timestamp", [None, "", "soon", "1700000000.5", "-1"])
def test_a_missing_or_non_numeric_timestamp_is_refused(timestamp):
    with pytest.raises(SignatureError, match="timestamp"):
        check_timestamp(timestamp, now=1700000000)


# Envelope -------------------------------------------------------------------------------------------


def test_the_envelope_of_the_contract_example():
    envelope = parse_envelope(EVENT_BODY.encode())
    assert envelope.event == "meeting.participant_joined"
    assert envelope.event_ts == 1700000000123
    assert envelope.account_id == "AAAAAABBBB"
    assert envelope.object_id == "85746065123"
    assert envelope.participant["registrant_id"] == "abcdefghij0-klmnopq23456"
    assert envelope.dedupe_key == (
        "meeting.participant_joined|4444AAAiAAAAAiAiAiiAii==|027419D6-2E3C-2861-BCCD-B4F67D41C260|1700000000123"
    )


def test_url_validation_envelope():
    envelope = parse_envelope(VALIDATION_BODY)
    assert envelope.is_url_validation
    assert envelope.plain_token == "qgg8vlvZRS6UYooatFL8Aw"


def test_recording_download_token_is_kept():
    body = {
        "event": "recording.completed",
        "event_ts": 1,
        "payload": {"account_id": "A", "object": {"id": 5}},
    }
    envelope = parse_envelope(json.dumps(dict(body, download_token="tok")))
    assert envelope.download_token == "tok"
    assert envelope.object_id == "5"


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"payload": {"account_id": "A"}, "event_ts": 1}', "event"),
        (b'{"event": "meeting.started", "event_ts": 1}', "payload"),
        (b'{"event": "meeting.started", "event_ts": "soon", "payload": {"account_id": "A"}}', "event_ts"),
        (b'{"event": "meeting.started", "event_ts": 1, "payload": {"object": {}}}', "account_id"),
        (
            b'{"event": "meeting.started", "event_ts": 1, "payload": {"account_id": "A", "object": 3}}',
            "object",
        ),
        (b'{"event": "endpoint.url_validation", "event_ts": 1, "payload": {}}', "plainToken"),
    ],
)
def test_a_body_that_is_not_zoom_s_json_is_refused_with_a_reason(raw, reason):
    with pytest.raises(EnvelopeError, match=reason):
        parse_envelope(raw)


# Ids and dedupe -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [85746065123, "85746065123", " 85746065123 ", "085746065123"])
def test_ids_as_int_or_numeric_string_are_the_same(value):
    assert normalize_id(value) == "85746065123"


def test_non_numeric_and_missing_ids():
    assert normalize_id("abc==") == "abc=="
    assert normalize_id(None) == ""
    assert normalize_id(True) == ""


def _envelope(event_ts=1, object_id=5, participant_uuid="P1"):
    body = {
        "event": "meeting.participant_left",
        "event_ts": event_ts,
        "payload": {
            "account_id": "A",
            "object": {"id": object_id, "participant": {"participant_uuid": participant_uuid}},
        },
    }
    return parse_envelope(json.dumps(body))


def test_dedupe_key_is_the_same_for_int_and_string_ids_and_differs_per_person_and_time():
    assert _envelope(object_id=5).dedupe_key == _envelope(object_id="5").dedupe_key
    assert _envelope(participant_uuid="P1").dedupe_key != _envelope(participant_uuid="P2").dedupe_key
    assert _envelope(event_ts=1).dedupe_key != _envelope(event_ts=2).dedupe_key


@pytest.mark.parametrize(
    "raw, sentence",
    [
        (b"[1, 2]", "The body is not a JSON object."),
        (
            b'{"event": 7, "event_ts": 1, "payload": {"account_id": "A"}}',
            "event is not a text of at most 128 characters.",
        ),
        (b'{"event": "", "event_ts": 1, "payload": {"account_id": "A"}}', "The body names no event."),
        (b'{"event": "meeting.started", "event_ts": 1}', "The body has no payload object."),
        (
            b'{"event": "meeting.started", "event_ts": 1.5, "payload": {"account_id": "A"}}',
            "The event time (event_ts) is not a number.",
        ),
        (
            b'{"event": "meeting.started", "event_ts": 1, "payload": {"object": {}}}',
            "The payload names no Zoom account (account_id).",
        ),
        (
            b'{"event": "meeting.started", "event_ts": 1, "payload": {"account_id": "A", "object": 3}}',
            "The payload's object is not a JSON object.",
        ),
        (
            b'{"event": "endpoint.url_validation", "event_ts": 1, "payload": {"plainToken": 5}}',
            "plainToken is not a text of at most 256 characters.",
        ),
    ],
)
def test_the_reason_kept_with_a_refused_body_is_the_whole_sentence(raw, sentence):
    """The reason is what the Zoom administrator reads on the kept delivery: all of it, as written."""
    with pytest.raises(EnvelopeError) as refused:
        parse_envelope(raw)
    assert refused.value.reason == sentence
    assert str(refused.value) == sentence


def test_a_body_that_is_not_json_names_the_parser_s_complaint():
    with pytest.raises(EnvelopeError) as refused:
        parse_envelope(b'{"event": ')
    assert refused.value.reason.startswith("The body is not JSON: Expecting value: line 1 column 11")


@pytest.mark.parametrize(
    "timestamp, reason",
    [
        (1000, "timestamp 400 s old (tolerance 300 s)"),
        (2000, "timestamp 600 s in the future (tolerance 300 s)"),
        ("x", "missing or non-numeric x-zm-request-timestamp"),
    ],
)
def test_a_stale_timestamp_is_refused_with_its_age(timestamp, reason):
    with pytest.raises(SignatureError) as refused:
        check_timestamp(timestamp, now=1400)
    assert refused.value.reason == reason


def test_verify_says_which_part_of_the_signature_failed_and_honours_the_tolerance():
    body = b'{"event": "meeting.started"}'
    signature = compute_signature("secret", 1000, body)
    with pytest.raises(SignatureError) as missing:
        verify("secret", 1000, body, "", now=1000)
    assert missing.value.reason == "missing x-zm-signature"
    with pytest.raises(SignatureError) as forged:
        verify("other secret", 1000, body, signature, now=1000)
    assert forged.value.reason == "signature does not match"
    verify("secret", 1000, body, signature, now=1000 + 3600, tolerance=3600)  # a wider tolerance is used
    with pytest.raises(SignatureError, match="old"):
        verify("secret", 1000, body, signature, now=1000 + 3600)


def _participant_envelope(participant):
    body = {
        "event": "meeting.participant_joined",
        "event_ts": 1,
        "payload": {"account_id": "A", "object": {"uuid": "U==", "id": 5, "participant": participant}},
    }
    return parse_envelope(json.dumps(body))


def _registrant_envelope(registrant_id):
    body = {
        "event": "meeting.registration_created",
        "event_ts": 1,
        "payload": {
            "account_id": "A",
            "object": {"uuid": "U==", "id": 5, "registrant": {"id": registrant_id}},
        },
    }
    return parse_envelope(json.dumps(body))


def test_two_people_in_one_instant_are_two_deliveries_not_one():
    """The dedupe key names the person: by participant_uuid, else by Zoom user id, else the registrant."""
    assert _participant_envelope({"user_id": "16778240"}).dedupe_key == (
        "meeting.participant_joined|U==|16778240|1"
    )
    assert _participant_envelope({"user_id": 16778240}).dedupe_key == (
        _participant_envelope({"user_id": "16778240"}).dedupe_key
    )
    assert (
        _participant_envelope({"user_id": "1"}).dedupe_key
        != _participant_envelope({"user_id": "2"}).dedupe_key
    )
    assert _registrant_envelope("R1").dedupe_key == "meeting.registration_created|U==|R1|1"
    assert _registrant_envelope("R1").dedupe_key != _registrant_envelope("R2").dedupe_key
    assert (
        _participant_envelope({"participant_uuid": "P1"}).dedupe_key == "meeting.participant_joined|U==|P1|1"
    )


def test_a_recording_s_download_token_is_empty_when_zoom_sends_none():
    body = {
        "event": "recording.completed",
        "event_ts": 1,
        "payload": {"account_id": "A", "object": {"id": 5}},
    }
    assert parse_envelope(json.dumps(body)).download_token == ""
