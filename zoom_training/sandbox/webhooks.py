"""Webhook deliveries: a background queue that posts signed events and retries as Zoom does."""

import heapq
import itertools
import json
import threading
import time
import uuid
from dataclasses import dataclass, field

import requests

from .clock import format_utc
from .signing import encrypt_token, sign

RETRY_DELAYS = (5 * 60, 20 * 60, 60 * 60)  # after the 1st, 2nd and 3rd failed attempt
SUCCESS = (200, 204)
USER_AGENT = "Zoom Marketplace/1.0a"


def compact_json(body):
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


@dataclass
class DeliveryAttempt:
    event: str
    url: str
    attempt: int
    status: int | None
    latency: float
    at: str
    error: str = ""
    body: bytes = b""
    headers: dict = field(default_factory=dict)

    @property
    def ok(self):
        return self.status in SUCCESS

    def as_dict(self):
        return {
            "event": self.event,
            "url": self.url,
            "attempt": self.attempt,
            "status": self.status,
            "latency": self.latency,
            "at": self.at,
            "error": self.error,
        }


@dataclass
class UrlValidation:
    ok: bool
    status: int | None
    plain_token: str
    answer: object = None
    error: str = ""


@dataclass(order=True)
class _Job:
    due: float
    sequence: int
    event: str = field(compare=False)
    url: str = field(compare=False)
    raw_body: str = field(compare=False)
    attempt: int = field(compare=False, default=1)


