"""Zoom's rate limits (CONTRACT §4): per-second buckets and daily quotas per account plan, and the
per-host and per-registrant daily quotas. Daily counters reset at 00:00 UTC of the sandbox clock."""

import math
import threading
from collections import defaultdict, deque
from dataclasses import dataclass

from .clock import format_utc, utc_midnight_after
from .errors import ZoomError
from .operations import HEAVY, LIGHT, MEDIUM, RESOURCE_INTENSIVE

PER_SECOND_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY_MESSAGE = (
    "You have reached the maximum daily rate limit for this API. "
    "Refer to the response header for details on when you can make another request."
)


@dataclass(frozen=True)
class Bucket:
    limit: int
    window: float  # seconds
    daily: int | None = None
    daily_pool: str = ""


def _plan(light, medium, heavy, per_minute, shared_daily=None, daily=(None, None, None, None)):
    pool = "Heavy+Resource-intensive" if shared_daily else ""
    return {
        LIGHT: Bucket(light, 1, daily[0], LIGHT),
        MEDIUM: Bucket(medium, 1, daily[1], MEDIUM),
        HEAVY: Bucket(heavy, 1, shared_daily or daily[2], pool or HEAVY),
        RESOURCE_INTENSIVE: Bucket(per_minute, 60, shared_daily or daily[3], pool or RESOURCE_INTENSIVE),
    }


PLANS = {
    "free": _plan(4, 2, 1, 10, daily=(6000, 2000, 1000, 30000)),
    "pro": _plan(30, 20, 10, 10, shared_daily=30000),
    "business": _plan(80, 60, 40, 20, shared_daily=60000),
}


def _headers(category, limit_type, limit, remaining):
    return {
        "X-RateLimit-Category": category,
        "X-RateLimit-Type": limit_type,
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(max(remaining, 0)),
    }


class RateLimiter:
    def __init__(self, clock, plan="pro", enabled=True):
        self.clock = clock
        self.enabled = enabled
        self.host_daily_limit = 100
        self.registrant_add_daily_limit = 3
        self.registrant_status_daily_limit = 10
        self._lock = threading.Lock()
        self.plan = plan

    @property
    def plan(self):
        return self._plan

    @plan.setter
    def plan(self, plan):
        if plan not in PLANS:
            raise ValueError(f"unknown plan {plan!r}; choose from {sorted(PLANS)}")
        self._plan = plan
        self._buckets = dict(PLANS[plan])
        self.reset()

    def reset(self):
        with self._lock:
            self._recent = defaultdict(deque)
            self._daily = defaultdict(int)

    def set_per_second(self, category, limit):
        self._buckets[category] = Bucket(
            limit, 1, self._buckets[category].daily, self._buckets[category].daily_pool
        )

    def set_daily(self, category, limit):
        bucket = self._buckets[category]
        self._buckets[category] = Bucket(bucket.limit, bucket.window, limit, bucket.daily_pool)

    # -- account level ----------------------------------------------------------------------------
    def admit(self, category):
        """Count one call of `category`; its rate-limit headers, or ZoomError 429."""
        if not self.enabled:
            return {"X-RateLimit-Category": category}
        bucket = self._buckets[category]
        now = self.clock.time()
        with self._lock:
            recent = self._recent[category]
            while recent and recent[0] <= now - bucket.window:
                recent.popleft()
            if len(recent) >= bucket.limit:
                raise self.per_second_error(category, bucket.limit, recent[0] + bucket.window - now)
            daily_key = (bucket.daily_pool, self.clock.today())
            if bucket.daily is not None and self._daily[daily_key] >= bucket.daily:
                raise self._daily_error(category, bucket.daily, DAILY_MESSAGE)
            recent.append(now)
            self._daily[daily_key] += 1
            if bucket.daily is not None:
                return _headers(category, "Daily-limit", bucket.daily, bucket.daily - self._daily[daily_key])
            return _headers(category, "QPS", bucket.limit, bucket.limit - len(recent))

    def per_second_error(self, category, limit=None, wait=1.0):
        limit = self._buckets[category].limit if limit is None else limit
        headers = _headers(category, "QPS", limit, 0)
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return ZoomError(429, 429, PER_SECOND_MESSAGE, headers=headers)

    def _daily_error(self, category, limit, message):
        headers = _headers(category, "Daily-limit", limit, 0)
        headers["Retry-After"] = format_utc(utc_midnight_after(self.clock.now()))
        return ZoomError(429, 429, message, headers=headers)

    # -- per host, per registrant -----------------------------------------------------------------
    def check_quota(self, category, key, limit, message):
        """Raise the daily 429 when `key` has used `limit` calls today (UTC)."""
        if self.enabled and self._daily[(key, self.clock.today())] >= limit:
            raise self._daily_error(category, limit, message)

    def spend_quota(self, key):
        if self.enabled:
            with self._lock:
                self._daily[(key, self.clock.today())] += 1

    def host_quota(self, category, kind, host):
        """The 100 create/update calls a day per host."""
        noun = "Meeting" if kind == "meeting" else "Webinar"
        message = (
            f"You have exceeded the daily rate limit ({self.host_daily_limit}) of {noun} Create/Update API "
            "requests permitted for this particular user. You may resume these requests at GMT 00:00:00."
        )
        key = ("host", kind, host.id)
        self.check_quota(category, key, self.host_daily_limit, message)
        self.spend_quota(key)
