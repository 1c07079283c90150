"""Zoom's deliveries answered ahead of Odoo's HTTP stack.

Storing a delivery is one INSERT. Around a route, Odoo adds a session, a database listing (a new
PostgreSQL connection when a dbfilter is set), two cursors, routing and authentication: about 5 ms of a
core before the route runs, so a burst of a hundred deliveries queues for half a second on two cores.
This wraps Odoo's WSGI application instead: a POST to a webhook route goes straight to
`zoom.webhook.event._receive` on one cursor of the database's registry. Whatever it cannot decide on its
own goes to Odoo unchanged, and the routes of controllers/webhook.py serve it: another path, several
databases for the host, a registry this process has not loaded yet, zoom_training not installed there.
`zoom_training_webhook_fast_path = False` in the server configuration turns it off.
"""

import json
import logging
import threading
import time

import psycopg2
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Request, Response

import odoo
from odoo import SUPERUSER_ID, api, http
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tools import config

from .webhook import ENDPOINT_BY_ROUTE, receive

_logger = logging.getLogger(__name__)

OPTION = "zoom_training_webhook_fast_path"
DATABASE_LIST_SECONDS = 30
OFF_VALUES = ("0", "false", "no", "off")


def fast_path_enabled():
    return str(config.get(OPTION, True)).strip().lower() not in OFF_VALUES


class DatabaseList:
    """Odoo's `list_dbs`, read again after DATABASE_LIST_SECONDS rather than on every delivery."""

    def __init__(self):
        self._names = ()
        self._read_at = None
        self._lock = threading.Lock()

    def names(self):
        with self._lock:
            now = time.monotonic()
            if self._read_at is None or now - self._read_at > DATABASE_LIST_SECONDS:
                self._names = tuple(odoo.service.db.list_dbs(force=True))
                self._read_at = now
            return self._names


DATABASES = DatabaseList()


def serve(environ):
    """The response to a webhook delivery, or None for Odoo to serve the request."""
    endpoint = ENDPOINT_BY_ROUTE.get(environ.get("PATH_INFO"))
    if not endpoint or environ.get("REQUEST_METHOD") != "POST" or not fast_path_enabled():
        return None
    _apply_proxy_headers(environ)
    registry = _zoom_registry(environ.get("HTTP_HOST", ""))
    if registry is None:
        return None
    _start_request_log(registry.db_name, environ)
    with registry.cursor() as cr:
        if registry.check_signaling(cr) is not registry:
            return None  # reloaded: Odoo serves this one with the new registry
        env = api.Environment(cr, SUPERUSER_ID, {})
        httprequest = Request(environ)
        answer = retrying(lambda: receive(env, httprequest, endpoint), env)
    return Response(json.dumps(answer.body), status=answer.status, content_type="application/json")


def _zoom_registry(host):
    """The loaded registry of the one database Odoo would pick for `host`, with zoom_training in it."""
    try:
        databases = http.db_filter(DATABASES.names(), host=host)
    except psycopg2.OperationalError:  # no database server: Odoo answers, as it would anyway
        return None
    if len(databases) != 1:
        return None
    registry = Registry.registries.get(databases[0])  # never loaded here: loading is Odoo's to do
    if registry is None or not registry.ready or "zoom.webhook.event" not in registry:
        return None
    return registry


def _apply_proxy_headers(environ):
    """What Odoo's Application does before routing: behind a proxy, the host and address it forwards."""
    if config["proxy_mode"] and environ.get("HTTP_X_FORWARDED_HOST"):
        ProxyFix(lambda *_args: [])(environ, lambda *_args: None)


def _start_request_log(db_name, environ):
    """The per-request figures Odoo's request log prints (queries, SQL time, Python time)."""
    thread = threading.current_thread()
    thread.query_count = 0
    thread.query_time = 0
    thread.perf_t0 = time.time()
    thread.dbname = db_name
    thread.url = environ.get("PATH_INFO", "")


def install():
    """Wraps odoo.http.Application once per process; the addon's import calls it."""
    original = http.Application.__call__
    if getattr(original, "zoom_fast_path", False):
        return

    def __call__(self, environ, start_response):
        try:
            response = serve(environ)
        except Exception:
            _logger.exception("Zoom webhook fast path failed; Zoom will deliver again")
            response = Response(json.dumps({"status": "error"}), status=500, content_type="application/json")
        if response is None:
            return original(self, environ, start_response)
        return response(environ, start_response)

    __call__.zoom_fast_path = True
    http.Application.__call__ = __call__


install()
