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


class CountingStore:
    """The breaker's state as a worker-shared store keeps it, counting the writes (each is a DB write)."""

    def __init__(self, failures=0, open_until=None):
        self.state = (failures, open_until)
        self.saves = 0

    def load(self):
        return self.state

    def save(self, failures, open_until):
        self.state = (failures, open_until)
        self.saves += 1


def test_the_pause_says_until_when_and_after_how_many_failures():
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, cooling_seconds=90, clock=clock)
    for _failure in range(3):
        breaker.record_failure()
    with pytest.raises(ZoomCircuitOpen) as paused:
        breaker.before_call()
    assert paused.value.failures == 3
    assert paused.value.reason == "paused"
    assert str(paused.value) == "Zoom calls paused until 2026-11-23 12:01:30 UTC"
    assert paused.value.plain == (
        "Zoom failed 3 times in a row: calls are paused until 2026-11-23 12:01 UTC, then the sync goes on "
        "by itself."
    )
    assert breaker.state() == ("open", 3, clock.now + timedelta(seconds=90))


def test_the_cooling_period_ends_at_its_last_instant():
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, cooling_seconds=60, clock=clock)
    breaker.record_failure()
    clock.now += timedelta(seconds=59)
    with pytest.raises(ZoomCircuitOpen):
        breaker.before_call()
    clock.now += timedelta(seconds=1)
    breaker.before_call()  # the trial call goes through
    assert breaker.state() == ("closed", 1, None)


def test_fewer_failures_than_the_threshold_keep_calls_going():
    breaker = CircuitBreaker(threshold=3, cooling_seconds=60, clock=Clock())
    breaker.record_failure()
    breaker.record_failure()
    breaker.before_call()
    assert breaker.state() == ("closed", 2, None)


def test_a_success_writes_the_shared_state_only_when_there_is_something_to_forget():
    store = CountingStore()
    breaker = CircuitBreaker(store=store, clock=Clock())
    breaker.record_success()
    assert store.saves == 0, "every successful call would write to the database"
    store.state = (1, None)
    breaker.record_success()
    assert (store.state, store.saves) == ((0, None), 1)
