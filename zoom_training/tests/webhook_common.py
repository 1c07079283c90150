"""Deliveries signed here from Zoom's published algorithm (CONTRACT §5.3), independently of the addon."""

import hashlib
import hmac
import json
import time

import requests

from odoo.tools import config

from odoo.addons.zoom_training.models.zoom_webhook_intake import REJECTIONS

from .common import ZoomSandboxCase

MEETING_ROUTE = "/webhook/zoom-meeting"
TIMEOUT = 10  # seconds, one number


def zoom_signature(secret, timestamp, raw_body):
    message = f"v0:{timestamp}:".encode() + raw_body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def compact(body):
    return json.dumps(body, separators=(",", ":")).encode()


class WebhookCase(ZoomSandboxCase):
    def setUp(self):
        super().setUp()
        self.account = self.connect_company(self.env)
        self.secret = self.sandbox.webhooks.secret
        self.account_id = self.sandbox.oauth.account_id
        REJECTIONS.reset()  # each test's first refusal is logged and written at once
        self.env.flush_all()

    def webhook_url(self, route=MEETING_ROUTE):
        return f"http://127.0.0.1:{config['http_port']}{route}"

    def post(self, body, timestamp=None, secret=None, signature=None, route=MEETING_ROUTE, headers=None):
        raw = compact(body) if isinstance(body, dict) else body  # bytes, or chunks to stream
        self.env.flush_all()  # the request reads the database through the same test cursor
        timestamp = str(int(time.time())) if timestamp is None else str(timestamp)
        signed = {
            "Content-Type": "application/json; charset=utf-8",
            "x-zm-request-timestamp": timestamp,
            "x-zm-signature": signature
            if signature is not None
            else zoom_signature(secret or self.secret, timestamp, raw),
        }
        return requests.post(
            self.webhook_url(route), data=raw, headers={**signed, **(headers or {})}, timeout=TIMEOUT
        )

    def envelope(self, event, zoom_object, event_ts=1_700_000_000_123, **payload):
        return {
            "event": event,
            "event_ts": event_ts,
            "payload": {"account_id": self.account_id, "object": zoom_object, **payload},
        }

    def inbox(self, **filters):
        self.env.invalidate_all()
        domain = [(name, "=", value) for name, value in filters.items()]
        return self.env["zoom.webhook.event"].search(domain)
