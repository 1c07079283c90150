"""Small clients: Odoo over JSON-RPC, the sandbox's admin API and its REST API, signed webhook deliveries."""

import hashlib
import hmac
import json
import time

import requests
from requests.adapters import HTTPAdapter
from stack import ACCOUNT_ID, SANDBOX_SECRET


def pooled_session(pool=32):
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=pool, pool_maxsize=pool)
    session.mount("http://", adapter)
    return session


class Odoo:
    """execute_kw over /jsonrpc as admin."""

    def __init__(self, url, db, login="admin", password="admin"):
        self.url, self.db, self.password = url, db, password
        self.session = pooled_session()
        self.uid = self._call("common", "login", db, login, password)

    def _call(self, service, method, *args, timeout=300):
        body = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
        }
        answer = self.session.post(f"{self.url}/jsonrpc", json=body, timeout=timeout).json()
        if "error" in answer:
            error = answer["error"]
            raise RuntimeError(error.get("data", {}).get("message") or error.get("message"))
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        return self._call(
            "object", "execute_kw", self.db, self.uid, self.password, model, method, args, kwargs
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call(
            "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], ["res_id"]
        )
        return rows[0]["res_id"]


class Sandbox:
    """The sandbox's admin API (state, request log) and a plain REST client, as a market app would use."""

    def __init__(self, url):
        self.url = url
        self.session = pooled_session()
        self._token = None

    def admin(self, method, path, body=None):
        response = self.session.request(method, f"{self.url}/_sandbox/{path}", json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def requests_log(self):
        return self.admin("GET", "requests")

    def clear_log(self):
        self.admin("DELETE", "requests")

    def meeting_state(self, zoom_id):
        meetings = self.admin("GET", "state")["meetings"]
        return next((meeting for meeting in meetings if str(meeting["id"]) == str(zoom_id)), None)

    def token(self):
        if not self._token:
            answer = self.session.post(
                f"{self.url}/oauth/token",
                params={"grant_type": "account_credentials", "account_id": ACCOUNT_ID},
                auth=("sandbox_client_id", "sandbox_client_secret"),
                timeout=10,
            )
            answer.raise_for_status()
            self._token = answer.json()["access_token"]
        return self._token

    def api(self, method, path, body=None):
        headers = {"Authorization": f"Bearer {self.token()}"}
        return self.session.request(method, f"{self.url}/v2{path}", json=body, headers=headers, timeout=30)


def signed_delivery(body, secret=SANDBOX_SECRET):
    """(raw body, headers) of a delivery signed as Zoom signs them."""
    raw = json.dumps(body, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "x-zm-request-timestamp": timestamp,
        "x-zm-signature": f"v0={digest}",
    }
    return raw, headers
