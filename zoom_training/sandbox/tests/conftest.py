"""Fixtures: an embedded sandbox on a random port, an authenticated client, a webhook receiver."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from zoom_training.sandbox import ZoomSandbox

from .contract import require_specs


@pytest.fixture
def zoom_specs():
    """Zoom's official specs, which the contract tests need: missing, the test fails (never skips)."""
    require_specs()


class Client:
    """requests against the sandbox's /v2 with a bearer token."""

    def __init__(self, sandbox, token):
        self.base = sandbox.api_base
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 5)
        return self.session.request(method, self.base + path, **kwargs)

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.call("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.call("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self.call("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.call("DELETE", path, **kwargs)

    def create_meeting(self, user="host@example.com", **body):
        return self._create("meetings", user, body)

    def create_webinar(self, user="host@example.com", **body):
        return self._create("webinars", user, body)

    def _create(self, collection, user, body):
        body.setdefault("topic", "Training")
        body.setdefault("start_time", "2030-01-15T09:00:00Z")
        response = self.post(f"/users/{user}/{collection}", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def register(self, meeting_id, email, first_name="Guest"):
        response = self.post(
            f"/meetings/{meeting_id}/registrants", json={"email": email, "first_name": first_name}
        )
        assert response.status_code == 201, response.text
        return response.json()

    def registration_meeting(self, approval_type=0, **body):
        return self.create_meeting(settings={"approval_type": approval_type}, **body)


@pytest.fixture
def sandbox():
    with ZoomSandbox(rate_limits=False, seed=7, webhook_time_scale=0.001, webhook_timeout=1.0) as running:
        yield running


@pytest.fixture
def client(sandbox):
    return Client(sandbox, sandbox.issue_token())


class Receiver:
    """A local webhook endpoint that records deliveries and answers as told."""

    def __init__(self):
        self.received = []
        self.statuses = []  # answers to give, in order; 200 once exhausted
        self.delay = 0.0
        self.secret = None  # when set, answers endpoint.url_validation
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}/webhook"
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), raw))
                time.sleep(receiver.delay)
                status, body = receiver.answer(raw)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def answer(self, raw):
        status = self.statuses.pop(0) if self.statuses else 200
        event = json.loads(raw)
        if event["event"] == "endpoint.url_validation" and self.secret:
            plain = event["payload"]["plainToken"]
            encrypted = hmac.new(self.secret.encode(), plain.encode(), hashlib.sha256).hexdigest()
            return status, json.dumps({"plainToken": plain, "encryptedToken": encrypted}).encode()
        return status, b"{}"

    def events(self):
        return [json.loads(raw)["event"] for _, raw in self.received]

    def close(self):
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def receiver():
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


@pytest.fixture
def hooked(sandbox, receiver):
    """The sandbox posting its events to the receiver."""
    sandbox.webhooks.url = receiver.url
    return sandbox
