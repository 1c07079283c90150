"""Wire details and answers the sandbox has no knob for, against a scripted server on 127.0.0.1."""

import base64
import logging
import socket
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

import pytest

from zoom_training.utils.client import ZoomClient
from zoom_training.utils.errors import (
    ZoomAuthError,
    ZoomError,
    ZoomRateLimited,
    ZoomServerError,
    ZoomUnreachable,
)
from zoom_training.utils.oauth import (
    DEFAULT_API_URL,
    PLAIN_UNSUPPORTED_GRANT,
    S2SToken,
    fetch_s2s_token,
)

from .scripted_server import Reply, token_reply

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=timezone.utc)


class FixedTokenSource:
    def __init__(self, api_url, access_token="tok-1"):
        self.token = S2SToken(access_token, NOW + timedelta(hours=1), frozenset(), api_url)
        self.refreshed = 0

    def get_token(self):
        return self.token

    def refresh_token(self, stale):
        self.refreshed += 1
        self.token = S2SToken(f"tok-{self.refreshed + 1}", stale.expires_at, stale.scopes, stale.api_url)
        return self.token


@pytest.fixture
def client(scripted, sleep):
    return ZoomClient(FixedTokenSource(scripted.url), sleep=sleep, jitter=lambda: 0.5, clock=lambda: NOW)


def closed_port_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# -- token request ----------------------------------------------------------------------------------


def test_token_request_is_a_form_post_with_basic_auth(scripted):
    scripted.queue_tokens(
        token_reply("abc", expires_in=3599, scope="a:b c:d", api_url="https://api-eu.zoom.us")
    )
    token = fetch_s2s_token(scripted.url, "acc-1", "sim_client_id", "sim_client_secret", now=NOW)
    sent = scripted.token_requests[0]
    assert (sent.method, sent.path, sent.query) == ("POST", "/oauth/token", {})
    assert sent.headers["Authorization"] == "Basic c2ltX2NsaWVudF9pZDpzaW1fY2xpZW50X3NlY3JldA=="
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(sent.body.decode()) == {"grant_type": ["account_credentials"], "account_id": ["acc-1"]}
    assert token == S2SToken(
        "abc", NOW + timedelta(seconds=3599), frozenset({"a:b", "c:d"}), "https://api-eu.zoom.us"
    )


def test_token_url_may_already_end_with_the_token_path(scripted):
    fetch_s2s_token(scripted.url + "/oauth/token/", "acc", "id", "secret")
    assert scripted.token_requests[0].path == "/oauth/token"


def test_token_without_api_url_uses_the_global_api(scripted):
    scripted.queue_tokens(token_reply("abc"))
    assert fetch_s2s_token(scripted.url, "acc", "id", "secret").api_url == DEFAULT_API_URL


def test_unsupported_grant_type_is_explained(scripted):
    body = {"reason": "unsupported grant type", "error": "unsupported_grant_type"}
    scripted.queue_tokens(Reply(400, body))
    with pytest.raises(ZoomAuthError) as caught:
        fetch_s2s_token(scripted.url, "acc", "id", "secret")
    assert caught.value.plain == PLAIN_UNSUPPORTED_GRANT


def test_token_endpoint_unreachable(scripted):
    with pytest.raises(ZoomUnreachable):
        fetch_s2s_token(closed_port_url(), "acc", "id", "secret", timeout=(1, 1))


def test_token_repr_hides_the_token():
    token = S2SToken("very-secret-token", NOW, frozenset({"x"}), DEFAULT_API_URL)
    assert "very-secret-token" not in repr(token) + str(token)
    assert token.expires_within(60, now=NOW - timedelta(seconds=59))
    assert not token.expires_within(60, now=NOW - timedelta(seconds=61))


# -- calls --------------------------------------------------------------------------------------------


def test_call_goes_to_the_token_api_url_with_a_bearer_token(client, scripted):
    scripted.queue(Reply(200, {"id": 1}))
    assert client.get("/meetings/1", params={"occurrence_id": "9"}) == {"id": 1}
    sent = scripted.api_calls()[0]
    assert (sent.method, sent.path, sent.query) == ("GET", "/v2/meetings/1", {"occurrence_id": "9"})
    assert sent.headers["Authorization"] == "Bearer tok-1"


def test_no_content_is_none(client, scripted):
    scripted.queue(Reply(204))
    assert client.patch("/meetings/1", json={"topic": "x"}) is None


def test_an_api_url_with_v2_is_not_doubled(scripted, sleep):
    client = ZoomClient(FixedTokenSource("https://api.zoom.us"), api_url=scripted.url + "/v2/", sleep=sleep)
    client.delete("/meetings/1")
    assert scripted.api_calls()[0].path == "/v2/meetings/1"


