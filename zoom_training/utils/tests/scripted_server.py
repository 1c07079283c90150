"""A tiny HTTP server on 127.0.0.1 that answers from a script, for faults the Zoom sandbox has no knob for.

Each request takes the next queued `Reply` (or the default one) and is recorded in `received`.
The token endpoint `/oauth/token` answers from its own script and counts its requests.
"""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: object = None  # JSON-encoded, unless bytes
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


@dataclass
class Received:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes


def token_reply(access_token, expires_in=3599, scope="meeting:read:admin meeting:write:admin", api_url=None):
    body = {"access_token": access_token, "token_type": "bearer", "expires_in": expires_in, "scope": scope}
    if api_url:
        body["api_url"] = api_url
    return Reply(200, body)


class ScriptedServer:
    def __init__(self):
        self.replies = deque()
        self.token_replies = deque()
        self.default = Reply(200, {})
        self.received = []
        self.token_requests = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def queue(self, *replies):
        with self._lock:
            self.replies.extend(replies)

    def queue_tokens(self, *replies):
        with self._lock:
            self.token_replies.extend(replies)

    def api_calls(self):
        return [one for one in self.received if one.path != "/oauth/token"]

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def _next_reply(self, received):
        with self._lock:
            self.received.append(received)
            if received.path == "/oauth/token":
                self.token_requests.append(received)
                return self.token_replies.popleft() if self.token_replies else token_reply("default-token")
            return self.replies.popleft() if self.replies else self.default


def _handler_for(server):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self):
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            received = Received(
                self.command,
                parts.path,
                {key: values[0] for key, values in parse_qs(parts.query).items()},
                dict(self.headers.items()),
                self.rfile.read(length) if length else b"",
            )
            reply = server._next_reply(received)
            time.sleep(reply.delay)
            if reply.drop:
                self.close_connection = True
                return
            payload = _payload(reply.body)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if payload and not isinstance(reply.body, bytes):
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _answer

        def log_message(self, *args):
            pass

    return Handler


def _payload(body):
    if body is None:
        return b""
    return body if isinstance(body, bytes) else json.dumps(body).encode()
