"""Deliveries that arrive together (Odoo's gevent server, threads) are stored by one INSERT and committed
together; each still gets its own answer, and one bad delivery fails alone."""

import gc
import io
import json
import threading
import time
import weakref
from unittest.mock import patch

from odoo.sql_db import Cursor
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import config

from odoo.addons.queue_job.tests.common import trap_jobs

from ..controllers import webhook_fast_path
from ..controllers.webhook import MEETING_ROUTE
from ..controllers.webhook_fast_path import answer_batch, ensure_drain
from ..models.zoom_webhook_intake import WebhookRequest
from .webhook_common import WebhookCase, compact, zoom_signature

FAST_PATH_LOGGER = "odoo.addons.zoom_training.controllers.webhook_fast_path"
INTAKE_LOGGER = "odoo.addons.zoom_training.models.zoom_webhook_intake"
BATCH_INSERT = "ON CONFLICT (dedupe_key) DO NOTHING"


@tagged("post_install", "-at_install")
class TestWebhookBatch(WebhookCase, HttpCase):
    """An HttpCase for its test mode: the intake's cursors are the test's own."""

    def joined(self, i, **object_changes):
        participant = {"user_id": str(1000 + i), "participant_uuid": f"P-{i}", "user_name": f"Trainee {i}"}
        zoom_object = {"id": "85746065123", "uuid": "batch==", "participant": participant, **object_changes}
        return self.envelope("meeting.participant_joined", zoom_object, event_ts=1_700_000_000_000 + i)

    def delivery(self, body, secret=None):
        raw = compact(body) if isinstance(body, dict) else body
        timestamp = str(int(time.time()))
        return WebhookRequest(
            endpoint="meeting",
            raw_body=raw,
            timestamp=timestamp,
            signature=zoom_signature(secret or self.secret, timestamp, raw),
            path=MEETING_ROUTE,
            remote_addr="127.0.0.1",
        )

    def count_batch_inserts(self):
        statements = []
        original = Cursor.execute

        def execute(cursor, query, params=None, log_exceptions=True):
            statements.append(str(query))
            return original(cursor, query, params, log_exceptions)

        return statements, patch.object(Cursor, "execute", execute)

    def test_deliveries_arriving_together_get_one_insert_and_each_its_own_answer(self):
        self.env["ir.config_parameter"].sudo().set_param("zoom_training.webhook_max_bytes", "2000")
        first = self.joined(1)
        deliveries = [
            self.delivery(first),
            self.delivery(self.joined(2)),
            self.delivery(self.joined(3), secret="not the secret token"),
            self.delivery(b"{not json"),
            self.delivery(self.joined(4, topic="x" * 3000)),
            self.delivery(first),  # Zoom's retry, arriving with the original
            self.delivery(
                {"event": "endpoint.url_validation", "event_ts": 1, "payload": {"plainToken": "abc"}}
            ),
            self.delivery(self.joined(5)),
        ]
        statements, counting = self.count_batch_inserts()
        with trap_jobs() as trap, counting, self.assertLogs(INTAKE_LOGGER, "WARNING"):
            answers = answer_batch(self.env.cr.dbname, deliveries)
            trap.assert_jobs_count(0)  # answered first: the drain job comes after
            ensure_drain(self.env.cr.dbname, deliveries, answers)
            trap.assert_jobs_count(1)
        self.assertEqual([answer.status for answer in answers], [200, 200, 401, 400, 413, 200, 200, 200])
        self.assertEqual(answers[6].body["plainToken"], "abc")
        self.assertEqual(sum(BATCH_INSERT in statement for statement in statements), 1)
        stored = self.inbox(event="meeting.participant_joined")
        self.assertEqual(
            sorted(stored.mapped("dedupe_key")),
            sorted(f"meeting.participant_joined|batch==|P-{i}|{1_700_000_000_000 + i}" for i in (1, 2, 5)),
        )
        self.assertEqual(set(stored.mapped("state")), {"received"})
        self.assertEqual(len(self.inbox(state="invalid")), 1, "the body that is not JSON is kept")

    def test_a_delivery_already_stored_is_answered_without_a_second_row(self):
        answer_batch(self.env.cr.dbname, [self.delivery(self.joined(1))])
        with trap_jobs():
            answers = answer_batch(
                self.env.cr.dbname, [self.delivery(self.joined(1)), self.delivery(self.joined(2))]
            )
        self.assertEqual([answer.status for answer in answers], [200, 200])
        self.assertEqual(len(self.inbox(event="meeting.participant_joined")), 2)

    def poisoned(self):
        """A value PostgreSQL refuses (a NUL character), as if one had slipped past the intake's checks."""
        inbox_class = type(self.env["zoom.webhook.event"])
        stored_values = inbox_class._stored_values

        def poisoned_values(inbox, envelope, *args):
            values = stored_values(inbox, envelope, *args)
            if envelope.object_uuid == "bad==":
                values["object_uuid"] = "bad\x00=="
            return values

        return patch.object(inbox_class, "_stored_values", poisoned_values)

    def test_a_delivery_that_breaks_its_batch_fails_alone_and_the_others_are_stored(self):
        # PostgreSQL takes no NUL character in a text column: that INSERT fails, whatever else is in it
        deliveries = [self.delivery(self.joined(1)), self.delivery(self.joined(2, uuid="bad==")),
                      self.delivery(self.joined(3))]  # fmt: skip
        with (
            trap_jobs(),
            self.poisoned(),
            self.assertLogs(FAST_PATH_LOGGER, "ERROR") as logs,
            self.assertLogs("odoo.sql_db"),
        ):
            answers = answer_batch(self.env.cr.dbname, deliveries)
        self.assertEqual([answer.status for answer in answers], [200, 503, 200])
        self.assertIn("a batch of 3 failed", logs.output[0])
        self.assertEqual(
            sorted(self.inbox(event="meeting.participant_joined").mapped("object_uuid")),
            ["batch==", "batch=="],
        )

    def test_a_single_delivery_that_fails_raises_for_a_5xx_and_zoom_to_retry(self):
        with self.assertRaises(ValueError), self.poisoned(), self.assertLogs("odoo.sql_db"):
            answer_batch(self.env.cr.dbname, [self.delivery(self.joined(2, uuid="bad=="))])
        self.assertFalse(self.inbox(event="meeting.participant_joined"))

    def environ(self, body):
        delivery = self.delivery(body)
        return {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": MEETING_ROUTE,
            "HTTP_HOST": f"127.0.0.1:{config['http_port']}",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_LENGTH": str(len(delivery.raw_body)),
            "CONTENT_TYPE": "application/json",
            "HTTP_X_ZM_REQUEST_TIMESTAMP": delivery.timestamp,
            "HTTP_X_ZM_SIGNATURE": delivery.signature,
            "wsgi.input": io.BytesIO(delivery.raw_body),
        }

    def test_a_delivery_the_fast_path_cannot_store_goes_to_odoo_with_its_body(self):
        environ = self.environ(self.joined(1))
        body = environ["wsgi.input"].getvalue()
        with patch.object(
            webhook_fast_path, "_loaded_registry", return_value=None
        ):  # zoom_training not there
            self.assertIsNone(webhook_fast_path.serve(environ))
        self.assertEqual(environ["wsgi.input"].read(), body, "Odoo reads the body the fast path read")
        self.assertEqual(environ["CONTENT_LENGTH"], str(len(body)))
        self.assertFalse(self.inbox(event="meeting.participant_joined"))

    def test_the_fast_path_answers_a_declared_length_body_from_the_environ(self):
        environ = self.environ(self.joined(1))
        answered = {}
        with trap_jobs():
            response = webhook_fast_path.serve(environ)
            chunks = response(
                environ, lambda status, headers: answered.update(status=status, headers=headers)
            )
        self.assertEqual(answered["status"], "200 OK")
        self.assertEqual(json.loads(b"".join(chunks)), {"status": "ok"})
        self.assertIn(("Content-Length", str(len(b"".join(chunks)))), answered["headers"])
        self.assertEqual(len(self.inbox(event="meeting.participant_joined")), 1)