def test_uuid_is_double_encoded_on_the_wire(client, scripted):
    client.get(f"/past_meetings/{ZoomClient.encode_uuid('/ajXp112QmuoKj4854875==')}")
    client.get(f"/past_meetings/{ZoomClient.encode_uuid('ab//cd+ef==')}")
    client.get(f"/past_meetings/{ZoomClient.encode_uuid('aDYlohsHRtCd4ii1uC2+hA==')}")
    assert [call.path for call in scripted.api_calls()] == [
        "/v2/past_meetings/%252FajXp112QmuoKj4854875%253D%253D",
        "/v2/past_meetings/ab%252F%252Fcd%252Bef%253D%253D",
        "/v2/past_meetings/aDYlohsHRtCd4ii1uC2%2BhA%3D%3D",
    ]


def test_success_that_is_not_json_is_an_error(client, scripted):
    scripted.queue(Reply(200, b"<html>proxy</html>"))
    with pytest.raises(ZoomError) as caught:
        client.get("/x")
    assert caught.value.status == 200 and "not JSON" in str(caught.value)


# -- token refused ------------------------------------------------------------------------------------


def test_code_124_renews_the_token_once_and_replays(client, scripted):
    scripted.queue(
        Reply(401, {"code": 124, "message": "Access token has expired."}), Reply(200, {"ok": True})
    )
    assert client.get("/users/me") == {"ok": True}
    assert [call.headers["Authorization"] for call in scripted.api_calls()] == [
        "Bearer tok-1",
        "Bearer tok-2",
    ]


def test_other_401_is_not_replayed(client, scripted):
    scripted.queue(Reply(401, {"code": 4700, "message": "Token cannot be empty."}))
    with pytest.raises(ZoomAuthError):
        client.get("/users/me")
    assert len(scripted.api_calls()) == 1


# -- rate limits ------------------------------------------------------------------------------------


def test_documented_daily_limit_is_raised_without_waiting(client, scripted, sleep):
    headers = {
        "X-RateLimit-Category": "Heavy",
        "X-RateLimit-Type": "Daily-limit",
        "X-RateLimit-Limit": "30000",
        "X-RateLimit-Remaining": "0",
        "Retry-After": "2026-11-24T00:00:00Z",
    }
    scripted.queue(
        Reply(429, {"code": 429, "message": "You have reached the maximum daily rate limit."}, headers)
    )
    with pytest.raises(ZoomRateLimited) as caught:
        client.post("/meetings/1/batch_registrants", json={"registrants": []})
    assert caught.value.retry_at == datetime(2026, 11, 24, tzinfo=timezone.utc)
    assert caught.value.category == "Heavy"
    assert caught.value.plain == "Zoom's daily limit is reached; deferred until 2026-11-24 00:00 UTC."
    assert sleep.waits == [] and len(scripted.api_calls()) == 1
    assert client.rate_limits["Heavy"] == {"limit": 30000, "remaining": 0, "type": "Daily-limit"}


def test_per_registrant_limit_without_headers_is_deferred_to_midnight(client, scripted, sleep):
    message = (
        "You have exceeded the daily rate limit of (3) for Add a webinar registrant API requests for the "
        "registrant (user@example.com). You can resume these API requests at GMT 00:00:00."
    )
    scripted.queue(Reply(429, {"code": 429, "message": message}, {"x-ratelimit-limit": "3"}))
    with pytest.raises(ZoomRateLimited) as caught:
        client.post("/webinars/1/registrants", json={"email": "user@example.com"})
    assert caught.value.is_daily
    assert caught.value.retry_at == datetime(2026, 11, 24, tzinfo=timezone.utc)
    assert sleep.waits == []


def test_long_retry_after_is_bounded(client, scripted, sleep):
    scripted.queue(Reply(429, {"code": 429, "message": "per-second"}, {"Retry-After": "120"}), Reply(200, {}))
    client.get("/x")
    assert sleep.waits == [60]


def test_per_second_429_without_retry_after_backs_off(client, scripted, sleep):
    scripted.queue(Reply(429, {"code": 4001, "message": "per-second"}), Reply(200, {}))
    client.get("/x")
    assert sleep.waits == [0.25]


# -- retries and unsafe calls -------------------------------------------------------------------------


def test_post_is_retried_on_5xx_by_default(client, scripted, sleep):
    scripted.queue(Reply(502), Reply(201, {"registrant_id": "r1"}))
    assert client.post("/meetings/1/registrants", json={"email": "a@example.com"}) == {"registrant_id": "r1"}
    assert len(scripted.api_calls()) == 2


