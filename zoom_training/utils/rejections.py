"""A bounded trace of refused webhook deliveries: counted in memory, logged and written at a bounded rate.

A refused delivery is not stored; what is kept is, per (database, endpoint, reason), a counter and the time,
source and first bytes of the last one. A flood costs a dict update per request: one log line per database
and LOG_SECONDS (with the count since the last), and one write per key and WRITE_SECONDS (the counts since
the last), whatever the rate. Plain Python: the caller logs and writes what `record` hands back.
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from .webhook_input import escaped

LOG_SECONDS = 60.0
WRITE_SECONDS = 10.0


@dataclass
class Tally:
    """Refusals of one kind since it was last written."""

    count: int = 0
    last_at: float = 0.0  # unix seconds
    last_source: str = ""
    last_sample: str = ""

    def add(self, other):
        self.count += other.count
        if other.last_at >= self.last_at:
            self.last_at, self.last_source, self.last_sample = (
                other.last_at,
                other.last_source,
                other.last_sample,
            )


@dataclass
class Due:
    """What `record` hands back: a log line to emit now, a tally to write now (either may be None)."""

    log_line: str = None
    tally: Tally = None


@dataclass
class _LogWindow:
    logged_at: float = None
    reasons: Counter = field(default_factory=Counter)


class RejectionTrace:
    def __init__(
        self, log_seconds=LOG_SECONDS, write_seconds=WRITE_SECONDS, clock=time.monotonic, wall=time.time
    ):
        self._log_seconds, self._write_seconds = log_seconds, write_seconds
        self._clock, self._wall = clock, wall
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._unwritten = {}  # (database, endpoint, reason): Tally
            self._written_at = {}  # (database, endpoint, reason): clock
            self._logs = {}  # database: _LogWindow

    def record(self, database, endpoint, reason, source, sample, detail=""):
        """Counts one refusal; `sample` is the body's first bytes, `detail` the reason in words."""
        key, now = (database, endpoint, reason), self._clock()
        last = Tally(1, self._wall(), escaped(source, 64), escaped(sample))
        with self._lock:
            self._unwritten.setdefault(key, Tally()).add(last)
            due = Due(log_line=self._log_line(database, now, endpoint, reason, last, detail))
            written_at = self._written_at.get(key)
            if written_at is None or now - written_at >= self._write_seconds:
                due.tally = self._unwritten.pop(key)
                self._written_at[key] = now
        return due

    def unwritten(self, database, endpoint, reason, tally):
        """A tally that could not be written: counted again with the next."""
        with self._lock:
            self._unwritten.setdefault((database, endpoint, reason), Tally()).add(tally)

    def _log_line(self, database, now, endpoint, reason, last, detail):
        window = self._logs.setdefault(database, _LogWindow())
        window.reasons[reason] += 1
        if window.logged_at is not None and now - window.logged_at < self._log_seconds:
            return None
        count, reasons = sum(window.reasons.values()), window.reasons
        self._logs[database] = _LogWindow(logged_at=now)
        line = (
            f"Zoom webhook refused on {endpoint} from {last.last_source} ({escaped(detail or reason, 120)}); "
            f"body begins '{last.last_sample[:80]}'"
        )
        if count == 1:
            return line
        by_reason = ", ".join(f"{name} {n}" for name, n in sorted(reasons.items()))
        return f"{count} Zoom webhooks refused since the last such line ({by_reason}); the last: {line}"
