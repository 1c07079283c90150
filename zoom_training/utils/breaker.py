"""A circuit breaker for Zoom calls: after repeated failures, calls pause for a cooling period. No ORM.

Failures are outcomes of whole calls (a call's own retries included): 5xx answers that outlasted the
retries, timeouts, refused or dropped connections. The state lives in a `store` so that every worker
shares it; `MemoryBreakerStore` serves one process.
"""

import threading
from datetime import timedelta

from .errors import ZoomServerError, ZoomUnreachable
from .plain import _lt
from .ratelimit import utcnow

DEFAULT_THRESHOLD = 5
DEFAULT_COOLING_SECONDS = 300
BREAKING_ERRORS = (ZoomServerError, ZoomUnreachable)


class ZoomCircuitOpen(ZoomUnreachable):
    """Calls to Zoom are paused; `retry_at` says until when. Nothing was sent."""

    def __init__(self, retry_at, failures):
        super().__init__(f"Zoom calls paused until {retry_at:%Y-%m-%d %H:%M:%S} UTC", reason=_lt("paused"))
        self.retry_at = retry_at
        self.failures = failures

    def _default_plain(self):
        instant = self.retry_at.strftime("%Y-%m-%d %H:%M")
        return _lt(
            "Zoom failed %(failures)s times in a row: calls are paused until %(instant)s UTC, then the "
            "sync goes on by itself.",
            failures=self.failures,
            instant=instant,
        )


class MemoryBreakerStore:
    def __init__(self):
        self._state = (0, None)
        self._lock = threading.Lock()

    def load(self):
        with self._lock:
            return self._state

    def save(self, failures, open_until):
        with self._lock:
            self._state = (failures, open_until)


class CircuitBreaker:
    """Closed: calls go through. Open (after `threshold` failures in a row): calls raise ZoomCircuitOpen
    until `cooling_seconds` have passed; then one call is let through, and one more failure opens it again,
    while a success closes it."""

    def __init__(
        self, store=None, threshold=DEFAULT_THRESHOLD, cooling_seconds=DEFAULT_COOLING_SECONDS, clock=utcnow
    ):
        self.store = store or MemoryBreakerStore()
        self.threshold = threshold
        self.cooling = timedelta(seconds=cooling_seconds)
        self._clock = clock

    def before_call(self):
        failures, open_until = self.store.load()
        if open_until and self._clock() < open_until:
            raise ZoomCircuitOpen(open_until, failures)

    def record_success(self):
        if self.store.load() != (0, None):
            self.store.save(0, None)

    def record_failure(self):
        failures = self.store.load()[0] + 1
        open_until = self._clock() + self.cooling if failures >= self.threshold else None
        self.store.save(failures, open_until)

    def state(self):
        """("closed" | "open", failures in a row, open until)."""
        failures, open_until = self.store.load()
        is_open = bool(open_until and self._clock() < open_until)
        return ("open" if is_open else "closed", failures, open_until if is_open else None)
