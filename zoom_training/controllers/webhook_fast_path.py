"""Zoom's deliveries answered ahead of Odoo's HTTP stack, and stored together when they arrive together.

Storing a delivery is one INSERT. Around a route, Odoo adds a session, a database listing (a new
PostgreSQL connection when a dbfilter is set), two cursors, routing and authentication: about 5 ms of a
core before the route runs, so a burst of a hundred deliveries queues for half a second on two cores.
This wraps Odoo's WSGI application instead: a POST to a webhook route reads its body and hands it to the
database's GroupCommit (utils/group_commit.py), which stores the deliveries that arrived meanwhile with
`zoom.webhook.event._receive_batch` on one cursor: one INSERT and one commit for all of them. In a
prefork worker a batch is one delivery; in Odoo's gevent server, where the proxy sends Zoom's deliveries
(README, Deploying), a burst of a hundred is stored by two or three transactions. Whatever it cannot
decide on its own goes to Odoo unchanged, and the routes of controllers/webhook.py serve it: another
path, several databases for the host, a registry this process has not loaded yet, zoom_training not
installed there. `zoom_training_webhook_fast_path = False` in the server configuration turns it off.
"""

import functools
import gc
import io
import logging
import threading
import time

import psycopg2
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.middleware.proxy_fix import ProxyFix

import odoo
from odoo import SUPERUSER_ID, api, http
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tools import config

from ..models.zoom_webhook_intake import (
    DEFAULT_MAX_BYTES,
    REJECTIONS,
    TOO_LARGE,
    WebhookRequest,
    count_refusal,
    refusal_before_secrets,
)
from ..utils.group_commit import GroupCommit
from .webhook import ENDPOINT_BY_ROUTE, FAILED

_logger = logging.getLogger(__name__)

OPTION = "zoom_training_webhook_fast_path"
GC_FREEZE_OPTION = "zoom_training_webhook_gc_freeze"
BACKLOG_OPTION = "zoom_training_webhook_listen_backlog"
# Connections the gevent server's listening socket holds before it accepts them. gevent's default is 128:
# nginx opens a connection per delivery beyond its idle ones, so a burst of a thousand overflowed it, and
# the kernel dropped the surplus connections, which came again 1 s later (TCP's first retransmission).
# The kernel caps it at net.core.somaxconn (4096 on current Linux).
DEFAULT_LISTEN_BACKLOG = 2048
DATABASE_LIST_SECONDS = 30
MAX_HOSTS = 64  # Host headers remembered: any sender may write one
DRAIN_CHECK_DELAY = 0.2  # seconds; the drain job itself waits 1 s (DRAIN_DELAY_SECONDS)
OFF_VALUES = ("0", "false", "no", "off")


def fast_path_enabled():
    return _enabled(OPTION)


def _enabled(option):
    return str(config.get(option, True)).strip().lower() not in OFF_VALUES


class DatabaseList:
    """Odoo's `list_dbs`, and the database its dbfilter picks for a host, read again after
    DATABASE_LIST_SECONDS rather than on every delivery."""

    def __init__(self):
        self._names = ()
        self._by_host = {}
        self._read_at = None
        self._lock = threading.Lock()

    def names(self):
        with self._lock:
            now = time.monotonic()
            if self._read_at is None or now - self._read_at > DATABASE_LIST_SECONDS:
                self._names = tuple(odoo.service.db.list_dbs(force=True))
                self._by_host = {}
                self._read_at = now
            return self._names

    def for_host(self, host):
        """The one database Odoo would pick for `host`, or None (none, or several: Odoo asks which). The
        MAX_HOSTS hosts asked last are remembered; the oldest is forgotten first."""
        names = self.names()
        with self._lock:
            if host in self._by_host:
                return self._by_host[host]
        databases = http.db_filter(names, host=host)
        database = databases[0] if len(databases) == 1 else None
        with self._lock:
            while len(self._by_host) >= MAX_HOSTS:
                del self._by_host[next(iter(self._by_host))]
            self._by_host[host] = database
        return database


DATABASES = DatabaseList()
# The body size limit each database had at its last delivery: how much of a body is read before storing.
BODY_LIMITS = {}
_GROUPS = {}
_GROUPS_LOCK = threading.Lock()


