"""Scenario 3: webhook ingestion by the real Odoo endpoint: 100 concurrent deliveries, then a sustained stream
with some deliveries repeated (Zoom's retries), then the inbox and its jobs read back over RPC."""

import asyncio
import itertools
import time
import uuid
from collections import Counter
from datetime import datetime, timezone
from urllib.parse import urlsplit

from clients import signed_delivery
from helpers import last_job_id, load_average, percentile
from stack import ACCOUNT_ID, say

SERIAL = 30
CONCURRENT = 100
STREAM_SECONDS = 10
STREAM_SENDERS = 8
REPEAT_EVERY = 20  # one delivery in 20 of the stream is a repeat of an earlier one
DRAIN_TIMEOUT = 150


class Deliveries:
    """What was sent and how Odoo answered: (key, status, seconds) per delivery.

    The sender is asyncio on raw HTTP/1.1 sockets, one connection per delivery as Zoom opens them: it
    shares the machine's two cores with Odoo and PostgreSQL, so it spends as little of them as it can
    (a thread and `requests` per delivery cost about as much as Odoo's answer)."""

    def __init__(self, url):
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path
        self.results = []
        self.sample_error = ""

    def request_bytes(self, body):
        raw, headers = signed_delivery(body)
        lines = [f"POST {self.path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines.append(f"Content-Length: {len(raw)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + raw

    async def send(self, key, request):
        start = time.perf_counter()
        try:
            status = await asyncio.wait_for(self._exchange(request), timeout=30)
        except (OSError, asyncio.TimeoutError, ValueError) as error:
            status = type(error).__name__
            self.sample_error = str(error)[:300]
        self.results.append((key, status, time.perf_counter() - start))

    async def _exchange(self, request):
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(request)
            await writer.drain()
            status_line = await reader.readline()
            await reader.read()  # headers and body, up to Odoo's close
            return int(status_line.split()[1])
        finally:
            writer.close()


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
    async def send_all():
        for i in range(SERIAL):
            await deliveries.send(i, deliveries.request_bytes(participant_joined(zoom_id, run, i)))

    start = time.perf_counter()
    asyncio.run(send_all())
    return time.perf_counter() - start


def concurrent_burst(deliveries, zoom_id, run):
    """CONCURRENT deliveries signed beforehand, their connections opened at the same instant."""
    requests = [deliveries.request_bytes(participant_joined(zoom_id, run, i)) for i in range(CONCURRENT)]

    async def send_all():
        await asyncio.gather(*(deliveries.send(i, request) for i, request in enumerate(requests)))

    start = time.perf_counter()
    asyncio.run(send_all())
    return time.perf_counter() - start


def sustained_stream(deliveries, zoom_id, run):
    """STREAM_SENDERS senders, each posting its next delivery as soon as the last is answered; one in
    REPEAT_EVERY is a delivery sent before (Zoom's retries)."""
    counter = itertools.count()
    sent = {}
    deadline = time.perf_counter() + STREAM_SECONDS

    async def sender():
        while time.perf_counter() < deadline:
            i = next(counter)
            repeat = i % REPEAT_EVERY == REPEAT_EVERY - 1
            body = sent[i // 2] if repeat else participant_joined(zoom_id, run, i)
            sent[i] = body
            key = body["payload"]["object"]["participant"]["participant_uuid"]
            await deliveries.send(key, deliveries.request_bytes(body))

    async def send_all():
        await asyncio.gather(*(sender() for _ in range(STREAM_SENDERS)))

    start = time.perf_counter()
    asyncio.run(send_all())
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


def phase_figures(odoo, deliveries, run, seconds, since_job):
    acked = {key for key, status, _s in deliveries.results if status == 200}
    latencies = [s for _key, status, s in deliveries.results if isinstance(status, int)]
    failures = Counter(str(status) for _key, status, _s in deliveries.results if status != 200)
    drained, rows = drain(odoo, run, len(acked))
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
        "processed_twice": sum(1 for row in rows if row["attempts"] > 1),
        "drain_jobs": drain_jobs(odoo, since_job),
        "drain_s": drained,
        "latencies": latencies,
    }


def drain_jobs(odoo, since_job):
    """The jobs that processed the phase's deliveries (one drain job takes up to 500)."""
    return odoo.call("queue.job", "search_count", [("id", ">", since_job), ("method_name", "=", "_drain")])


def ingestion(odoo, odoo_url, zoom_id):
    url = f"{odoo_url}/webhook/zoom-meeting"
    results = {}
    phases = (("serial", one_at_a_time), ("burst", concurrent_burst), ("stream", sustained_stream))
    for phase, send in phases:
        say(f"webhooks: {phase}")
        run = f"{phase}-{uuid.uuid4().hex[:8]}"
        deliveries = Deliveries(url)
        load = load_average()
        since_job = last_job_id(odoo)
        seconds = send(deliveries, zoom_id, run)
        results[phase] = dict(phase_figures(odoo, deliveries, run, seconds, since_job), load=load)
    return results
