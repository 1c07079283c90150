"""Group commit: many callers, one transaction for what they hand in together.

Each caller hands in one item and waits for its own answer. One caller at a time runs `flush` on every
item handed in so far (at most `max_batch`); the others wait for it, and one of those left over leads the
next flush. With one caller at a time (a prefork worker) every flush gets one item; with many at once
(threads, or greenlets in Odoo's gevent server, where `threading` is gevent's), a flush takes whatever
arrived while the previous one ran. Plain Python: nothing here knows Odoo.
"""

import threading

DEFAULT_MAX_BATCH = 200


class _Slot:
    __slots__ = ("done", "error", "item", "result")

    def __init__(self, item):
        self.item, self.done, self.result, self.error = item, False, None, None

    def outcome(self):
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    def __init__(self, flush, max_batch=DEFAULT_MAX_BATCH, after=None):
        """`flush(items)` returns one result per item, in order; what it raises, every caller of that
        flush raises. `after(items, results)`, if given, runs once the callers have their results and the
        next flush may start, in the caller that led the flush (what it raises, that caller raises)."""
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._flush = flush
        self._after = after
        self._max_batch = max_batch
        self._condition = threading.Condition()
        self._waiting = []
        self._flushing = False

    def submit(self, item):
        """The result `flush` gave for `item`, once a flush that took it has run."""
        slot = _Slot(item)
        with self._condition:
            self._waiting.append(slot)
            while not slot.done:
                if self._flushing:
                    self._condition.wait()
                    continue
                batch = self._lead_one_flush()
                if self._after is not None and batch[0].error is None:
                    self._condition.release()
                    try:
                        self._after([each.item for each in batch], [each.result for each in batch])
                    finally:
                        self._condition.acquire()
        return slot.outcome()

    def _lead_one_flush(self):
        """Called holding the condition; releases it while `flush` runs."""
        self._flushing = True
        batch = self._waiting[: self._max_batch]
        del self._waiting[: self._max_batch]
        self._condition.release()
        try:
            self._run(batch)
        finally:
            self._condition.acquire()
            for slot in batch:
                slot.done = True
            self._flushing = False
            self._condition.notify_all()
        return batch

    def _run(self, batch):
        try:
            results = list(self._flush([slot.item for slot in batch]))
            if len(results) != len(batch):
                raise ValueError(f"flush gave {len(results)} results for {len(batch)} items")
        except BaseException as error:
            for slot in batch:
                slot.error = error
            return
        for slot, result in zip(batch, results, strict=False):
            slot.result = result
