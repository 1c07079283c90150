from datetime import datetime, timedelta, timezone

import pytest

from zoom_training.sandbox import ZoomSandbox
from zoom_training.utils.budget import HEAVY, LIGHT, MEDIUM, DailyReading, LocalPacer, RateBudget, category_of
from zoom_training.utils.client import ZoomClient
from zoom_training.utils.errors import ZoomRateLimited
from zoom_training.utils.oauth import CachedTokenSource


@pytest.mark.parametrize(
    ("method", "path", "category"),
    [
        ("POST", "/meetings/123/batch_registrants", HEAVY),
        ("GET", "/report/meetings/123/participants", HEAVY),
        ("GET", "/meetings/123/registrants", MEDIUM),
        ("PUT", "/webinars/123/registrants/status", MEDIUM),
        ("GET", "/users/me/settings", MEDIUM),
        ("GET", "/users/host@example.com/meetings", MEDIUM),
        ("POST", "/users/host@example.com/meetings", LIGHT),
        ("GET", "/meetings/123/registrants/abc", LIGHT),
        ("PATCH", "/meetings/123", LIGHT),
    ],
)
def test_each_call_is_in_zooms_category(method, path, category):
    assert category_of(method, path) == category


class FakeTime:
    def __init__(self):
        self.now = 0.0
        self.waits = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.waits.append(round(seconds, 3))
        self.now += seconds


def test_calls_beyond_the_plans_rate_wait_their_turn():
    fake = FakeTime()
    budget = RateBudget("free", clock=fake.clock, sleep=fake.sleep)
    for _call in range(5):
        budget.acquire(HEAVY)  # free plan: 1 Heavy call a second
    assert fake.waits == [1.053, 1.053, 1.053, 1.053]  # at 95% of the limit
    assert fake.now == pytest.approx(4 / 0.95)


def test_two_budgets_sharing_one_pacer_stay_under_one_limit_together():
    fake = FakeTime()
    pacer = LocalPacer(fake.clock)
    first, second = (RateBudget("pro", clock=fake.clock, sleep=fake.sleep, pacer=pacer) for _ in range(2))
    for _call in range(5):
        first.acquire(HEAVY)
        second.acquire(HEAVY)  # pro: 10 Heavy calls a second for the account, at 95%: 9.5/s together
    assert fake.now == pytest.approx(9 / 9.5)


def test_background_work_books_two_slots_ahead_at_most_and_an_interactive_call_goes_next():
    fake = FakeTime()
    pacer = LocalPacer(fake.clock)
    interval = 1 / 9.5  # pro, Heavy
    answers = [pacer.reserve(HEAVY, interval, 2 * interval) for _worker in range(10)]  # a sync's 10 workers
    assert [booked for booked, _wait in answers] == [True, True, True] + [False] * 7
    assert answers[3][1] == pytest.approx(interval), "a refused worker asks again when a slot is in reach"
    booked, wait = pacer.reserve(HEAVY, interval, None)  # a Join click
    assert booked and wait == pytest.approx(3 * interval), "behind 3 booked slots, not behind the backlog"
    assert pacer.reserve(HEAVY, interval, 2 * interval)[0] is False, "the click's slot is taken from the sync"


def test_an_interactive_acquire_waits_no_more_than_three_slots_behind_a_busy_sync():
    fake = FakeTime()
    pacer = LocalPacer(fake.clock)
    sync = RateBudget("free", clock=fake.clock, sleep=fake.sleep, pacer=pacer)
    click = RateBudget("free", clock=fake.clock, sleep=fake.sleep, pacer=pacer)
    for _worker in range(3):
        pacer.reserve(LIGHT, 1 / 3.8, 2 / 3.8)  # free: 4 Light calls a second
    assert click.acquire(LIGHT, interactive=True) == pytest.approx(3 / 3.8)
    assert sync.acquire(LIGHT) == pytest.approx(1 / 3.8), "the sync comes after the click"


def test_paced_calls_get_no_429_where_unpaced_ones_do():
    with ZoomSandbox(plan="free") as sandbox:
        tokens = CachedTokenSource.for_credentials(
            sandbox.url, sandbox.account_id, sandbox.client_id, sandbox.client_secret
        )
        paced = ZoomClient(tokens, max_retries=0, budget=RateBudget("free"))
        for _call in range(8):
            paced.get("/users/me")
        assert sandbox.requests.count(status=429) == 0
        unpaced = ZoomClient(tokens, max_retries=0)
        with pytest.raises(ZoomRateLimited):
            for _call in range(8):
                unpaced.get("/users/me")


def test_heavy_and_resource_intensive_share_one_daily_quota():
    now = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)
    midnight = datetime(2026, 11, 25, tzinfo=timezone.utc)
    budget = RateBudget("pro")
    budget.note_daily("Heavy", 0, midnight)
    assert budget.daily_exhausted_until("Resource-intensive", now) == midnight
    assert budget.daily_exhausted_until("Light", now) is None
    assert budget.daily_exhausted_until("Heavy", midnight + timedelta(seconds=1)) is None, "reset"


@pytest.mark.parametrize(
    ("method", "path", "category"),
    [
        ("GET", "/meetings/123/registrants?page_size=300&next_page_token=a?b", MEDIUM),
        ("POST", "meetings/123/batch_registrants/", HEAVY),
    ],
)
def test_the_category_ignores_the_query_and_the_slashes(method, path, category):
    assert category_of(method, path) == category


def test_a_short_wait_is_waited_too():
    fake = FakeTime()
    budget = RateBudget("pro", clock=fake.clock, sleep=fake.sleep)
    budget.acquire(HEAVY)
    assert budget.acquire(HEAVY) == pytest.approx(1 / 9.5)
    assert fake.waits == [0.105]


def test_an_unknown_plan_is_paced_as_pro_and_an_idle_budget_allows_no_burst():
    fake = FakeTime()
    budget = RateBudget("enterprise", clock=fake.clock, sleep=fake.sleep)
    budget.acquire(LIGHT)
    fake.now += 100  # a long pause saves up nothing
    budget.acquire(LIGHT)
    budget.acquire(LIGHT)
    assert fake.waits == [round(1 / 28.5, 3)]


def test_the_daily_quota_is_used_up_at_zero_and_until_its_reset_only():
    budget = RateBudget()
    reset = datetime(2026, 11, 24, tzinfo=timezone.utc)
    before = reset - timedelta(hours=1)
    budget.note_daily(MEDIUM, 1, reset)
    assert budget.daily_exhausted_until(MEDIUM, before) is None, "one call is still left today"
    budget.note_daily(MEDIUM, 0, reset, limit=2000, read_at=before)
    assert budget.daily_exhausted_until(MEDIUM, before) == reset
    assert budget.daily_exhausted_until(MEDIUM, reset) is None, "the quota is back at the reset"
    assert budget.daily_readings() == {
        MEDIUM: DailyReading(0, 2000, reset, before)
    }, "shown with its read time"
    budget.forget_daily()
    assert budget.daily_readings() == {}
