"""An attacker of the webhook URL, on 127.0.0.1 only: unsigned requests at a fixed rate, in a process of its
own (so that its sending does not slow down the genuine sender's), until told to stop. It sends from a
loopback address of its own (`source`, 127.0.0.2 through nginx) when asked, as a stranger would.

The mix, per 10 requests: 4 of junk (random bytes, a missing or misshapen signature), 1 big body sent in
chunks (768 KB, a current timestamp and a signature of the right shape), 5 envelopes of random Zoom
account ids (a current timestamp, a signature of the right shape): the last two kinds get past every
check that needs no secret, so they cost Odoo the most a stranger can make it spend."""

import json
import multiprocessing
import os
import random
import selectors
import socket
import time
import uuid
from collections import Counter
from urllib.parse import urlsplit

RATE = 1000  # requests a second
MAX_OPEN = 400  # connections open at once; a request due while they are all open is skipped (counted)
BIG_BODY = 768 * 1024
CHUNK = 16 * 1024
TIMEOUT = 10


def _fake_signature():
    return "v0=" + os.urandom(32).hex()


def _request(path, host, headers, body, chunked=False):
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if chunked:
        lines.append("Transfer-Encoding: chunked")
        body = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in _parts(body)) + b"0\r\n\r\n"
    else:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _parts(body):
    return [body[start : start + CHUNK] for start in range(0, len(body), CHUNK)]


def _junk(path, host):
    headers = random.choice(
        ({}, {"x-zm-signature": "v0=x"}, {"x-zm-request-timestamp": "\u00b2", "x-zm-signature": "a"})
    )
    return _request(path, host, headers, os.urandom(random.randint(200, 2000)))


def _big(path, host):
    headers = {"x-zm-request-timestamp": str(int(time.time())), "x-zm-signature": _fake_signature()}
    return _request(path, host, headers, os.urandom(BIG_BODY), chunked=True)


def _random_account(path, host):
    body = {
        "event": "meeting.participant_joined",
        "event_ts": int(time.time() * 1000),
        "payload": {
            "account_id": uuid.uuid4().hex,
            "object": {"id": random.randint(1, 10**11), "uuid": f"{uuid.uuid4()}==", "participant": {}},
        },
    }
    headers = {
        "Content-Type": "application/json",
        "x-zm-request-timestamp": str(int(time.time())),
        "x-zm-signature": _fake_signature(),
    }
    return _request(path, host, headers, json.dumps(body).encode())


MIX = [_junk] * 4 + [_big] + [_random_account] * 5


def attack(url, stop, results, rate=RATE, source=None):
    """Sends until `stop` is set; puts {statuses, sent, skipped, seconds} in `results` (a queue)."""
    parts = urlsplit(url)
    address, host = (parts.hostname, parts.port), f"{parts.hostname}:{parts.port}"
    assert parts.hostname == "127.0.0.1", "the attacker sends to 127.0.0.1 only"
    big_pool = [_big(parts.path, host) for _ in range(4)]  # 768 KB of random bytes each, made once
    selector, statuses, sent, skipped = selectors.DefaultSelector(), Counter(), 0, 0
    started = time.perf_counter()
    while not stop.is_set():
        due = int((time.perf_counter() - started) * rate) - sent - skipped
        for _ in range(max(0, due)):
            if len(selector.get_map()) >= MAX_OPEN:
                skipped += 1
                continue
            kind = MIX[(sent + skipped) % len(MIX)]
            request = random.choice(big_pool) if kind is _big else kind(parts.path, host)
            _open(selector, address, request, source)
            sent += 1
        for key, _mask in selector.select(timeout=0.001):
            _step(selector, key, statuses)
        _expire(selector, statuses)
    seconds = time.perf_counter() - started
    for key in list(selector.get_map().values()):
        _close(selector, key, statuses, "unfinished")
    results.put({"statuses": dict(statuses), "sent": sent, "skipped": skipped, "seconds": seconds})


class _Exchange:
    __slots__ = ("answer", "request", "start", "written")

    def __init__(self, request):
        self.request, self.start, self.answer, self.written = memoryview(request), time.perf_counter(), b"", 0


def _open(selector, address, request, source=None):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if source:
        sock.bind((source, 0))
    sock.setblocking(False)
    sock.connect_ex(address)
    selector.register(sock, selectors.EVENT_WRITE, _Exchange(request))


def _step(selector, key, statuses):
    sock, exchange = key.fileobj, key.data
    try:
        if exchange.written < len(exchange.request):
            exchange.written += sock.send(exchange.request[exchange.written : exchange.written + 262144])
            if exchange.written >= len(exchange.request):
                selector.modify(sock, selectors.EVENT_READ, exchange)
            return
        data = sock.recv(65536)
        if data:
            exchange.answer += data
            return
        status = exchange.answer.split(b" ", 2)[1].decode() if exchange.answer else "closed"
        _close(selector, key, statuses, status)
    except BlockingIOError:
        return
    except OSError as error:
        answer = exchange.answer or _answer_left(sock)  # answered (413) before the whole body was sent
        _close(selector, key, statuses, answer.split(b" ", 2)[1].decode() if answer else type(error).__name__)


def _answer_left(sock):
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _expire(selector, statuses):
    now = time.perf_counter()
    for key in [key for key in selector.get_map().values() if now - key.data.start > TIMEOUT]:
        _close(selector, key, statuses, "timeout")


def _close(selector, key, statuses, status):
    selector.unregister(key.fileobj)
    key.fileobj.close()
    statuses[status] += 1


class Attacker:
    """`with Attacker(url):` attacks in another process for the block's duration; `.figures` after it."""

    def __init__(self, url, rate=RATE, source=None):
        self.url, self.rate, self.figures = url, rate, None
        context = multiprocessing.get_context("spawn")
        self._stop, self._results = context.Event(), context.Queue()
        self._process = context.Process(
            target=attack, args=(url, self._stop, self._results, rate, source), daemon=True
        )

    def __enter__(self):
        self._process.start()
        time.sleep(1)  # at its rate before the genuine deliveries start
        return self

    def __exit__(self, *_exc):
        self._stop.set()
        self.figures = self._results.get(timeout=60)
        self._process.join(timeout=30)
        self.figures["per_second"] = self.figures["sent"] / self.figures["seconds"]
