import threading
import time

import pytest

from zoom_training.utils.group_commit import GroupCommit


class SlowFlush:
    """A flush that takes `pause` seconds, records each batch and doubles each item."""

    def __init__(self, pause=0.0, fail_on=None):
        self.pause = pause
        self.fail_on = fail_on
        self.batches = []
        self.running = 0
        self.most_running = 0
        self._lock = threading.Lock()

    def __call__(self, items):
        with self._lock:
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        try:
            time.sleep(self.pause)
            self.batches.append(list(items))
            if self.fail_on is not None and self.fail_on in items:
                raise RuntimeError(f"cannot store {self.fail_on}")
            return [item * 2 for item in items]
        finally:
            with self._lock:
                self.running -= 1


def submit_all(group, items):
    """Submits each item from a thread of its own, all at once; {item: result or exception}."""
    outcomes = {}
    start = threading.Barrier(len(items))

    def caller(item):
        start.wait()
        try:
            outcomes[item] = group.submit(item)
        except Exception as error:
            outcomes[item] = error

    threads = [threading.Thread(target=caller, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return outcomes


def test_one_caller_at_a_time_gets_a_flush_of_its_own():
    flush = SlowFlush()
    group = GroupCommit(flush)
    assert [group.submit(item) for item in (1, 2, 3)] == [2, 4, 6]
    assert flush.batches == [[1], [2], [3]]


def test_callers_arriving_together_share_flushes_and_each_gets_its_own_answer():
    flush = SlowFlush(pause=0.02)
    group = GroupCommit(flush)
    items = list(range(60))
    outcomes = submit_all(group, items)
    assert outcomes == {item: item * 2 for item in items}
    assert sorted(item for batch in flush.batches for item in batch) == items  # each flushed once
    assert len(flush.batches) < len(items) / 4
    assert flush.most_running == 1  # one flush at a time


def test_a_flush_takes_at_most_max_batch_items():
    flush = SlowFlush(pause=0.02)
    group = GroupCommit(flush, max_batch=7)
    outcomes = submit_all(group, list(range(40)))
    assert outcomes == {item: item * 2 for item in range(40)}
    assert max(len(batch) for batch in flush.batches) <= 7


def test_a_failed_flush_fails_its_callers_only():
    flush = SlowFlush(fail_on=13)
    group = GroupCommit(flush)
    with pytest.raises(RuntimeError, match="cannot store 13"):
        group.submit(13)
    assert group.submit(14) == 28  # the next flush runs as if nothing happened


def test_a_failure_reaches_every_caller_of_that_flush():
    flush = SlowFlush(pause=0.02, fail_on=5)
    group = GroupCommit(flush)
    outcomes = submit_all(group, list(range(30)))
    failed_batch = next(batch for batch in flush.batches if 5 in batch)
    for item in range(30):
        if item in failed_batch:
            assert isinstance(outcomes[item], RuntimeError)
        else:
            assert outcomes[item] == item * 2


def test_a_flush_that_answers_the_wrong_number_of_items_is_an_error():
    group = GroupCommit(lambda items: [])
    with pytest.raises(ValueError, match="0 results for 1 items"):
        group.submit("x")


def test_max_batch_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        GroupCommit(lambda items: items, max_batch=0)


def test_after_runs_once_per_flush_after_its_callers_are_answered():
    flush = SlowFlush(pause=0.02)
    seen = []

    def after(items, results):
        seen.append((list(items), list(results)))

    group = GroupCommit(flush, after=after)
    outcomes = submit_all(group, list(range(30)))
    assert outcomes == {item: item * 2 for item in range(30)}
    assert [items for items, _results in seen] == flush.batches
    assert all(results == [item * 2 for item in items] for items, results in seen)


def test_after_does_not_hold_back_the_next_flush():
    flush = SlowFlush()
    release_after = threading.Event()
    group = GroupCommit(flush, after=lambda items, results: release_after.wait(5) if 1 in items else None)
    leader = threading.Thread(target=group.submit, args=(1,))
    leader.start()
    time.sleep(0.05)  # the first flush is done; its `after` waits
    assert group.submit(2) == 4  # a flush of its own, while the first caller's `after` still runs
    release_after.set()
    leader.join(timeout=5)
    assert flush.batches == [[1], [2]]


def test_after_does_not_run_for_a_failed_flush():
    seen = []
    group = GroupCommit(SlowFlush(fail_on=3), after=lambda items, results: seen.append(items))
    with pytest.raises(RuntimeError):
        group.submit(3)
    assert seen == []
