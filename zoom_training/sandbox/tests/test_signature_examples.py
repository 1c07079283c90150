"""CONTRACT §5.6: the worked examples reproduce exactly with the sandbox's own signing and OAuth code.

A at timestamp 1700000000 and B's encryptedToken are held by test_webhooks.py; the rest is here."""

import base64
import hashlib
import json

import requests

from .. import ZoomSandbox
from ..signing import encrypt_token, sign
from ..webhooks import compact_json

SECRET = "sim_webhook_secret_token"

# A. the raw body, exactly one line of 569 bytes
EVENT_BODY = (
    '{"event":"meeting.participant_joined","event_ts":1700000000123,"payload":{"account_id":"AAAAAABBBB",'
    '"object":{"id":"85746065123","uuid":"4444AAAiAAAAAiAiAiiAii==","host_id":"x1yCzABCDEfg23HiJKl4mN",'
    '"topic":"Odoo event","type":2,"start_time":"2023-11-14T22:00:00Z","timezone":"Europe/Brussels",'
    '"duration":60,"participant":{"user_id":"16778240","user_name":"Jill Chill",'
    '"id":"","participant_uuid":"027419D6-2E3C-2861-BCCD-B4F67D41C260","join_time":"2023-11-14T22:13:20Z",'
    '"email":"jchill@example.com","registrant_id":"abcdefghij0-klmnopq23456",'
    '"participant_user_id":""}}}}'
)
EVENT_BODY_SHA256 = "fa659786db571e6746ab3fa02fe1fe54f69d0ccca64a8c03b244f04d2aad1e57"

# B. URL validation
PLAIN_TOKEN = "qgg8vlvZRS6UYooatFL8Aw"
VALIDATION_BODY = (
    '{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,'
    '"event":"endpoint.url_validation"}'
)


def test_example_body_is_the_contract_s():
    assert len(EVENT_BODY.encode()) == 569
    assert hashlib.sha256(EVENT_BODY.encode()).hexdigest() == EVENT_BODY_SHA256


def test_a_header_text_and_raw_bytes_sign_alike():
    assert sign(SECRET, "1700000001", EVENT_BODY.encode()) == sign(SECRET, 1700000001, EVENT_BODY)


def test_a_timestamp_is_bound_into_the_signature():
    assert sign(SECRET, 1700000001, EVENT_BODY) == (
        "v0=329ff94dd160e9e5751198dad5d121518ec39b38f8e44316c4e920d4f64b6d02"
    )


def test_a_the_sandbox_serialises_events_as_the_signed_bytes():
    assert compact_json(json.loads(EVENT_BODY)) == EVENT_BODY


def test_b_url_validation_request_signature():
    assert sign(SECRET, 1654503849, VALIDATION_BODY) == (
        "v0=b181cb2c4691d4b8344428fd178ab2aa09936b100e9d41050f492c7b0edca9c9"
    )


def test_c_beats_vector():
    assert encrypt_token("secretValueTest", PLAIN_TOKEN) == (
        "70c1f2e2e6ca2d39297490d1f9142c7d701415ea8e6151f6562a08fa657a40ff"
    )


def test_d_basic_header_is_accepted_by_the_token_endpoint():
    header = "Basic c2ltX2NsaWVudF9pZDpzaW1fY2xpZW50X3NlY3JldA=="
    assert header == "Basic " + base64.b64encode(b"sim_client_id:sim_client_secret").decode()
    with ZoomSandbox(
        client_id="sim_client_id", client_secret="sim_client_secret", account_id="sim_account"
    ) as sandbox:
        params = {"grant_type": "account_credentials", "account_id": "sim_account"}
        answer = requests.post(
            sandbox.oauth_url, params=params, headers={"Authorization": header}, timeout=10
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["token_type"] == "bearer"
        wrong = {"Authorization": "Basic " + base64.b64encode(b"sim_client_id:wrong").decode()}
        refused = requests.post(sandbox.oauth_url, params=params, headers=wrong, timeout=10)
        assert (refused.status_code, refused.json()["error"]) == (400, "invalid_client")
