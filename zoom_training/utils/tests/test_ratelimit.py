from datetime import datetime, timedelta, timezone

from zoom_training.utils.backoff import Backoff
from zoom_training.utils.ratelimit import (
    DAILY,
    QPS,
    classify_rate_limit,
    next_utc_midnight,
    parse_retry_after,
    read_rate_limit_headers,
    utcnow,
)

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=timezone.utc)
PER_SECOND = "You have reached the maximum per-second rate limit for this API. Try again later."
PER_HOST = (
    "You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this "
    "particular user. You may resume these requests at GMT 00:00:00."
)


def test_retry_after_in_seconds():
    assert parse_retry_after("2", NOW) == (2.0, None)


def test_retry_after_as_iso_instant():
    seconds, instant = parse_retry_after("2026-11-24T00:00:00Z", NOW)
    assert instant == datetime(2026, 11, 24, tzinfo=timezone.utc)
    assert seconds == 8.5 * 3600


def test_retry_after_as_http_date():
    _seconds, instant = parse_retry_after("Tue, 24 Nov 2026 00:00:00 GMT", NOW)
    assert instant == datetime(2026, 11, 24, tzinfo=timezone.utc)


def test_unreadable_retry_after_is_ignored():
    assert parse_retry_after("soon", NOW) == (None, None)
    assert parse_retry_after(None, NOW) == (None, None)


def test_per_second_limit():
    verdict = classify_rate_limit(
        {"X-RateLimit-Type": "QPS", "X-RateLimit-Category": "Light", "Retry-After": "1"}, PER_SECOND, NOW
    )
    assert (verdict.limit_type, verdict.category, verdict.retry_after) == (QPS, "Light", 1.0)
    assert verdict.retry_at == NOW + timedelta(seconds=1)


def test_documented_daily_limit_headers():
    headers = {
        "X-RateLimit-Category": "Heavy",
        "X-RateLimit-Type": "Daily-limit",
        "X-RateLimit-Limit": "30000",
        "X-RateLimit-Remaining": "0",
        "Retry-After": "2026-11-24T00:00:00Z",
    }
    verdict = classify_rate_limit(headers, "You have reached the maximum daily rate limit for this API.", NOW)
    assert verdict.limit_type == DAILY
    assert verdict.retry_at == datetime(2026, 11, 24, tzinfo=timezone.utc)


def test_instant_in_retry_after_means_daily_without_type_header():
    verdict = classify_rate_limit({"retry-after": "2026-11-24T00:00:00Z"}, "", NOW)
    assert verdict.limit_type == DAILY


def test_per_host_quota_without_headers_waits_for_next_utc_midnight():
    verdict = classify_rate_limit({}, PER_HOST, NOW)
    assert verdict.limit_type == DAILY
    assert verdict.retry_at == datetime(2026, 11, 24, tzinfo=timezone.utc)


def test_declared_qps_wins_over_wording():
    assert classify_rate_limit({"X-RateLimit-Type": "QPS"}, "daily", NOW).limit_type == QPS


def test_next_utc_midnight_from_another_zone():
    brussels_evening = datetime(2026, 11, 23, 23, 30, tzinfo=timezone(timedelta(hours=1)))
    assert next_utc_midnight(brussels_evening) == datetime(2026, 11, 23, tzinfo=timezone.utc) + timedelta(
        days=1
    )


def test_rate_limit_headers_are_read_from_any_answer():
    headers = {"x-ratelimit-category": "Light", "x-ratelimit-limit": "6000", "x-ratelimit-remaining": "5893"}
    assert read_rate_limit_headers(headers) == ("Light", {"limit": 6000, "remaining": 5893, "type": None})
    assert read_rate_limit_headers({"Content-Type": "application/json"}) is None


def test_backoff_is_exponential_with_full_jitter_and_capped():
    backoff = Backoff(base=0.5, maximum=3, jitter=lambda: 0.5)
    assert [backoff.ceiling(retry) for retry in (1, 2, 3, 4, 5)] == [0.5, 1, 2, 3, 3]
    assert backoff.delay(3) == 1.0
    assert Backoff(jitter=lambda: 0.0).delay(4) == 0.0


def test_a_retry_after_instant_already_past_means_now():
    assert parse_retry_after("2026-11-23T15:00:00Z", NOW) == (
        0.0,
        datetime(2026, 11, 23, 15, tzinfo=timezone.utc),
    )


def test_a_retry_after_instant_without_zone_is_utc():
    seconds, instant = parse_retry_after("2026-11-24T00:00:00", NOW)
    assert instant == datetime(2026, 11, 24, tzinfo=timezone.utc)
    assert seconds == 8.5 * 3600


def test_a_declared_daily_limit_with_seconds_waits_those_seconds():
    verdict = classify_rate_limit(
        {"X-RateLimit-Type": "Daily-limit", "Retry-After": "3600", "X-RateLimit-Category": "Heavy"}, "", NOW
    )
    assert (verdict.limit_type, verdict.retry_at, verdict.retry_after, verdict.category) == (
        DAILY,
        NOW + timedelta(hours=1),
        3600.0,
        "Heavy",
    )


def test_a_per_second_limit_waits_the_seconds_zoom_gives():
    verdict = classify_rate_limit({"Retry-After": "5"}, PER_SECOND, NOW)
    assert (verdict.limit_type, verdict.retry_at, verdict.retry_after) == (
        QPS,
        NOW + timedelta(seconds=5),
        5.0,
    )


def test_an_answer_with_only_the_remaining_count_is_read_too():
    assert read_rate_limit_headers({"X-RateLimit-Remaining": "7", "X-RateLimit-Type": "Daily-limit"}) == (
        "Unknown",
        {"limit": None, "remaining": 7, "type": "Daily-limit"},
    )


def test_now_is_aware_utc():
    assert utcnow().utcoffset() == timedelta(0)
