"""The sandbox clock: real time plus an offset that tests move."""

import threading
import time
from datetime import datetime, timedelta, timezone


def utc_midnight_after(moment):
    """The next 00:00 UTC strictly after `moment`."""
    day = moment.astimezone(timezone.utc).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def format_utc(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class SandboxClock:
    def __init__(self):
        self._offset = 0.0
        self._lock = threading.Lock()
        self._listeners = []

    def time(self):
        return time.time() + self._offset

    def now(self):
        return datetime.fromtimestamp(self.time(), tz=timezone.utc)

    def today(self):
        return self.now().date()

    def advance(self, seconds):
        with self._lock:
            self._offset += seconds
        self._notify()

    def set(self, moment):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        with self._lock:
            self._offset = moment.timestamp() - time.time()
        self._notify()

    def on_change(self, listener):
        self._listeners.append(listener)

    def _notify(self):
        for listener in list(self._listeners):
            listener()