def serve(environ):
    """The response to a webhook delivery, or None for Odoo to serve the request."""
    endpoint = ENDPOINT_BY_ROUTE.get(environ.get("PATH_INFO"))
    if not endpoint or environ.get("REQUEST_METHOD") != "POST":
        return None
    # The intake reads the raw body, never a form: Odoo parses a form body before the route runs, and a
    # broken one (a bad chunk, a lying multipart) failed there with a 500. Zoom sends JSON.
    environ["CONTENT_TYPE"] = "application/json"
    if not fast_path_enabled():
        return None
    _apply_proxy_headers(environ)
    try:
        db_name = DATABASES.for_host(environ.get("HTTP_HOST", ""))
    except psycopg2.OperationalError:  # no database server: Odoo answers, as it would anyway
        return None
    if db_name is None:
        return None
    _start_request_log(db_name, environ)
    delivery = WebhookRequest.from_environ(environ, endpoint, BODY_LIMITS.get(db_name, DEFAULT_MAX_BYTES))
    refused = _refused_without_database(db_name, delivery)
    if refused:
        return JsonAnswer(refused)
    answer = _group_commit(db_name).submit(delivery)
    if answer is None:  # Odoo serves this one: its registry is not loaded here, or was reloaded meanwhile
        if delivery.too_large:
            return JsonAnswer(TOO_LARGE)
        _give_body_back(environ, delivery.raw_body)
        return None
    return JsonAnswer(answer)


def _refused_without_database(db_name, delivery):
    """The answer to a delivery its size, body or headers disqualify, given without a cursor (a stranger's
    flood then costs no database work but one write of its counts every 10 s); None for the others, and
    while this process has not loaded the database's registry (Odoo decides then)."""
    registry = Registry.registries.get(db_name)
    if registry is None or not registry.ready or "zoom.webhook.rejection" not in registry:
        return None
    refusal = refusal_before_secrets(delivery, BODY_LIMITS.get(db_name, DEFAULT_MAX_BYTES))
    if refusal is None:
        return None
    tally = count_refusal(db_name, delivery, refusal)
    if tally:
        try:
            with registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["zoom.webhook.rejection"]._add_tally(
                    delivery.endpoint, refusal.reason, tally
                )
        except psycopg2.Error:  # the refusal is answered all the same; its count waits for the next one
            REJECTIONS.unwritten(db_name, delivery.endpoint, refusal.reason, tally)
    return refusal.answer


class JsonAnswer:
    """A WSGI response of the intake's answer (lighter than werkzeug's Response, built per delivery)."""

    def __init__(self, answer):
        self.status = answer.status
        self.body = answer.json_bytes()

    def __call__(self, _environ, start_response):
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(self.body)))]
        start_response(f"{self.status} {HTTP_STATUS_CODES.get(self.status, '')}".rstrip(), headers)
        return [self.body]


def _group_commit(db_name):
    with _GROUPS_LOCK:
        if db_name not in _GROUPS:
            _GROUPS[db_name] = GroupCommit(
                functools.partial(answer_batch, db_name), after=functools.partial(ensure_drain, db_name)
            )
        return _GROUPS[db_name]


def answer_batch(db_name, deliveries):
    """The answers to deliveries that arrived together, stored and committed in one transaction; None for
    each when Odoo must serve them (see _loaded_registry; or the registry was reloaded meanwhile). A batch
    that fails is stored again one delivery at a time, so that one bad delivery fails alone."""
    registry = _loaded_registry(db_name)
    if registry is None:
        return [None] * len(deliveries)
    with registry.cursor() as cr:
        _read_committed(cr, registry)
        if registry.check_signaling(cr) is not registry:
            return [None] * len(deliveries)
        LONG_LIVED.settle(registry)
        env = api.Environment(cr, SUPERUSER_ID, {})
        max_bytes = BODY_LIMITS[db_name] = env["zoom.webhook.event"]._max_body_bytes()
        try:
            return retrying(lambda: _stored(env, deliveries, max_bytes), env)
        except Exception:
            if len(deliveries) == 1:
                raise
            _logger.exception("Zoom webhooks: a batch of %s failed; storing them one by one", len(deliveries))
            cr.rollback()
        return [_answer_alone(env, delivery, max_bytes) for delivery in deliveries]


def _answer_alone(env, delivery, max_bytes):
    try:
        answer = retrying(lambda: _stored(env, [delivery], max_bytes), env)[0]
    except Exception:
        _logger.exception("Zoom webhook fast path failed; Zoom will deliver again")
        env.cr.rollback()
        return FAILED
    env.cr.commit()
    return answer


class LongLivedObjects:
    """Keeps the garbage collector's full passes off what lives as long as the process.

    A full collection walks every object: in a process holding a registry, about 100 ms during which no
    delivery is answered, and it comes every few thousand deliveries. Once a registry is loaded, its
    objects are moved out of the collector's reach (`gc.freeze`); a registry loaded later (a module
    installed, updated) unfreezes them first, so that the old one is collected, then freezes again.
    `zoom_training_webhook_gc_freeze = False` in the server configuration turns it off."""

    def __init__(self):
        self._registries = set()
        self._lock = threading.Lock()

    def settle(self, registry):
        if registry.in_test_mode() or not _enabled(GC_FREEZE_OPTION):
            return
        with self._lock:
            if id(registry) in self._registries:
                return
            if self._registries:
                gc.unfreeze()
                gc.collect()
            self._registries = {id(registry)}
            gc.freeze()
            _logger.info(
                "Zoom webhooks: %s long-lived objects kept off the garbage collector", gc.get_freeze_count()
            )