@tagged("post_install", "-at_install")
class TestLongLivedObjects(TransactionCase):
    """The collector's full passes are kept off a loaded registry, in the processes that serve webhooks."""

    class Registry:
        def __init__(self, test_mode=False):
            self.test_mode = test_mode

        def in_test_mode(self):
            return self.test_mode

    def setUp(self):
        super().setUp()
        gc.unfreeze()
        self.addCleanup(gc.unfreeze)

    def test_a_registry_is_frozen_once_and_what_an_old_one_left_is_collected(self):
        long_lived = webhook_fast_path.LongLivedObjects()
        first, second = self.Registry(), self.Registry()
        garbage = Cycle()
        collected = weakref.ref(garbage)
        long_lived.settle(first)
        self.assertGreater(gc.get_freeze_count(), 1000)
        del garbage  # now unreachable, but frozen with the rest
        long_lived.settle(first)
        gc.collect()
        self.assertIsNotNone(collected(), "frozen objects are out of the collector's reach")
        long_lived.settle(second)
        self.assertIsNone(collected(), "a new registry unfreezes: what the old one left is collected")
        self.assertGreater(gc.get_freeze_count(), 1000)

    def test_it_can_be_turned_off_in_the_server_configuration(self):
        with patch.dict(config.options, {webhook_fast_path.GC_FREEZE_OPTION: "False"}):
            webhook_fast_path.LongLivedObjects().settle(self.Registry())
        self.assertEqual(gc.get_freeze_count(), 0)

    def test_a_registry_in_test_mode_is_left_alone(self):
        webhook_fast_path.LongLivedObjects().settle(self.Registry(test_mode=True))
        self.assertEqual(gc.get_freeze_count(), 0)


