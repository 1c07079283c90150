"""The client against the project's Zoom sandbox, over real HTTP on 127.0.0.1."""

import logging
import threading
from datetime import datetime, timedelta, timezone

import pytest

from zoom_training.utils.budget import RateBudget
from zoom_training.utils.client import ZoomClient
from zoom_training.utils.errors import (
    ZoomAuthError,
    ZoomError,
    ZoomNotFound,
    ZoomRateLimited,
    ZoomScopeError,
    ZoomServerError,
    ZoomUnreachable,
)
from zoom_training.utils.oauth import (
    PLAIN_INVALID_CLIENT,
    PLAIN_UNKNOWN_ACCOUNT,
    CachedTokenSource,
    fetch_s2s_token,
)

from .conftest import SECRET, CountingFetch

HOST = "host@example.com"
MEETING = {"topic": "Odoo training", "type": 2, "start_time": "2026-12-01T09:00:00Z", "duration": 60}


def create_meeting(client, **settings):
    return client.post(f"/users/{HOST}/meetings", json=dict(MEETING, settings=settings))


def token_requests(sandbox):
    return sandbox.requests.count(operation="oauthToken")


# -- OAuth --------------------------------------------------------------------------------------------


def test_token_fetch_gives_scopes_expiry_and_api_url(sandbox):
    before = datetime.now(timezone.utc)
    token = fetch_s2s_token(sandbox.url, "sandbox_account", "sandbox_client_id", SECRET)
    assert token.access_token.startswith("sbx.")
    assert token.api_url == sandbox.url
    assert "meeting:write:admin" in token.scopes
    assert before + timedelta(seconds=3598) <= token.expires_at <= before + timedelta(seconds=3601)


def test_wrong_secret_is_refused_with_a_plain_reason(sandbox):
    with pytest.raises(ZoomAuthError) as caught:
        fetch_s2s_token(sandbox.url, "sandbox_account", "sandbox_client_id", "wrong-secret")
    assert caught.value.plain == PLAIN_INVALID_CLIENT
    assert caught.value.status == 400
    assert "wrong-secret" not in str(caught.value) + repr(caught.value)


def test_unknown_account_is_refused_with_a_plain_reason(sandbox):
    with pytest.raises(ZoomAuthError) as caught:
        fetch_s2s_token(sandbox.url, "someone_else", "sandbox_client_id", SECRET)
    assert caught.value.plain == PLAIN_UNKNOWN_ACCOUNT


def test_token_endpoint_down_is_a_server_error(sandbox):
    sandbox.faults.fail(503, operation="oauthToken", count=1)
    with pytest.raises(ZoomServerError):
        fetch_s2s_token(sandbox.url, "sandbox_account", "sandbox_client_id", SECRET)


def test_cached_token_is_reused_then_renewed_when_less_than_60_s_remain(sandbox):
    fetch = CountingFetch(sandbox)
    now = [datetime.now(timezone.utc)]
    source = CachedTokenSource(fetch, refresh_margin=60, clock=lambda: now[0])
    first = source.get_token()
    now[0] = first.expires_at - timedelta(seconds=61)
    assert source.get_token() is first
    now[0] = first.expires_at - timedelta(seconds=59)
    renewed = source.get_token()
    assert renewed.access_token != first.access_token
    assert fetch.calls == 2


# -- tokens refused by the API ---------------------------------------------------------------------


def test_expired_token_is_renewed_once_and_the_call_replayed(sandbox, make_client, fetch):
    client = make_client()
    meeting = create_meeting(client)
    sandbox.clock.advance(3600)  # the cached token has expired in Zoom's eyes only
    sandbox.requests.clear()
    assert client.get(f"/meetings/{meeting['id']}")["id"] == meeting["id"]
    assert fetch.calls == 2
    assert [entry.status for entry in sandbox.requests.entries if entry.operation == "meeting"] == [401, 200]


def test_revoked_token_is_replaced_by_exactly_one_token_request(sandbox, make_client, fetch, sleep):
    client = make_client()
    meeting = create_meeting(client)
    sandbox.revoke_all_tokens()
    sandbox.requests.clear()
    client.patch(f"/meetings/{meeting['id']}", json={"topic": "Renamed"})
    assert token_requests(sandbox) == 1
    assert sandbox.meeting(meeting["id"]).topic == "Renamed"
    assert sleep.waits == []


def test_token_refused_twice_raises_auth_error(sandbox, make_client):
    sandbox.oauth.token_ttl = 0  # every token is born expired
    client = make_client(source=CachedTokenSource(CountingFetch(sandbox), refresh_margin=0))
    with pytest.raises(ZoomAuthError) as caught:
        client.get("/users/host@example.com")
    assert caught.value.code == 124
    assert token_requests(sandbox) == 2
    assert "activated" in caught.value.plain


