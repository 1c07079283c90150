"""Zoom's rate-limit headers: what a 429 means (per second or for the day) and when to try again."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from .parsing import int_or_none

QPS = "QPS"
DAILY = "Daily-limit"
DEFAULT_QPS_WAIT = 1.0

_SECONDS = re.compile(r"^\s*\d+(\.\d+)?\s*$")


@dataclass(frozen=True)
class RateLimitVerdict:
    limit_type: str  # QPS or DAILY
    retry_at: datetime  # aware UTC
    retry_after: float | None  # seconds to wait, when Zoom gave seconds
    category: str | None


def utcnow():
    return datetime.now(timezone.utc)


def next_utc_midnight(now=None):
    """The next 00:00 UTC after `now` (default: now), when Zoom's daily limits reset."""
    day = (now or utcnow()).astimezone(timezone.utc).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def parse_retry_after(value, now):
    """(seconds, instant) from a Retry-After header: seconds, an ISO 8601 instant or an HTTP date."""
    if not value:
        return None, None
    if _SECONDS.match(value):
        return float(value), None
    instant = _parse_instant(value.strip())
    if instant is None:
        return None, None
    return max(0.0, (instant - now).total_seconds()), instant


def _parse_instant(value):
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            instant = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(timezone.utc)


def classify_rate_limit(headers, message, now=None):
    """Per-second or daily, and when to retry, for a 429 answer.

    Daily when `X-RateLimit-Type` says so, when `Retry-After` is an instant, or when the message speaks
    of a daily limit (Zoom's per-host and per-registrant bodies may come without the Type header; those
    limits reset at 00:00 UTC).
    """
    now = now or utcnow()
    headers = {name.lower(): value for name, value in headers.items()}
    seconds, instant = parse_retry_after(headers.get("retry-after"), now)
    declared = (headers.get("x-ratelimit-type") or "").strip().lower()
    mentions_daily = not declared and "daily" in (message or "").lower()
    daily = declared == DAILY.lower() or instant is not None or mentions_daily
    category = headers.get("x-ratelimit-category")
    if daily:
        return RateLimitVerdict(DAILY, _daily_retry_at(now, seconds, instant), seconds, category)
    wait = seconds if seconds is not None else DEFAULT_QPS_WAIT
    return RateLimitVerdict(QPS, now + timedelta(seconds=wait), seconds, category)


def _daily_retry_at(now, seconds, instant):
    if instant is not None:
        return instant
    if seconds is not None:
        return now + timedelta(seconds=seconds)
    return next_utc_midnight(now)


def read_rate_limit_headers(headers):
    """(category, {limit, remaining, type}) from any answer's headers, or None when it carries none."""
    headers = {name.lower(): value for name, value in headers.items()}
    limit = headers.get("x-ratelimit-limit")
    remaining = headers.get("x-ratelimit-remaining")
    if limit is None and remaining is None:
        return None
    category = headers.get("x-ratelimit-category") or "Unknown"
    return category, {
        "limit": int_or_none(limit),
        "remaining": int_or_none(remaining),
        "type": headers.get("x-ratelimit-type"),
    }