class WebhookDispatcher:
    def __init__(self, clock, secret, url=None, webinar_url=None, time_scale=1.0, timeout=3.0):
        self.clock = clock
        self.secret = secret
        self.url = url
        self.webinar_url = webinar_url
        self.time_scale = time_scale
        self.timeout = timeout
        self.events = []
        self.deliveries = []
        self.dropped = []
        self._queue = []
        self._held = []
        self._faults = {"drop": 0, "duplicate": 0, "reorder": 0}
        self._sequence = itertools.count()
        self._in_flight = 0
        self._condition = threading.Condition()
        self._stopped = False
        self._thread = None
        self._session = requests.Session()
        clock.on_change(self._wake)

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self):
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="zoom-sandbox-webhooks", daemon=True)
        self._thread.start()

    def stop(self):
        with self._condition:
            self._stopped = True
            self._condition.notify_all()
        if self._thread:
            self._thread.join(timeout=5)

    def _wake(self):
        with self._condition:
            self._condition.notify_all()

    # -- signing ----------------------------------------------------------------------------------
    def sign(self, timestamp, raw_body):
        return sign(self.secret, timestamp, raw_body)

    def encrypt_token(self, plain_token):
        return encrypt_token(self.secret, plain_token)

    def signed_headers(self, raw_body):
        timestamp = str(int(self.clock.time()))
        return {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "x-zm-request-timestamp": timestamp,
            "x-zm-signature": self.sign(timestamp, raw_body),
            "x-zm-trackingid": f"v=2.0;clid=us06;rid=WEBHOOK_{uuid.uuid4().hex}",
        }

    # -- emitting ---------------------------------------------------------------------------------
    def emit(self, event, payload, webinar=False, **top_level):
        """Record an event and queue its delivery to the meeting or webinar endpoint."""
        body = {"event": event, "event_ts": int(self.clock.time() * 1000), "payload": payload, **top_level}
        url = (self.webinar_url or self.url) if webinar or event.startswith("webinar.") else self.url
        with self._condition:
            self.events.append(body)
            if url:
                self._route(_Job(self.clock.time(), next(self._sequence), event, url, compact_json(body)))
        return body

    def _route(self, job):
        if self._faults["drop"]:
            self._faults["drop"] -= 1
            self.dropped.append(job.event)
            return
        copies = 1
        if self._faults["duplicate"]:
            self._faults["duplicate"] -= 1
            copies = 2
        for _ in range(copies):
            self._hold_or_queue(
                job if copies == 1 else _Job(job.due, next(self._sequence), job.event, job.url, job.raw_body)
            )

    def _hold_or_queue(self, job):
        if self._faults["reorder"]:
            self._held.append(job)
            self._faults["reorder"] -= 1
            if self._faults["reorder"]:
                return
            jobs, self._held = list(reversed(self._held)), []
        else:
            jobs = [job]
        released_at = self.clock.time()
        for queued in jobs:
            queued.due, queued.sequence = released_at, next(self._sequence)
            heapq.heappush(self._queue, queued)
        self._condition.notify_all()

    def drop_next(self, count=1):
        self._set_fault("drop", count)

    def duplicate_next(self, count=1):
        self._set_fault("duplicate", count)

    def reorder_next(self, count=2):
        self._set_fault("reorder", count)

    def _set_fault(self, kind, count):
        with self._condition:
            self._faults[kind] = count

    # -- delivering -------------------------------------------------------------------------------
    def _run(self):
        while True:
            with self._condition:
                job = self._next_due_job()
                if job is None:
                    return
                self._in_flight += 1
            try:
                self._deliver(job)
            finally:
                with self._condition:
                    self._in_flight -= 1
                    self._condition.notify_all()

    def _next_due_job(self):
        while not self._stopped:
            if self._queue and self._queue[0].due <= self.clock.time():
                return heapq.heappop(self._queue)
            wait = self._queue[0].due - self.clock.time() if self._queue else 1.0
            self._condition.wait(timeout=min(max(wait, 0.001), 0.2))
        return None

    def _deliver(self, job):
        headers = self.signed_headers(job.raw_body)
        started = time.monotonic()
        status, error = None, ""
        try:
            status = self._session.post(
                job.url, data=job.raw_body.encode(), headers=headers, timeout=self.timeout
            ).status_code
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"
        attempt = DeliveryAttempt(
            job.event,
            job.url,
            job.attempt,
            status,
            time.monotonic() - started,
            format_utc(self.clock.now()),
            error,
            job.raw_body.encode(),
            headers,
        )
        with self._condition:
            self.deliveries.append(attempt)
            if not attempt.ok and job.attempt <= len(RETRY_DELAYS):
                self._schedule_retry(job)

    def _schedule_retry(self, job):
        delay = RETRY_DELAYS[job.attempt - 1] * self.time_scale
        retry = _Job(
            self.clock.time() + delay, next(self._sequence), job.event, job.url, job.raw_body, job.attempt + 1
        )
        heapq.heappush(self._queue, retry)
        self._condition.notify_all()

    # -- observing --------------------------------------------------------------------------------
    def pending(self):
        with self._condition:
            return [(job.event, job.url, job.attempt, job.due) for job in sorted(self._queue)]

    def wait_idle(self, timeout=5.0):
        """Wait until no delivery is due or in flight; scheduled future retries do not count."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._in_flight or (self._queue and self._queue[0].due <= self.clock.time()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._condition.wait(timeout=min(remaining, 0.05))
        return True

    def wait_for_attempts(self, count, timeout=5.0):
        """Wait until `count` delivery attempts were made (retries included)."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while len(self.deliveries) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._condition.wait(timeout=min(remaining, 0.05))
        return True

    def delivered(self, event=None):
        """Successful attempts (optionally of one event name)."""
        return [d for d in list(self.deliveries) if d.ok and (event is None or d.event == event)]

    # -- URL validation ---------------------------------------------------------------------------
    def validate_url(self, url=None, plain_token=None):
        """Post a signed `endpoint.url_validation` and check the answer's encryptedToken."""
        url = url or self.url
        plain_token = plain_token or uuid.uuid4().hex[:22]
        body = {
            "payload": {"plainToken": plain_token},
            "event_ts": int(self.clock.time() * 1000),
            "event": "endpoint.url_validation",
        }
        raw_body = compact_json(body)
        try:
            response = self._session.post(
                url, data=raw_body.encode(), headers=self.signed_headers(raw_body), timeout=self.timeout
            )
        except requests.RequestException as exc:
            return UrlValidation(False, None, plain_token, error=str(exc))
        return self._judge_validation(response, plain_token)

    def _judge_validation(self, response, plain_token):
        try:
            answer = response.json()
        except ValueError:
            return UrlValidation(
                False, response.status_code, plain_token, response.text, "answer is not JSON"
            )
        expected = {"plainToken": plain_token, "encryptedToken": self.encrypt_token(plain_token)}
        ok = (
            response.status_code in SUCCESS
            and isinstance(answer, dict)
            and all(answer.get(key) == value for key, value in expected.items())
        )
        return UrlValidation(ok, response.status_code, plain_token, answer, "" if ok else "wrong answer")