def test_two_threads_needing_a_new_token_make_one_token_request(sandbox):
    fetch = CountingFetch(sandbox, pause=0.2)
    source = CachedTokenSource(fetch)
    stale = source.get_token()
    clients = [ZoomClient(source, sleep=lambda _: None) for _ in range(2)]
    sandbox.revoke_all_tokens()
    sandbox.requests.clear()
    start = threading.Barrier(2)
    results, failures = [], []

    def call(client):
        start.wait()
        try:
            results.append(client.get(f"/users/{HOST}")["email"])
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=call, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert failures == []
    assert results == [HOST, HOST]
    assert token_requests(sandbox) == 1
    assert fetch.calls == 2  # the first token, then one renewal
    assert source.get_token().access_token != stale.access_token


def test_missing_scopes_are_named(sandbox, make_client):
    sandbox.oauth.granted_scopes = {"user:read:admin"}
    with pytest.raises(ZoomScopeError) as caught:
        create_meeting(make_client())
    assert caught.value.code == 4711
    assert "meeting:write:admin" in caught.value.missing_scopes
    assert "meeting:write:admin" in caught.value.plain


# -- rate limits ------------------------------------------------------------------------------------


def test_per_second_429_waits_retry_after_then_succeeds(sandbox, make_client, sleep):
    client = make_client()
    sandbox.faults.storm_429(2)
    assert client.get(f"/users/{HOST}")["email"] == HOST
    assert sleep.waits == [1.0, 1.0]
    assert sandbox.requests.count(operation="user") == 3


def test_per_second_429_beyond_the_retries_is_raised(sandbox, make_client, sleep):
    sandbox.faults.storm_429(10)
    with pytest.raises(ZoomRateLimited) as caught:
        make_client(max_retries=2).get(f"/users/{HOST}")
    assert not caught.value.is_daily and caught.value.limit_type == "QPS"
    assert sleep.waits == [1.0, 1.0]


def test_daily_429_is_raised_at_once_with_zoom_instant(sandbox, make_client, sleep):
    sandbox.limits.enabled = True
    sandbox.limits.host_daily_limit = 1
    client = make_client(budget=RateBudget("pro", sleep=sleep))
    create_meeting(client)
    with pytest.raises(ZoomRateLimited) as caught:
        create_meeting(client)
    today = sandbox.clock.now().date()
    assert caught.value.is_daily and caught.value.limit_type == "Daily-limit"
    assert caught.value.retry_at == datetime(
        today.year, today.month, today.day, tzinfo=timezone.utc
    ) + timedelta(1)
    assert caught.value.plain.startswith("Zoom's daily limit is reached; deferred until ")
    assert [wait for wait in sleep.waits if wait > 1] == []
    assert sandbox.requests.count(operation="meetingCreate") == 2
    assert client.get(f"/users/{HOST}")["email"] == HOST, "one host's daily limit is not the account's"


def test_rate_limit_headers_are_recorded(sandbox, make_client):
    sandbox.limits.enabled = True
    client = make_client()
    client.get(f"/users/{HOST}")
    client.get(f"/users/{HOST}")
    assert client.rate_limits["Light"]["type"] == "QPS"
    assert client.rate_limits["Light"]["limit"] == 30


# -- server errors and network faults ----------------------------------------------------------------


def test_5xx_is_retried_with_backoff_then_succeeds(sandbox, make_client, sleep):
    sandbox.faults.fail(500, count=2)
    assert create_meeting(make_client(backoff_base=0.5))["topic"] == MEETING["topic"]
    assert sleep.waits == [0.25, 0.5]  # jitter 0.5 of 0.5 s, then of 1 s
    assert len(sandbox.meetings()) == 1


def test_5xx_beyond_the_retries_raises_server_error(sandbox, make_client, sleep):
    sandbox.faults.fail(503)
    with pytest.raises(ZoomServerError) as caught:
        make_client(max_retries=3).get(f"/users/{HOST}")
    assert caught.value.status == 503 and caught.value.attempts == 4
    assert sleep.waits == [0.25, 0.5, 1.0]


def test_timeout_is_retried_then_unreachable(sandbox, make_client, sleep):
    sandbox.faults.timeout(1.0)
    with pytest.raises(ZoomUnreachable) as caught:
        make_client(timeout=(1, 0.1), max_retries=2).get(f"/users/{HOST}")
    assert caught.value.attempts == 3
    assert len(sleep.waits) == 2
    assert caught.value.reason == "no answer in time"


def test_dropped_connection_is_retried(sandbox, make_client, sleep):
    sandbox.faults.drop(count=1)
    assert make_client().get(f"/users/{HOST}")["email"] == HOST
    assert len(sleep.waits) == 1


