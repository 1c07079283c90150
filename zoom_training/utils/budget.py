"""Client-side per-second budgets, one per Zoom rate-limit category, for the account's plan. No ORM.

Zoom counts requests per account; the addon paces its own so that it stays under the plan's limits
instead of provoking 429s (CONTRACT §4.1, §4.2). Several workers share the account: give each worker
its `share` of the rate.
"""

import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from .ratelimit import utcnow

LIGHT, MEDIUM, HEAVY, RESOURCE_INTENSIVE = "Light", "Medium", "Heavy", "Resource-intensive"
PER_SECOND = {
    "free": {LIGHT: 4, MEDIUM: 2, HEAVY: 1, RESOURCE_INTENSIVE: 10 / 60},
    "pro": {LIGHT: 30, MEDIUM: 20, HEAVY: 10, RESOURCE_INTENSIVE: 10 / 60},
    "business": {LIGHT: 80, MEDIUM: 60, HEAVY: 40, RESOURCE_INTENSIVE: 20 / 60},
}
# (method, path pattern) → category, from the operations' "Rate Limit Label" in Zoom's spec.
_CATEGORIES = [
    ("POST", r"/(meetings|webinars)/[^/]+/batch_registrants", HEAVY),
    ("GET", r"/report/(meetings|webinars)/[^/]+/participants", HEAVY),
    ("GET", r"/(meetings|webinars)/[^/]+/registrants", MEDIUM),
    ("PUT", r"/(meetings|webinars)/[^/]+/registrants/status", MEDIUM),
    ("GET", r"/webinars/[^/]+/panelists", MEDIUM),
    ("POST", r"/webinars/[^/]+/panelists", MEDIUM),
    ("GET", r"/past_(meetings|webinars)/[^/]+/participants", MEDIUM),
    ("GET", r"/users/[^/]+/settings", MEDIUM),
    ("GET", r"/users/[^/]+/(meetings|webinars)", MEDIUM),
]
SAFETY = 0.95  # pace at 95% of the limit: network jitter must not push two calls into one window
_COMPILED = [(method, re.compile(pattern + r"/?$"), category) for method, pattern, category in _CATEGORIES]


def category_of(method, path):
    """The rate-limit category of a call; Light unless listed."""
    path = "/" + path.split("?", 1)[0].strip("/")
    for listed_method, pattern, category in _COMPILED:
        if method == listed_method and pattern.search(path):
            return category
    return LIGHT


class RateBudget:
    """Token buckets per category; `acquire` waits (with `sleep`) until the call fits in the budget."""

    def __init__(self, plan="pro", share=1.0, clock=time.monotonic, sleep=time.sleep, daily_store=None):
        rates = PER_SECOND.get(plan, PER_SECOND["pro"])
        self._rates = {category: rate * share * SAFETY for category, rate in rates.items()}
        self._tokens = dict.fromkeys(self._rates, 1.0)  # the first call of each category goes at once
        self._stamp = {category: None for category in self._rates}
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._daily = daily_store or MemoryDailyStore()  # what Zoom's Daily-limit headers said

    def acquire(self, category):
        """Seconds waited before the call may go."""
        with self._lock:
            wait = self._reserve(category)
        if wait > 0:
            self._sleep(wait)
        return wait

    def _reserve(self, category):
        rate = self._rates[category]
        now = self._clock()
        last = self._stamp[category]
        capacity = 1.0  # no bursts: Zoom counts calls in a sliding window, so calls are spaced evenly
        tokens = (
            self._tokens[category]
            if last is None
            else min(capacity, self._tokens[category] + (now - last) * rate)
        )
        tokens -= 1
        self._tokens[category] = tokens
        self._stamp[category] = now
        return 0.0 if tokens >= 0 else -tokens / rate

    # Daily quotas: what Zoom's answers say is left today, so that work waits instead of collecting 429s.

    def note_daily(self, category, remaining, reset_at, limit=None, read_at=None):
        """Zoom's `X-RateLimit-Remaining` for a category's daily quota, valid until `reset_at` (UTC)."""
        reading = DailyReading(remaining, limit, reset_at, read_at or utcnow())
        for shared in _DAILY_POOLS.get(category, (category,)):
            self._daily.save(shared, reading)

    def daily_exhausted_until(self, category, now):
        """The reset instant when today's quota of `category` is used up, else None."""
        reading = self._daily.load().get(category)
        if reading and reading.remaining is not None and reading.remaining <= 0 and now < reading.reset_at:
            return reading.reset_at
        return None

    def forget_daily(self):
        self._daily.clear()

    def daily_readings(self):
        """{category: DailyReading}, as last read from Zoom's headers (by any worker, with a shared store)."""
        return dict(self._daily.load())


@dataclass(frozen=True)
class DailyReading:
    remaining: int | None
    limit: int | None
    reset_at: datetime  # aware UTC
    read_at: datetime


class MemoryDailyStore:
    """One process's daily readings; the Odoo layer shares them through PostgreSQL instead."""

    def __init__(self):
        self._readings = {}
        self._lock = threading.Lock()

    def save(self, category, reading):
        with self._lock:
            self._readings[category] = reading

    def load(self):
        with self._lock:
            return dict(self._readings)

    def clear(self):
        with self._lock:
            self._readings.clear()


# Heavy and Resource-intensive calls draw on one daily quota (CONTRACT §4.1).
_DAILY_POOLS = {HEAVY: (HEAVY, RESOURCE_INTENSIVE), RESOURCE_INTENSIVE: (HEAVY, RESOURCE_INTENSIVE)}