class Cycle:
    def __init__(self):
        self.itself = self


@tagged("post_install", "-at_install")
class TestDeferredDrainChecks(TransactionCase):
    """In the gevent server, the batches of a burst share one drain check, made after them."""

    def test_the_batches_of_a_burst_get_one_check_after_them_and_a_later_batch_another(self):
        checked = []
        done = threading.Event()

        def check(db_name):
            checked.append((db_name, time.monotonic()))
            done.set()

        checks = webhook_fast_path.DeferredDrainChecks(check, delay=0.05)
        asked = time.monotonic()
        for _batch in range(10):
            checks.request("zt")
        self.assertTrue(done.wait(5))
        self.assertEqual([db for db, _at in checked], ["zt"])
        self.assertGreaterEqual(checked[0][1] - asked, 0.05)
        done.clear()
        checks.request("zt")  # committed after the first check began: checked again
        self.assertTrue(done.wait(5))
        self.assertEqual(len(checked), 2)


@tagged("post_install", "-at_install")
class TestGeventListenBacklog(TransactionCase):
    """Odoo's gevent server, where nginx sends Zoom's deliveries, listens with room for a burst's
    connections: with gevent's 128, a burst of 1,000 through nginx lost SYNs, and they came 1 s later."""

    def widened(self, evented=True, option=None):
        from gevent import pywsgi

        options = {} if option is None else {webhook_fast_path.BACKLOG_OPTION: option}
        with (
            patch.object(webhook_fast_path.odoo, "evented", evented),
            patch.object(pywsgi.WSGIServer, "backlog", 128),
            patch.dict(config.options, options),
        ):
            webhook_fast_path._widen_gevent_backlog()
            return pywsgi.WSGIServer.backlog

    def test_the_gevent_process_listens_with_a_backlog_for_a_burst(self):
        self.assertEqual(self.widened(), webhook_fast_path.DEFAULT_LISTEN_BACKLOG)
        self.assertGreaterEqual(webhook_fast_path.DEFAULT_LISTEN_BACKLOG, 1000)

    def test_the_server_configuration_sets_it_and_a_nonsense_value_keeps_the_default(self):
        self.assertEqual(self.widened(option="4096"), 4096)
        self.assertEqual(self.widened(option="0"), webhook_fast_path.DEFAULT_LISTEN_BACKLOG)
        self.assertEqual(self.widened(option="many"), webhook_fast_path.DEFAULT_LISTEN_BACKLOG)

    def test_a_prefork_worker_or_threaded_server_is_left_alone(self):
        self.assertEqual(self.widened(evented=False), 128)
