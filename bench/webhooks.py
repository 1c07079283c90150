"""Scenario 3: webhook ingestion by the real Odoo endpoint: 100 concurrent deliveries, then a sustained stream
with some deliveries repeated (Zoom's retries), then the inbox and its jobs read back over RPC."""

import itertools
import os
import selectors
import socket
import time
import uuid
from collections import Counter
from datetime import datetime, timezone
from urllib.parse import urlsplit

from attacker import RATE, Attacker
from clients import signed_delivery
from helpers import CpuUse, last_job_id, load_average, percentile
from stack import ACCOUNT_ID, say

SERIAL = 30
CONCURRENT = 100
BURSTS = 5
BURST_GAP = 4  # seconds: the drain job of a burst (1 s later, about 2 s long) is done
STREAM_SECONDS = 10
STREAM_SENDERS = 8
REPEAT_EVERY = 20  # one delivery in 20 of the stream is a repeat of an earlier one
DRAIN_TIMEOUT = 150
TIMEOUT = 30  # seconds for one delivery's answer


class Deliveries:
    """What was sent and how Odoo answered: (key, status, seconds) per delivery.

    The sender is one thread on non-blocking sockets and a selector, one connection per delivery as Zoom
    opens them: it shares the machine's two cores with Odoo and PostgreSQL, so it spends as little of them
    as it can (asyncio's streams cost 0.4 ms of a core per delivery, a thread and `requests` about as much
    as Odoo's answer)."""

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

    def send(self, requests, in_flight):
        """Sends (key, request bytes) from `requests`, `in_flight` connections open at a time, each next one
        opened as soon as one is answered."""
        selector = selectors.DefaultSelector()
        pending = iter(requests)
        open_count = 0
        for _ in range(in_flight):
            open_count += self._open_next(selector, pending)
        while open_count:
            for key, _mask in selector.select(timeout=1):
                if self._step(selector, key.fileobj, key.data):
                    open_count -= 1
                    open_count += self._open_next(selector, pending)
            open_count -= self._expire(selector)
        selector.close()

    def _open_next(self, selector, pending):
        item = next(pending, None)
        if item is None:
            return 0
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        exchange = _Exchange(*item)
        sock.connect_ex((self.host, self.port))
        selector.register(sock, selectors.EVENT_WRITE, exchange)
        return 1

    def _step(self, selector, sock, exchange):
        """Advances one exchange; True once it is over."""
        try:
            if not exchange.written:
                error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if error:
                    raise ConnectionRefusedError(error, os.strerror(error))
                sock.sendall(exchange.request)
                exchange.written = True
                selector.modify(sock, selectors.EVENT_READ, exchange)
                return False
            data = sock.recv(65536)
            if data:
                exchange.answer += data
                return False
            self._finish(selector, sock, exchange, int(bytes(exchange.answer).split(b" ", 2)[1]))
        except (OSError, ValueError, IndexError) as error:
            self.sample_error = str(error)[:300]
            self._finish(selector, sock, exchange, type(error).__name__)
        return True

    def _expire(self, selector):
        late = [key for key in selector.get_map().values() if time.perf_counter() - key.data.start > TIMEOUT]
        for key in late:
            self._finish(selector, key.fileobj, key.data, "TimeoutError")
        return len(late)

    def _finish(self, selector, sock, exchange, status):
        selector.unregister(sock)
        sock.close()
        self.results.append((exchange.key, status, time.perf_counter() - exchange.start))


class _Exchange:
    __slots__ = ("answer", "key", "request", "start", "written")

    def __init__(self, key, request):
        self.key, self.request, self.start = key, request, time.perf_counter()
        self.answer, self.written = bytearray(), False


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
    requests = ((i, deliveries.request_bytes(participant_joined(zoom_id, run, i))) for i in range(SERIAL))
    start = time.perf_counter()
    deliveries.send(requests, in_flight=1)
    return time.perf_counter() - start


def concurrent_burst(deliveries, zoom_id, run):
    """BURSTS bursts of CONCURRENT deliveries, each signed beforehand, their connections opened at the same
    instant, BURST_GAP seconds apart (the drain job of one is done before the next); seconds spent
    sending. Each burst's p99 is kept too: one burst's is its slowest delivery but one."""
    sending = 0.0
    deliveries.burst_p99_ms = []
    for burst in range(BURSTS):
        if burst:
            time.sleep(BURST_GAP)
        first = burst * CONCURRENT
        requests = [
            (i, deliveries.request_bytes(participant_joined(zoom_id, run, i)))
            for i in range(first, first + CONCURRENT)
        ]
        start, answered = time.perf_counter(), len(deliveries.results)
        deliveries.send(requests, in_flight=CONCURRENT)
        sending += time.perf_counter() - start
        latencies = [seconds for _key, _status, seconds in deliveries.results[answered:]]
        deliveries.burst_p99_ms.append(percentile(latencies, 0.99) * 1000)
    return sending


def sustained_stream(deliveries, zoom_id, run):
    """STREAM_SENDERS senders, each posting its next delivery as soon as the last is answered; one in
    REPEAT_EVERY is a delivery sent before (Zoom's retries)."""
    sent = {}
    deadline = time.perf_counter() + STREAM_SECONDS

    def requests():
        for i in itertools.count():
            if time.perf_counter() >= deadline:
                return
            repeat = i % REPEAT_EVERY == REPEAT_EVERY - 1
            body = sent[i // 2] if repeat else participant_joined(zoom_id, run, i)
            sent[i] = body
            yield body["payload"]["object"]["participant"]["participant_uuid"], deliveries.request_bytes(body)

    start = time.perf_counter()
    deliveries.send(requests(), in_flight=STREAM_SENDERS)
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
        "burst_p99_ms": getattr(deliveries, "burst_p99_ms", None),
    }