def test_post_marked_unsafe_is_not_retried_on_5xx(client, scripted, sleep):
    scripted.queue(Reply(500, {"code": 500, "message": "Internal error"}), Reply(201, {}))
    with pytest.raises(ZoomServerError) as caught:
        client.post("/users/me/meetings", json={"topic": "x"}, retry_unsafe=False)
    assert caught.value.attempts == 1 and sleep.waits == []


def test_post_marked_unsafe_is_not_retried_on_dropped_connection(client, scripted, sleep):
    scripted.queue(Reply(drop=True), Reply(201, {}))
    with pytest.raises(ZoomUnreachable):
        client.post("/users/me/meetings", json={"topic": "x"}, retry_unsafe=False)
    assert len(scripted.api_calls()) == 1


def test_post_marked_unsafe_is_retried_after_a_per_second_429(client, scripted, sleep):
    scripted.queue(
        Reply(429, {"code": 429, "message": "per-second"}, {"Retry-After": "1"}), Reply(201, {"id": 5})
    )
    assert client.post("/users/me/meetings", json={"topic": "x"}, retry_unsafe=False) == {"id": 5}


def test_dropped_connections_are_retried_then_unreachable(client, scripted, sleep):
    scripted.default = Reply(drop=True)
    with pytest.raises(ZoomUnreachable) as caught:
        client.get("/x")
    assert caught.value.attempts == 4 and sleep.waits == [0.25, 0.5, 1.0]


def test_refused_connection_is_unreachable(sleep):
    client = ZoomClient(FixedTokenSource(closed_port_url()), sleep=sleep, max_retries=1)
    with pytest.raises(ZoomUnreachable) as caught:
        client.get("/x")
    assert caught.value.attempts == 2
    assert "could not be reached" in caught.value.plain


def test_html_5xx_gives_a_server_error(client, scripted):
    scripted.default = Reply(504, b"<html>Gateway Timeout</html>")
    with pytest.raises(ZoomServerError) as caught:
        client.get("/x")
    assert caught.value.status == 504 and caught.value.code is None


def test_backoff_is_capped(scripted, sleep):
    scripted.default = Reply(500)
    client = ZoomClient(
        FixedTokenSource(scripted.url),
        max_retries=6,
        backoff_base=1,
        backoff_max=4,
        sleep=sleep,
        jitter=lambda: 1,
    )
    with pytest.raises(ZoomServerError):
        client.get("/x")
    assert sleep.waits == [1, 2, 4, 4, 4, 4]


# -- pagination -----------------------------------------------------------------------------------------


def test_pagination_ends_on_absent_or_empty_token(client, scripted):
    scripted.queue(
        Reply(200, {"registrants": [{"id": 1}], "next_page_token": "t1"}),
        Reply(200, {"registrants": [{"id": 2}], "next_page_token": ""}),
        Reply(200, {"participants": [{"id": 3}]}),
    )
    assert [item["id"] for item in client.paginate("/meetings/1/registrants", "registrants")] == [1, 2]
    assert [item["id"] for item in client.paginate("/report/meetings/1/participants", "participants")] == [3]
    first, second, third = scripted.api_calls()
    assert first.query == {"page_size": "300"}
    assert second.query == {"page_size": "300", "next_page_token": "t1"}
    assert third.query == {"page_size": "300"}


def test_pagination_refuses_a_repeated_token(client, scripted):
    scripted.default = Reply(200, {"registrants": [{"id": 1}], "next_page_token": "same"})
    with pytest.raises(ZoomError):
        list(client.paginate("/meetings/1/registrants", "registrants"))


# -- logs ------------------------------------------------------------------------------------------------


def test_calls_are_logged_without_the_token(client, scripted, caplog):
    caplog.set_level(logging.DEBUG, logger="zoom_training")
    scripted.queue(
        Reply(404, {"code": 3001, "message": "Meeting does not exist: 1."}, {"x-zm-trackingid": "rid"})
    )
    with pytest.raises(ZoomError):
        client.get("/meetings/1")
    assert "Zoom GET /meetings/1 -> 404 in" in caplog.text
    assert "(code 3001) [rid]" in caplog.text
    assert "tok-1" not in caplog.text


def test_token_request_is_logged_without_secret_or_token(scripted, caplog):
    caplog.set_level(logging.DEBUG)
    scripted.queue_tokens(token_reply("the-access-token"))
    fetch_s2s_token(scripted.url, "acc", "the-client-id", "the-client-secret")
    assert "/oauth/token -> 200" in caplog.text
    basic = base64.b64encode(b"the-client-id:the-client-secret").decode()
    for secret in ("the-client-secret", "the-access-token", basic):
        assert secret not in caplog.text
