from datetime import datetime, timedelta, timezone

import pytest

from zoom_training.sandbox import ZoomSandbox
from zoom_training.utils.breaker import CircuitBreaker, ZoomCircuitOpen
from zoom_training.utils.client import ZoomClient
from zoom_training.utils.errors import ZoomNotFound, ZoomServerError
from zoom_training.utils.oauth import CachedTokenSource


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def sandbox():
    with ZoomSandbox(rate_limits=False) as running:
        yield running


def client_for(sandbox, breaker):
    tokens = CachedTokenSource.for_credentials(
        sandbox.url, sandbox.account_id, sandbox.client_id, sandbox.client_secret
    )
    return ZoomClient(tokens, breaker=breaker, max_retries=0, sleep=lambda _seconds: None)


def test_repeated_failures_pause_calls_without_sending_them(sandbox):
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, cooling_seconds=60, clock=clock)
    client = client_for(sandbox, breaker)
    sandbox.faults.fail(503, operation="user")
    for _attempt in range(3):
        with pytest.raises(ZoomServerError):
            client.get("/users/me")
    calls_before = sandbox.requests.count(operation="user")
    with pytest.raises(ZoomCircuitOpen) as paused:
        client.get("/users/me")
    assert sandbox.requests.count(operation="user") == calls_before
    assert paused.value.retry_at == clock.now + timedelta(seconds=60)
    assert "paused until" in paused.value.plain
    assert breaker.state()[0] == "open"


def test_after_cooling_one_success_closes_and_one_failure_reopens(sandbox):
    clock = Clock()
    breaker = CircuitBreaker(threshold=2, cooling_seconds=60, clock=clock)
    client = client_for(sandbox, breaker)
    sandbox.faults.fail(503, operation="user", count=4)
    for _attempt in range(2):
        with pytest.raises(ZoomServerError):
            client.get("/users/me")
    clock.now += timedelta(seconds=61)
    with pytest.raises(ZoomServerError):
        client.get("/users/me")
    assert breaker.state()[0] == "open", "the trial call failed: open again"
    clock.now += timedelta(seconds=61)
    sandbox.faults.clear()
    assert client.get("/users/me")["email"]
    assert breaker.state() == ("closed", 0, None)


def test_answers_from_zoom_are_not_outages(sandbox):
    breaker = CircuitBreaker(threshold=1, cooling_seconds=60, clock=Clock())
    client = client_for(sandbox, breaker)
    with pytest.raises(ZoomNotFound):
        client.get("/meetings/12345678901")
    assert breaker.state()[0] == "closed"