def drain_jobs(odoo, since_job):
    """The jobs that processed the phase's deliveries (one drain job takes up to 500)."""
    return odoo.call("queue.job", "search_count", [("id", ">", since_job), ("method_name", "=", "_drain")])


def ingestion(odoo, servers, zoom_id):
    """The phases against each of `servers` ({name: Odoo's base URL}); the first is the one deployed
    (Odoo's gevent server, where the proxy routes /webhook/zoom-*), and runs the serial phase first, which
    also loads its registry. Results by phase name, the others' suffixed with their server's name."""
    results = {}
    for index, (server, base_url) in enumerate(servers.items()):
        url = f"{base_url}/webhook/zoom-meeting"
        phases = PHASES if index == 0 else PHASES[1:]
        for phase, send in phases:
            name = phase if index == 0 else f"{phase} ({server})"
            say(f"webhooks: {name}")
            run = f"{phase}-{uuid.uuid4().hex[:8]}"
            deliveries = Deliveries(url)
            load = load_average()
            since_job = last_job_id(odoo)
            seconds = send(deliveries, zoom_id, run)
            results[name] = dict(phase_figures(odoo, deliveries, run, seconds, since_job), load=load)
    return results


PHASES = (("serial", one_at_a_time), ("burst", concurrent_burst), ("stream", sustained_stream))


def under_attack(odoo, url, zoom_id, attacker_source=None):
    """The burst (BURSTS of CONCURRENT signed deliveries) on a quiet server, then again while an attacker
    sends RATE unsigned requests a second to the same URL (bench/attacker.py): the genuine deliveries'
    figures of each, the attacker's answers, and the rows it left (inbox rows that no genuine delivery
    made)."""
    results = {}
    say("webhooks: warm-up (the gevent server loads the registry on its first delivery)")
    one_at_a_time(Deliveries(url), zoom_id, f"warm-up-{uuid.uuid4().hex[:8]}")
    time.sleep(BURST_GAP)
    rows_before = odoo.call("zoom.webhook.event", "search_count", [])
    for phase in ("quiet", "under attack"):
        say(f"webhooks: burst, {phase}")
        run = f"{phase.replace(' ', '-')}-{uuid.uuid4().hex[:8]}"
        deliveries, load, since_job = Deliveries(url), load_average(), last_job_id(odoo)
        if phase == "quiet":
            seconds = concurrent_burst(deliveries, zoom_id, run)
        else:
            with Attacker(url, source=attacker_source) as attacker:
                seconds = concurrent_burst(deliveries, zoom_id, run)
        figures = phase_figures(odoo, deliveries, run, seconds, since_job)
        figures["lost"] = figures["unique"] - figures["stored"]  # not answered 200, or answered and not kept
        results[phase] = dict(figures, load=load)
    attacked = results["under attack"]
    attacked["attacker"] = attacker.figures
    genuine = sum(phase["stored"] for phase in results.values())
    attacked["attacker_rows"] = odoo.call("zoom.webhook.event", "search_count", []) - rows_before - genuine
    attacked["p99_ratio"] = attacked["p99_ms"] / results["quiet"]["p99_ms"]
    attacked["refused_counted"] = sum(
        row["count"] for row in odoo.call("zoom.webhook.rejection", "search_read", [], ["count"])
    )
    return results


ATTACK_RATE = RATE


WIDE = int(os.environ.get("BENCH_WIDE_DELIVERIES") or 1000)
ZOOM_ACK_SECONDS = 3  # Zoom counts a delivery not answered within 3 s as failed and retries it


def wide_burst(odoo, url, zoom_id, run_dir):
    """WIDE deliveries opened at the same instant through nginx to both servers' gevent processes: every
    one answered within Zoom's 3 s, their latency, lost, processed once; the CPU each group of processes
    spent while they were sent and answered (ms per delivery), and connection attempts dropped by a full
    listen backlog (each comes again 1 s later)."""
    say(f"webhooks: {WIDE} concurrent deliveries through nginx")
    one_at_a_time(Deliveries(url), zoom_id, f"warm-up-{uuid.uuid4().hex[:8]}")  # each gevent server loads
    one_at_a_time(Deliveries(url), zoom_id, f"warm-up-{uuid.uuid4().hex[:8]}")
    time.sleep(BURST_GAP)
    run = f"wide-{uuid.uuid4().hex[:8]}"
    deliveries, load, since_job = Deliveries(url), load_average(), last_job_id(odoo)
    requests = [(i, deliveries.request_bytes(participant_joined(zoom_id, run, i))) for i in range(WIDE)]
    start = time.perf_counter()
    with CpuUse(run_dir) as cpu:
        deliveries.send(requests, in_flight=WIDE)
    seconds = time.perf_counter() - start
    figures = phase_figures(odoo, deliveries, run, seconds, since_job)
    figures["cpu_ms_per_delivery"] = {name: used * 1000 / WIDE for name, used in cpu.seconds.items()}
    figures["listen_overflows"] = cpu.listen_overflows
    figures["within_3s"] = sum(
        1 for _key, status, s in deliveries.results if status == 200 and s <= ZOOM_ACK_SECONDS
    )
    return dict(figures, load=load)
