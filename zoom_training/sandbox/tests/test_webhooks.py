"""Webhooks: Zoom's signature, deliveries on a background queue, typed ids, retries, URL validation,
and dropped, duplicated and reordered deliveries."""

import hashlib
import hmac
import json
import time

from ..signing import encrypt_token, sign

EXAMPLE_SECRET = "sim_webhook_secret_token"
EXAMPLE_A = (
    '{"event":"meeting.participant_joined","event_ts":1700000000123,"payload":{"account_id":"AAAAAABBBB",'
    '"object":{"id":"85746065123","uuid":"4444AAAiAAAAAiAiAiiAii==","host_id":"x1yCzABCDEfg23HiJKl4mN",'
    '"topic":"Odoo event","type":2,"start_time":"2023-11-14T22:00:00Z","timezone":"Europe/Brussels",'
    '"duration":60,"participant":{"user_id":"16778240","user_name":"Jill Chill","id":"",'
    '"participant_uuid":"027419D6-2E3C-2861-BCCD-B4F67D41C260","join_time":"2023-11-14T22:13:20Z",'
    '"email":"jchill@example.com","registrant_id":"abcdefghij0-klmnopq23456","participant_user_id":""}}}}'
)


def test_contract_worked_examples():
    assert sign(EXAMPLE_SECRET, "1700000000", EXAMPLE_A) == (
        "v0=6fd569a720c01fea15acb7f1833a969396a622062f42ca3ad6410dcb13d3e5fc"
    )
    assert encrypt_token(EXAMPLE_SECRET, "qgg8vlvZRS6UYooatFL8Aw") == (
        "425a79851941dc5ef07516a4497fe026fc4eeec6efc2de2f55ce33c81c1dac4c"
    )


def verify(headers, raw, secret="sandbox_webhook_secret"):
    message = f"v0:{headers['x-zm-request-timestamp']}:{raw.decode()}"
    expected = "v0=" + hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["x-zm-signature"])


def test_api_change_is_delivered_signed(hooked, client, receiver):
    meeting = client.create_meeting()
    assert hooked.webhooks.wait_idle()
    headers, raw = receiver.received[0]
    headers = {k.lower(): v for k, v in headers.items()}
    assert verify(headers, raw)
    assert headers["user-agent"] == "Zoom Marketplace/1.0a"
    assert headers["x-zm-trackingid"]
    assert len(headers["x-zm-request-timestamp"]) == 10
    event = json.loads(raw)
    assert raw.decode() == json.dumps(event, separators=(",", ":"))
    assert event["event"] == "meeting.created"
    assert event["payload"]["object"]["id"] == meeting["id"]
    assert event["payload"]["account_id"] == "sandbox_account"
    attempt = hooked.webhooks.deliveries[0]
    assert (attempt.event, attempt.url, attempt.status, attempt.attempt) == (
        "meeting.created",
        receiver.url,
        200,
        1,
    )
    assert attempt.latency >= 0


def test_update_sends_changed_and_old_values(hooked, client, receiver):
    meeting_id = client.create_meeting(topic="Before")["id"]
    client.patch(f"/meetings/{meeting_id}", json={"topic": "After"})
    client.delete(f"/meetings/{meeting_id}")
    hooked.webhooks.wait_idle()
    events = [json.loads(raw) for _, raw in receiver.received]
    assert [e["event"] for e in events] == ["meeting.created", "meeting.updated", "meeting.deleted"]
    updated = events[1]["payload"]
    assert (updated["object"]["topic"], updated["old_object"]["topic"]) == ("After", "Before")
    assert updated["object"]["id"] == meeting_id


def test_registration_events(hooked, client, receiver):
    meeting_id = client.registration_meeting(approval_type=1)["id"]
    registrant_id = client.post(
        f"/meetings/{meeting_id}/registrants", json={"email": "a@example.com", "first_name": "A"}
    ).json()["registrant_id"]
    base = f"/meetings/{meeting_id}/registrants/status"
    for action in ("approve", "cancel", "approve", "deny"):
        client.put(base, json={"action": action, "registrants": [{"id": registrant_id}]})
    hooked.webhooks.wait_idle()
    assert receiver.events()[1:] == [
        "meeting.registration_created",
        "meeting.registration_approved",
        "meeting.registration_cancelled",
        "meeting.registration_approved",
        "meeting.registration_denied",
    ]
    created = json.loads(receiver.received[1][1])["payload"]["object"]
    assert (created["registrant"]["status"], created["registrant"]["id"]) == ("pending", registrant_id)


