"""Rate limits: per-second buckets, account daily quotas, per-host and per-registrant quotas, reset at
00:00 UTC of the sandbox clock, and the headers that go with them."""

from datetime import datetime, timezone

import pytest


@pytest.fixture
def limited(sandbox):
    sandbox.limits.enabled = True
    sandbox.clock.set(datetime(2026, 11, 23, 23, 50, tzinfo=timezone.utc))
    return sandbox


def person(n=1):
    return {"email": f"eager{n}@example.com", "first_name": "Eager"}


def test_headers_on_success(limited, client):
    response = client.get("/users/host@example.com")
    assert response.headers["X-RateLimit-Category"] == "Light"
    assert response.headers["X-RateLimit-Type"] == "QPS"
    assert (response.headers["X-RateLimit-Limit"], response.headers["X-RateLimit-Remaining"]) == ("30", "29")


def test_free_plan_reports_the_daily_quota(limited, client):
    limited.limits.plan = "free"
    response = client.get("/users/host@example.com/settings")
    assert response.headers["X-RateLimit-Category"] == "Medium"
    assert (response.headers["X-RateLimit-Type"], response.headers["X-RateLimit-Limit"]) == (
        "Daily-limit",
        "2000",
    )
    assert response.headers["X-RateLimit-Remaining"] == "1999"


def test_per_second_limit_answers_429_with_retry_after_seconds(limited, client):
    limited.limits.set_per_second("Light", 2)
    statuses = [client.get("/users/host@example.com").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.get("/users/host@example.com")
    assert response.json()["code"] == 429
    assert "per-second" in response.json()["message"]
    assert response.headers["Retry-After"] == "1"
    assert response.headers["X-RateLimit-Type"] == "QPS"


def test_account_daily_quota_retry_after_is_the_next_utc_midnight(limited, client):
    limited.limits.set_daily("Heavy", 1)
    meeting_id = client.registration_meeting()["id"]
    report = f"/report/meetings/{meeting_id}/participants"
    assert client.get(report).status_code == 404
    response = client.get(report)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2026-11-24T00:00:00Z"
    assert response.headers["X-RateLimit-Type"] == "Daily-limit"
    limited.clock.advance(20 * 60)
    assert client.get(report).status_code == 404


def test_host_may_create_or_update_100_meetings_a_day(limited, client):
    limited.limits.host_daily_limit = 3
    meeting_id = client.create_meeting()["id"]
    client.create_meeting()
    assert client.patch(f"/meetings/{meeting_id}", json={"topic": "x"}).status_code == 204
    response = client.post("/users/host@example.com/meetings", json={})
    assert response.status_code == 429
    assert "daily rate limit (3) of Meeting Create/Update" in response.json()["message"]
    assert response.headers["Retry-After"] == "2026-11-24T00:00:00Z"
    assert client.delete(f"/meetings/{meeting_id}").status_code == 204  # deletes do not count
    limited.clock.set(datetime(2026, 11, 24, 0, 0, 1, tzinfo=timezone.utc))
    assert client.post("/users/host@example.com/meetings", json={}).status_code == 201


def test_the_real_host_quota_is_100(limited, client):
    limited.limits.set_per_second("Light", 1000)
    for _ in range(100):
        client.create_meeting()
    assert client.post("/users/host@example.com/meetings", json={}).status_code == 429


def test_registrant_may_be_added_3_times_a_day(limited, client):
    meeting_id = client.registration_meeting()["id"]
    base = f"/meetings/{meeting_id}/registrants"
    assert [client.post(base, json=person()).status_code for _ in range(3)] == [201, 201, 201]
    response = client.post(base, json=person())
    assert response.status_code == 429
    assert 'registrant "eager1@example.com"' in response.json()["message"]
    assert response.headers["X-RateLimit-Limit"] == "3"
    assert client.post(base, json=person(2)).status_code == 201
    batch = client.post(
        f"/meetings/{meeting_id}/batch_registrants", json={"registrants": [person(2), person()]}
    )
    assert batch.status_code == 429
    limited.clock.advance(20 * 60)
    assert client.post(base, json=person()).status_code == 201


def test_batch_counts_for_each_registrant(limited, client):
    meeting_id = client.registration_meeting()["id"]
    body = {"registrants": [person(1), person(2)]}
    for _ in range(3):
        assert client.post(f"/meetings/{meeting_id}/batch_registrants", json=body).status_code == 201
    assert client.post(f"/meetings/{meeting_id}/registrants", json=person(2)).status_code == 429


def test_registrant_status_may_change_10_times_a_day(limited, client):
    meeting_id = client.registration_meeting()["id"]
    registrant_id = client.post(f"/meetings/{meeting_id}/registrants", json=person()).json()["registrant_id"]
    base = f"/meetings/{meeting_id}/registrants/status"
    actions = ["cancel", "approve"] * 5
    for action in actions:
        assert (
            client.put(base, json={"action": action, "registrants": [{"id": registrant_id}]}).status_code
            == 204
        )
    response = client.put(base, json={"action": "cancel", "registrants": [{"id": registrant_id}]})
    assert response.status_code == 429
    assert "Update registrant's status" in response.json()["message"]
    limited.clock.advance(20 * 60)
    assert (
        client.put(base, json={"action": "cancel", "registrants": [{"id": registrant_id}]}).status_code == 204
    )


def test_rate_limits_can_be_switched_off(client, sandbox):
    sandbox.limits.set_per_second("Light", 1)
    assert [client.get("/users/me").status_code for _ in range(3)] == [200, 200, 200]