def test_unknown_meeting_is_gone(sandbox, make_client):
    with pytest.raises(ZoomNotFound) as caught:
        make_client().get("/meetings/12345678901")
    assert caught.value.gone and caught.value.code == 3001


# -- pagination, uuids, api_url ------------------------------------------------------------------------


def test_pagination_lists_1000_registrants_in_4_pages(sandbox, make_client):
    client = make_client()
    meeting = create_meeting(client, approval_type=0)
    for batch in range(0, 1000, 30):
        people = [
            {"email": f"p{n}@example.com", "first_name": f"P{n}"} for n in range(batch, min(batch + 30, 1000))
        ]
        client.post(
            f"/meetings/{meeting['id']}/batch_registrants", json={"auto_approve": True, "registrants": people}
        )
    sandbox.requests.clear()
    emails = [
        item["email"] for item in client.paginate(f"/meetings/{meeting['id']}/registrants", "registrants")
    ]
    assert len(emails) == 1000 and len(set(emails)) == 1000
    listing = [entry for entry in sandbox.requests.entries if entry.operation == "meetingRegistrants"]
    assert len(listing) == 4
    assert all(entry.query.get("page_size") == "300" for entry in listing)


def test_uuid_with_slashes_reaches_zoom_double_encoded(sandbox, make_client):
    client = make_client()
    uuids = []
    for _ in range(3):
        meeting = create_meeting(client)
        instance = sandbox.start_meeting(meeting["id"])
        sandbox.end_meeting(meeting["id"])
        uuids.append(instance.uuid)
    slashed = [uuid for uuid in uuids if uuid.startswith("/") or "//" in uuid]
    assert slashed, uuids
    for uuid in uuids:
        assert client.get(f"/past_meetings/{ZoomClient.encode_uuid(uuid)}")["uuid"] == uuid


def test_api_url_override_wins_over_the_token(sandbox, scripted, fetch, sleep):
    scripted.default.body = {"from": "override"}
    client = ZoomClient(CachedTokenSource(fetch), api_url=scripted.url, sleep=sleep)
    assert client.get("/users/me") == {"from": "override"}
    assert scripted.api_calls()[0].path == "/v2/users/me"
    assert sandbox.requests.count(operation="user") == 0


# -- secrets stay out of logs and messages ----------------------------------------------------------


def test_secret_and_tokens_never_reach_logs_or_messages(sandbox, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client()
    meeting = create_meeting(client)
    sandbox.revoke_all_tokens()
    client.get(f"/meetings/{meeting['id']}")
    sandbox.oauth.granted_scopes = {"user:read:admin"}
    sandbox.revoke_all_tokens()
    texts = []
    for failing in (
        lambda: create_meeting(client),
        lambda: client.get("/meetings/1"),
        fetch_with_wrong_secret,
    ):
        with pytest.raises(ZoomError) as caught:
            failing(sandbox) if failing is fetch_with_wrong_secret else failing()
        texts += [str(caught.value), repr(caught.value), caught.value.plain]
    token = client._token_source.get_token()
    texts += [str(token), repr(token), repr(client), repr(client._token_source)]
    issued = issued_tokens(sandbox)
    assert len(issued) == 3
    assert "Zoom GET /meetings/" in caplog.text and "-> 401" in caplog.text
    for text in [caplog.text, *texts]:
        assert SECRET not in text
        for value in issued:
            assert value not in text


def issued_tokens(sandbox):
    return [
        entry.response_json["access_token"]
        for entry in sandbox.requests.entries
        if entry.operation == "oauthToken" and entry.status == 200
    ]


def fetch_with_wrong_secret(sandbox):
    fetch_s2s_token(sandbox.url, "sandbox_account", "sandbox_client_id", SECRET + "-wrong")


def test_a_daily_quota_the_headers_say_is_used_up_stops_the_next_call_before_zoom(
    sandbox, make_client, sleep
):
    sandbox.limits.enabled = True
    sandbox.limits.plan = "free"  # Light: 6,000 calls a day, announced in each answer's headers
    sandbox.limits._daily[("Light", sandbox.clock.today())] = 5998
    client = make_client(budget=RateBudget("free", sleep=sleep))
    client.get(f"/users/{HOST}")
    client.get(f"/users/{HOST}")  # the answer says: 0 left today
    sandbox.requests.clear()
    with pytest.raises(ZoomRateLimited) as caught:
        client.get(f"/users/{HOST}")
    assert sandbox.requests.count() == 0, "the call never left"
    assert caught.value.is_daily and caught.value.category == "Light"
    assert caught.value.retry_at.hour == 0 and caught.value.retry_at > datetime.now(timezone.utc)
    assert "daily quota of Light calls is used up" in caught.value.plain
    client.get(f"/users/{HOST}/settings")  # Medium has its own quota: it goes on