def test_meeting_life_events_and_id_types(hooked, client, receiver):
    meeting_id = client.registration_meeting()["id"]
    registrant = client.register(meeting_id, "jill@example.com", "Jill")
    hooked.start_meeting(meeting_id)
    jill = hooked.join(meeting_id, "Jill", "jill@example.com", join_url=registrant["join_url"])
    hooked.leave(meeting_id, jill)
    hooked.end_meeting(meeting_id)
    hooked.complete_recording(meeting_id)
    hooked.webhooks.wait_idle()
    events = {e["event"]: e for e in (json.loads(raw) for _, raw in receiver.received)}
    for name in (
        "meeting.started",
        "meeting.participant_joined",
        "meeting.participant_left",
        "meeting.ended",
    ):
        assert events[name]["payload"]["object"]["id"] == str(meeting_id)
    assert (
        events["meeting.participant_joined"]["payload"]["object"]["participant"]["registrant_id"]
        == registrant["registrant_id"]
    )
    recording = events["recording.completed"]
    assert recording["payload"]["object"]["id"] == meeting_id
    assert recording["download_token"]


def test_webinar_events_go_to_the_webinar_endpoint(hooked, client, receiver):
    hooked.webhooks.webinar_url = receiver.url + "/webinar"
    client.create_webinar()
    client.create_meeting()
    hooked.webhooks.wait_idle()
    urls = {d.event: d.url for d in hooked.webhooks.deliveries}
    assert urls == {"webinar.created": receiver.url + "/webinar", "meeting.created": receiver.url}


def test_failed_delivery_is_retried_on_zoom_schedule(hooked, client, receiver):
    hooked.webhooks.time_scale = 1.0
    receiver.statuses = [500, 503]
    client.create_meeting()
    hooked.webhooks.wait_idle()
    assert [d.status for d in hooked.webhooks.deliveries] == [500]
    hooked.clock.advance(5 * 60)
    hooked.webhooks.wait_idle()
    hooked.clock.advance(20 * 60)
    hooked.webhooks.wait_idle()
    assert [(d.attempt, d.status) for d in hooked.webhooks.deliveries] == [(1, 500), (2, 503), (3, 200)]
    assert hooked.webhooks.pending() == []


def test_gives_up_after_three_retries(hooked, client, receiver):
    hooked.webhooks.time_scale = 1.0
    receiver.statuses = [500] * 10
    client.create_meeting()
    for minutes in (0, 5, 20, 60):
        hooked.clock.advance(minutes * 60)
        hooked.webhooks.wait_idle()
    assert [d.attempt for d in hooked.webhooks.deliveries] == [1, 2, 3, 4]
    assert hooked.webhooks.pending() == []


def test_retry_delays_shrink_with_the_time_scale(hooked, client, receiver):
    receiver.statuses = [500]
    client.create_meeting()
    hooked.webhooks.wait_idle()
    assert hooked.webhooks.pending()
    assert hooked.webhooks.wait_for_attempts(2, timeout=2)
    assert [d.status for d in hooked.webhooks.deliveries] == [500, 200]


def test_slow_answer_counts_as_failure(hooked, client, receiver):
    hooked.webhooks.timeout = 0.1
    receiver.delay = 0.3
    client.create_meeting()
    hooked.webhooks.wait_idle()
    first = hooked.webhooks.deliveries[0]
    assert first.status is None and "Timeout" in first.error


def test_url_validation_checks_the_encrypted_token(hooked, receiver):
    receiver.secret = "sandbox_webhook_secret"
    result = hooked.webhooks.validate_url()
    assert result.ok and result.status == 200
    headers, raw = receiver.received[0]
    assert json.loads(raw)["event"] == "endpoint.url_validation"
    assert verify({k.lower(): v for k, v in headers.items()}, raw)
    receiver.secret = "wrong"
    assert not hooked.webhooks.validate_url().ok


def test_dropped_duplicated_and_reordered_deliveries(hooked, client, receiver):
    hooked.webhooks.drop_next(1)
    client.create_meeting(topic="dropped")
    hooked.webhooks.duplicate_next(1)
    client.create_meeting(topic="twice")
    hooked.webhooks.reorder_next(2)
    client.create_meeting(topic="first")
    client.create_meeting(topic="second")
    hooked.webhooks.wait_idle()
    topics = [json.loads(raw)["payload"]["object"]["topic"] for _, raw in receiver.received]
    assert topics == ["twice", "twice", "second", "first"]
    assert hooked.webhooks.dropped == ["meeting.created"]
    assert len(hooked.webhooks.events) == 4


def test_no_delivery_inside_the_api_request(hooked, client, receiver):
    receiver.delay = 0.5
    started = time.monotonic()
    client.create_meeting()
    assert time.monotonic() - started < 0.4
    hooked.webhooks.wait_idle()
    assert len(hooked.webhooks.deliveries) == 1
