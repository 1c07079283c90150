"""Client-side per-second budgets, one per Zoom rate-limit category, for the account's plan. No ORM.

Zoom counts requests per account; the addon paces its own so that it stays under the plan's limits
instead of provoking 429s (CONTRACT §4.1, §4.2). The pacing is a schedule of evenly spaced slots per
category (GCRA: the next free slot is all the state), kept by a pacer: `LocalPacer` in this process, or
`SqlPacer` in a database row that every process and server of a deployment shares.

Priority: an interactive call (a Join click, a start link, Test connection) books the next free slot;
background work books at most `BACKGROUND_LEAD_SLOTS` slots ahead and otherwise waits its turn, so the
interactive call never waits behind more than those few slots, whatever the backlog of a large sync.
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
BACKGROUND_LEAD_SLOTS = 2  # how far ahead background work may book: an interactive call waits <= 3 slots
_COMPILED = [(method, re.compile(pattern + r"/?$"), category) for method, pattern, category in _CATEGORIES]


def category_of(method, path):
    """The rate-limit category of a call; Light unless listed."""
    path = "/" + path.split("?", 1)[0].strip("/")
    for listed_method, pattern, category in _COMPILED:
        if method == listed_method and pattern.search(path):
            return category
    return LIGHT


class LocalPacer:
    """The slots of one process (a dict): enough for a single server or a test without a database."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._next = {}
        self._lock = threading.Lock()

    def reserve(self, category, interval, lead):
        """(booked, seconds): booked, the wait for the slot; not booked (lead exceeded), when to ask again."""
        with self._lock:
            now = self._clock()
            slot = max(self._next.get(category, now), now)
            if lead is not None and slot - now > lead:
                return False, slot - now - lead
            self._next[category] = slot + interval
            return True, slot - now


class SqlPacer:
    """The slots in a table row per (account, category), shared by every process using the database.

    `cursor` is a callable returning a context manager that yields a DB-API cursor and commits on exit
    (Odoo's `registry.cursor`). One statement a call: the row is locked for that statement only, and the
    clock is PostgreSQL's, so that servers on different machines agree on it."""

    TABLE = "zoom_rate_slot"

    def __init__(self, cursor, account_key):
        self._cursor = cursor
        self._key = account_key

    def reserve(self, category, interval, lead):
        with self._cursor() as cr:
            row = self._book(cr, category, interval, lead)
            if row is None:  # the account's first call of this category
                cr.execute(
                    f"INSERT INTO {self.TABLE} (account_key, category, next_at) VALUES (%s, %s, 0) "
                    "ON CONFLICT (account_key, category) DO NOTHING",
                    [self._key, category],
                )
                row = self._book(cr, category, interval, lead)
        booked, ahead = row
        if booked:
            return True, max(ahead, 0.0)
        return False, max(ahead - lead, 0.0)

    def _book(self, cr, category, interval, lead):
        # losing the last booking in a crash costs nothing: no wait for the WAL flush at commit
        cr.execute(
            f"""SET LOCAL synchronous_commit TO OFF;
            WITH now AS (SELECT extract(epoch FROM clock_timestamp())::float8 AS t),
                    row AS (SELECT s.id, GREATEST(s.next_at, now.t) AS slot, now.t AS t
                              FROM {self.TABLE} s, now
                             WHERE s.account_key = %(key)s AND s.category = %(category)s
                               FOR UPDATE OF s),
                    booking AS (SELECT id, slot, t,
                                       (%(lead)s::float8 IS NULL OR slot - t <= %(lead)s::float8) AS ok
                                  FROM row)
                UPDATE {self.TABLE} s
                   SET next_at = CASE WHEN b.ok THEN b.slot + %(interval)s ELSE s.next_at END
                  FROM booking b
                 WHERE s.id = b.id
             RETURNING b.ok, b.slot - b.t""",
            {"key": self._key, "category": category, "lead": lead, "interval": interval},
        )
        return cr.fetchone()


class RateBudget:
    """Per-second pacing per category (through a pacer) and the daily quotas Zoom's headers reported;
    `acquire` waits (with `sleep`) until the call fits in the budget."""

    def __init__(self, plan="pro", clock=time.monotonic, sleep=time.sleep, pacer=None, daily_store=None):
        rates = PER_SECOND.get(plan, PER_SECOND["pro"])
        self._intervals = {category: 1 / (rate * SAFETY) for category, rate in rates.items()}
        self._pacer = pacer or LocalPacer(clock)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._daily = daily_store or MemoryDailyStore()  # what Zoom's Daily-limit headers said

    def acquire(self, category, interactive=False):
        """Seconds waited before the call may go; an interactive call goes ahead of background work."""
        interval = self._intervals[category]
        lead = None if interactive else interval * BACKGROUND_LEAD_SLOTS
        waited = 0.0
        while True:
            booked, wait = self._pacer.reserve(category, interval, lead)
            if wait > 0:
                self._sleep(wait)
                waited += wait
            if booked:
                return waited

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
