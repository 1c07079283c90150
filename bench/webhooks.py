"""Scenario 3: webhook ingestion by the real Odoo endpoint: 100 concurrent deliveries, then a sustained stream
with some deliveries repeated (Zoom's retries), then the inbox and its jobs read back over RPC."""

import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import requests
from clients import pooled_session, signed_delivery
from helpers import load_average, percentile
from stack import ACCOUNT_ID, say

SERIAL = 30
CONCURRENT = 100
STREAM_SECONDS = 10
STREAM_SENDERS = 8
REPEAT_EVERY = 20  # one delivery in 20 of the stream is a repeat of an earlier one
DRAIN_TIMEOUT = 150


class Deliveries:
    """What was sent and how Odoo answered: (key, status, seconds) per delivery."""

    def __init__(self, url):
        self.url = url
        self.session = pooled_session(CONCURRENT + 8)
        self.results = []
        self.sample_error = ""
        self.lock = threading.Lock()

    def send(self, key, body):
        raw, headers = signed_delivery(body)
        start = time.perf_counter()
        try:
            status = self.session.post(self.url, data=raw, headers=headers, timeout=30).status_code
        except requests.RequestException as error:
            status = type(error).__name__
            self.sample_error = str(error)[:300]
        with self.lock:
            self.results.append((key, status, time.perf_counter() - start))


def participant_joined(zoom_id, run, i):
    now = datetime.now(timezone.utc)
    participant = {
        "user_id": str(100000 + i),
        "participant_uuid": f"{run}-{i}",
        "user_name": f"Trainee {i}",
        "email": f"hook{i}@example.com",
        "join_time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    zoom_object = {
        "id": zoom_id,
        "uuid": f"bench-{run}==",
        "host_id": "host",
        "topic": "Webhook training",
        "type": 2,
        "participant": participant,
    }
    return {
        "event": "meeting.participant_joined",
        "event_ts": int(time.time() * 1000) + i,
        "payload": {"account_id": ACCOUNT_ID, "object": zoom_object},
    }


def one_at_a_time(deliveries, zoom_id, run):
    start = time.perf_counter()
    for i in range(SERIAL):
        deliveries.send(i, participant_joined(zoom_id, run, i))
    return time.perf_counter() - start


def concurrent_burst(deliveries, zoom_id, run):
    bodies = [participant_joined(zoom_id, run, i) for i in range(CONCURRENT)]
    barrier = threading.Barrier(CONCURRENT)

    def go(i):
        barrier.wait(timeout=60)
        deliveries.send(i, bodies[i])

    start = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENT) as pool:
        list(pool.map(go, range(CONCURRENT)))
    return time.perf_counter() - start


def sustained_stream(deliveries, zoom_id, run):
    counter = iter(range(10**9))
    sent = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + STREAM_SECONDS

    def sender():
        while time.perf_counter() < deadline:
            with lock:
                i = next(counter)
                repeat = i % REPEAT_EVERY == REPEAT_EVERY - 1
                body = sent[i // 2] if repeat else participant_joined(zoom_id, run, i)
                sent[i] = body
            deliveries.send(body["payload"]["object"]["participant"]["participant_uuid"], body)

    start = time.perf_counter()
    threads = [threading.Thread(target=sender) for _ in range(STREAM_SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=STREAM_SECONDS + 60)
    return time.perf_counter() - start


def inbox_rows(odoo, run):
    return odoo.call(
        "zoom.webhook.event",
        "search_read",
        [("object_uuid", "=", f"bench-{run}==")],
        ["id", "state", "attempts", "dedupe_key"],
    )


def drain(odoo, run, expected):
    """Waits (bounded) for the inbox jobs of a run; (seconds, rows)."""
    start = time.perf_counter()
    rows = inbox_rows(odoo, run)
    while time.perf_counter() - start < DRAIN_TIMEOUT:
        rows = inbox_rows(odoo, run)
        if len(rows) >= expected and all(row["state"] != "received" for row in rows):
            break
        time.sleep(1)
    return time.perf_counter() - start, rows


def phase_figures(odoo, deliveries, run, seconds):
    acked = {key for key, status, _s in deliveries.results if status == 200}
    latencies = [s for _key, status, s in deliveries.results if isinstance(status, int)]
    failures = Counter(str(status) for _key, status, _s in deliveries.results if status != 200)
    drained, rows = drain(odoo, run, len(acked))
    keys = [f"zoom-webhook-{row['id']}" for row in rows]
    jobs = odoo.call("queue.job", "search_read", [("identity_key", "in", keys)], ["identity_key"])
    return {
        "deliveries": len(deliveries.results),
        "unique": len({key for key, _st, _s in deliveries.results}),
        "acked_2xx": sum(1 for _k, status, _s in deliveries.results if status == 200),
        "errors": sum(failures.values()),
        "failures": dict(failures),
        "sample_error": deliveries.sample_error,
        "seconds": seconds,
        "per_second": len(deliveries.results) / seconds,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies, default=0) * 1000,
        "stored": len(rows),
        "lost": len(acked) - len(rows),
        "processed": sum(1 for row in rows if row["state"] == "done"),
        "processed_twice": processed_twice(rows, jobs),
        "drain_s": drained,
        "latencies": latencies,
    }


def processed_twice(rows, jobs):
    """Deliveries whose handler ran more than once, or that got more than one job."""
    extra_jobs = len(jobs) - len({job["identity_key"] for job in jobs})
    return sum(1 for row in rows if row["attempts"] > 1) + extra_jobs


def ingestion(odoo, odoo_url, zoom_id):
    url = f"{odoo_url}/webhook/zoom-meeting"
    results = {}
    phases = (("serial", one_at_a_time), ("burst", concurrent_burst), ("stream", sustained_stream))
    for phase, send in phases:
        say(f"webhooks: {phase}")
        run = f"{phase}-{uuid.uuid4().hex[:8]}"
        deliveries = Deliveries(url)
        load = load_average()
        seconds = send(deliveries, zoom_id, run)
        results[phase] = dict(phase_figures(odoo, deliveries, run, seconds), load=load)
    return results