LONG_LIVED = LongLivedObjects()


def _read_committed(cr, registry):
    """Storing deliveries reads nothing that must hold still, and under Odoo's REPEATABLE READ an INSERT ...
    ON CONFLICT meeting a row that the drain job updated meanwhile is a serialization failure: `retrying`
    then sleeps up to 2 s, then 4 s, while every delivery of the batch and behind it waits (measured: a
    stream's p99 at 4.6 s). Under READ COMMITTED it meets the row and does nothing. The connection gets
    Odoo's isolation back when the pool lends it again."""
    if not registry.in_test_mode():  # a test's cursor is the test's transaction, begun already
        cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)


def _loaded_registry(db_name):
    """The database's registry, loaded here if this process has not yet, as Odoo would for the request (the
    first burst after a restart is then stored together too); None when Odoo must serve the deliveries: a
    database it cannot load, zoom_training not installed there."""
    try:
        registry = Registry(db_name)
    except Exception:
        return None
    if not registry.ready or "zoom.webhook.event" not in registry:
        return None
    return registry


def _stored(env, deliveries, max_bytes):
    return env["zoom.webhook.event"].sudo()._receive_batch(deliveries, max_bytes)


def ensure_drain(db_name, _deliveries, answers):
    """Once the deliveries are committed and answered: a drain job for those waiting to be processed, in a
    transaction that begins after their commit (see zoom.webhook.event._ensure_drain). In Odoo's gevent
    server it comes DRAIN_CHECK_DELAY later, once for all the batches of a burst: the job it creates costs
    about 15 ms of the process's one core, which the burst's deliveries would otherwise wait for. Should it
    fail, or the process stop first, the cron that drains deliveries left behind finds them."""
    if not any(answer and answer.needs_drain for answer in answers):
        return
    if odoo.evented:
        DRAIN_CHECKS.request(db_name)
    else:
        _ensure_drain_now(db_name)


def _ensure_drain_now(db_name):
    registry = Registry.registries.get(db_name)
    if registry is None:
        return
    try:
        with registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["zoom.webhook.event"]._ensure_drain()
    except Exception:
        _logger.exception("Zoom webhooks: no drain job could be enqueued; the cron will drain them")


class DeferredDrainChecks:
    """One drain check per database at a time, `delay` seconds after the first request for it. A batch
    committed before the check's transaction begins is seen by it; one committed after asks again, since
    the request is forgotten before that transaction begins."""

    def __init__(self, run, delay):
        self._run, self._delay = run, delay
        self._requested = set()
        self._lock = threading.Lock()

    def request(self, db_name):
        with self._lock:
            if db_name in self._requested:
                return
            self._requested.add(db_name)
        timer = threading.Timer(self._delay, self._check, args=(db_name,))
        timer.daemon = True
        timer.start()

    def _check(self, db_name):
        with self._lock:
            self._requested.discard(db_name)
        self._run(db_name)


DRAIN_CHECKS = DeferredDrainChecks(_ensure_drain_now, DRAIN_CHECK_DELAY)


def _give_body_back(environ, raw_body):
    """The body read here, for Odoo to read again."""
    environ["wsgi.input"] = io.BytesIO(raw_body)
    environ["CONTENT_LENGTH"] = str(len(raw_body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ.pop("wsgi.input_terminated", None)


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


def listen_backlog():
    value = str(config.get(BACKLOG_OPTION) or "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_LISTEN_BACKLOG


def _widen_gevent_backlog():
    """In Odoo's gevent process (`odoo-bin gevent`, which imports server-wide modules before it listens):
    the listen backlog of its WSGI server (BACKLOG_OPTION)."""
    if not odoo.evented:
        return
    from gevent import pywsgi

    pywsgi.WSGIServer.backlog = listen_backlog()


def install():
    """Wraps odoo.http.Application once per process; the addon's import calls it."""
    _widen_gevent_backlog()
    original = http.Application.__call__
    if getattr(original, "zoom_fast_path", False):
        return

    def __call__(self, environ, start_response):
        try:
            response = serve(environ)
        except Exception:
            _logger.exception("Zoom webhook fast path failed; Zoom will deliver again")
            response = JsonAnswer(FAILED)
        if response is None:
            return original(self, environ, start_response)
        return response(environ, start_response)

    __call__.zoom_fast_path = True
    http.Application.__call__ = __call__


install()
