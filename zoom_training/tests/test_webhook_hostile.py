"""The webhook URLs are public: what an attacker sends is answered 4xx, leaves no row, and Odoo goes on
answering (issue 18's attack table), through the fast path and through Odoo's routes."""

import json
import socket
import time
import uuid
from unittest.mock import patch

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import config

from ..controllers.webhook_fast_path import MAX_HOSTS, DatabaseList
from .webhook_common import MEETING_ROUTE, WebhookCase, compact, zoom_signature

INTAKE_LOGGER = "odoo.addons.zoom_training.models.zoom_webhook_intake"
FAKE_SIGNATURE = "v0=" + "ab" * 32  # the shape of a real one, signed by nobody


@tagged("post_install", "-at_install")
class TestHostileDeliveries(WebhookCase, HttpCase):
    def joined(self, account_id=None, **participant):
        body = self.envelope(
            "meeting.participant_joined",
            {
                "id": "85746065123",
                "uuid": "hostile==",
                "participant": {"participant_uuid": "P-1", **participant},
            },
        )
        if account_id is not None:
            body["payload"]["account_id"] = account_id
        return body

    def rows(self):
        self.env.invalidate_all()
        return self.env["zoom.webhook.event"].search_count([])

    def assert_refused_and_nothing_kept(self, answer, statuses=(400, 401, 413)):
        self.assertIn(answer.status_code, statuses, answer.text[:300])
        self.assertNotIn("Traceback", answer.text)
        self.assertEqual(self.rows(), 0, "nothing is stored from a sender who did not prove the secret")

    def assert_still_answering(self):
        self.assertEqual(self.post(self.joined()).status_code, 200, "Odoo goes on answering Zoom")

    def unsigned(self, raw, timestamp=None, headers=None):
        return self.post(raw, timestamp=timestamp, signature=FAKE_SIGNATURE, headers=headers)

    # The attack table ----------------------------------------------------------------------------------

    def test_a_unicode_digit_as_timestamp_is_refused(self):
        answer = self.post(self.joined(), headers={"x-zm-request-timestamp": b"\xb2"})
        self.assert_refused_and_nothing_kept(answer, (400,))
        self.assert_still_answering()

    def test_a_five_thousand_digit_timestamp_is_refused(self):
        self.assert_refused_and_nothing_kept(self.post(self.joined(), timestamp="9" * 5000), (400,))
        self.assert_still_answering()

    def test_a_body_of_a_hundred_thousand_brackets_is_refused_not_recursed_into(self):
        self.assert_refused_and_nothing_kept(self.unsigned(b"[" * 100_000), (400,))
        self.assert_still_answering()

    def test_a_nul_inside_a_json_string_is_refused(self):
        for raw in (
            compact(self.joined(account_id="A\u0000B")),
            compact(self.joined()).replace(b"P-1", b"P\\u0000-1"),
            compact(self.joined()).replace(b"P-1", b"P\\ud800-1"),  # half a surrogate pair
        ):
            self.assert_refused_and_nothing_kept(self.unsigned(raw))
        # signed by the company, the same body is kept for inspection, never handed to PostgreSQL as text
        with self.assertLogs(INTAKE_LOGGER, "WARNING"):
            raw = compact(self.joined(user_name="Jill")).replace(b"Jill", b"Ji\\u0000ll")  # a slot not stored
            self.assertEqual(self.post(raw).status_code, 400)
        self.assertEqual(self.inbox(state="invalid").company_id, self.env.company)
        self.assert_still_answering()

    def test_unsigned_junk_of_900_kb_is_not_stored(self):
        junk = bytes(range(256)) * (900 * 1024 // 256)
        for _attempt in range(3):
            self.assert_refused_and_nothing_kept(self.unsigned(junk), (400,))
            self.assert_refused_and_nothing_kept(self.post(junk, signature=""), (401,))
        self.assert_still_answering()

    def test_random_accounts_with_a_current_timestamp_cost_no_cache_entry(self):
        caches = self.registry._Registry__caches
        self.assert_refused_and_nothing_kept(self.unsigned(compact(self.joined(account_id="warm-up"))))
        before = sum(len(cache.d) for cache in caches.values())
        for _attempt in range(40):
            account_id = uuid.uuid4().hex
            self.assert_refused_and_nothing_kept(
                self.post(self.joined(account_id=account_id), signature="v0=x")
            )
            self.assert_refused_and_nothing_kept(self.unsigned(compact(self.joined(account_id=account_id))))
        self.assertLessEqual(
            sum(len(cache.d) for cache in caches.values()), before + 2, "no cache entry per sender's account"
        )
        self.assert_still_answering()

    def test_a_company_whose_secret_cannot_be_decrypted_is_refused_alone(self):
        other = self.env["res.company"].create({"name": "Rotated Key Ltd"})
        other_account = self.env["zoom.account"]._for_company(other)
        other_account._update_credentials("OTHER-ACCOUNT", "other-client", {"webhook_secret": "other-secret"})
        other_account.webhook_secret_encrypted = "gAAAAA-encrypted-by-a-key-since-removed"
        self.env.flush_all()
        body = self.joined(account_id="OTHER-ACCOUNT")
        with self.assertLogs(INTAKE_LOGGER, "WARNING") as logs:
            answer = self.post(body, secret="other-secret")
        self.assertEqual(answer.status_code, 401)
        unreadable = [line for line in logs.output if "Rotated Key Ltd" in line and "Settings > Zoom" in line]
        self.assertEqual(len(unreadable), 1, logs.output)
        self.assertIn("Settings > Zoom", unreadable[0])
        # the other company, its URL validation and anyone's malformed body are unaffected
        self.assert_still_answering()
        validation = {"event": "endpoint.url_validation", "event_ts": 1, "payload": {"plainToken": "abc"}}
        self.assertEqual(self.post(validation).status_code, 200)
        self.assertEqual(self.unsigned(b'{"event": ').status_code, 400)
        self.assertEqual(self.post(body, secret="other-secret").status_code, 401)

    # Also refused, also not stored ---------------------------------------------------------------------

    def test_every_unexpected_type_in_the_envelope_is_refused_with_400(self):
        for mutate in (
            lambda body: body["payload"].update(account_id=["A"]),
            lambda body: body.update(payload="a string"),
            lambda body: body.update(event=7),
            lambda body: body.update(event_ts=1.5),
            lambda body: body.update(event_ts="²"),
            lambda body: body["payload"].update(object=[]),
            lambda body: body["payload"]["object"].update(id={"a": 1}),
            lambda body: body["payload"]["object"].update(participant="x"),
            lambda body: body["payload"]["object"].update(uuid="u" * 5000),
        ):
            body = self.joined()
            mutate(body)
            self.assertEqual(self.unsigned(compact(body)).status_code, 400, body)
        self.assertEqual(self.rows(), 0)
        self.assert_still_answering()

    def test_a_signed_malformed_body_is_kept_for_inspection_capped(self):
        raw = b'{"event": "meeting.started", "payload": ' + b"x" * 200_000
        with self.assertLogs(INTAKE_LOGGER, "WARNING"):
            self.assertEqual(self.post(raw).status_code, 400)
        kept = self.inbox(state="invalid")
        self.assertEqual(kept.company_id, self.env.company)
        self.assertLess(len(kept.body), 70_000)
        self.assertIn("cut", kept.body)

    def test_a_body_shorter_than_its_declared_length_is_refused(self):
        raw = compact(self.joined())
        timestamp = str(int(time.time()))
        head = (
            f"POST {MEETING_ROUTE} HTTP/1.1\r\nHost: 127.0.0.1:{config['http_port']}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(raw) + 500}\r\n"
            f"x-zm-request-timestamp: {timestamp}\r\n"
            f"x-zm-signature: {zoom_signature(self.secret, timestamp, raw)}\r\nConnection: close\r\n\r\n"
        )
        self.env.flush_all()
        with socket.create_connection(("127.0.0.1", int(config["http_port"])), timeout=10) as sock:
            sock.sendall(head.encode() + raw)
            sock.shutdown(socket.SHUT_WR)
            answer = sock.recv(65536)
        status = int(answer.split(b" ", 2)[1])
        self.assertIn(status, (400, 401), answer[:300])
        self.assertEqual(self.rows(), 0)
        self.assert_still_answering()

    def test_the_log_line_escapes_what_the_sender_wrote(self):
        body = self.joined(account_id="acct\nERROR odoo: forged line\u202e")
        with self.assertLogs(INTAKE_LOGGER, "WARNING") as logs:
            self.assertEqual(self.post(body, secret="guess").status_code, 401)
        self.assertEqual(len(logs.records), 1)
        message = logs.records[0].getMessage()
        self.assertNotIn("\n", message)
        self.assertNotIn("\u202e", message)
        self.assertIn("forged line", message)

    def test_a_flood_of_refusals_is_logged_once_and_counted_in_one_row(self):
        with self.assertLogs(INTAKE_LOGGER, "WARNING") as logs:
            for _attempt in range(25):
                self.assertEqual(self.post(self.joined(), secret="guess").status_code, 401)
        self.assertEqual(len(logs.records), 1, "one line per minute, whatever the rate")
        self.env.invalidate_all()
        trace = self.env["zoom.webhook.rejection"].search([])
        self.assertEqual(trace.mapped("reason"), ["signature_mismatch"])
        self.assertEqual(trace.endpoint, "meeting")
        self.assertEqual(trace.last_source, "127.0.0.1")
        self.assertIn("meeting.participant_joined", trace.last_sample)

    def test_an_internal_failure_after_the_signature_answers_503_without_a_traceback(self):
        inbox_class = type(self.env["zoom.webhook.event"])
        with (
            patch.object(inbox_class, "_store_deliveries", side_effect=RuntimeError("disk on fire")),
            self.assertLogs(level="ERROR") as logs,
        ):
            answer = self.post(self.joined())
        self.assertEqual(answer.status_code, 503)
        self.assertNotIn("disk on fire", answer.text)
        self.assertNotIn("Traceback", answer.text)
        failures = [
            record for record in logs.records if record.exc_info and "disk on fire" in str(record.exc_info[1])
        ]
        self.assertEqual(len(failures), 1, "logged once, with its traceback, in the server's log")
        self.assert_still_answering()

    def test_the_refusals_are_shown_to_the_zoom_administrator_only(self):
        self.assertEqual(self.post(self.joined(), secret="guess").status_code, 401)
        self.env.flush_all()
        groups = {
            "zoom_admin_18": "base.group_user,zoom_training.group_zoom_manager",
            "employee_18": "base.group_user",
            "portal_18": "base.group_portal",
        }
        for login, user_groups in groups.items():
            user = new_test_user(self.env, login, groups=user_groups)
            may_read = login == "zoom_admin_18"
            self.assertEqual(self.env["zoom.webhook.rejection"].with_user(user).has_access("read"), may_read)
            self.authenticate(login, login)
            answer = self.url_open(
                "/web/dataset/call_kw",
                data=json.dumps(
                    {
                        "params": {
                            "model": "zoom.webhook.rejection",
                            "method": "search_read",
                            "args": [[], ["count"]],
                            "kwargs": {},
                        }
                    }
                ),
                headers={"Content-Type": "application/json"},
            ).json()
            if may_read:
                self.assertEqual(len(answer["result"]), 1, login)
            else:
                self.assertIn("error", answer, login)


@tagged("post_install", "-at_install")
class TestHostileDeliveriesThroughOdooRoutes(TestHostileDeliveries):
    """The same attacks answered by Odoo's routes (the fast path off, or a worker without the registry)."""

    allow_inherited_tests_method = True  # Odoo's loader runs only a class's own test methods otherwise

    def setUp(self):
        super().setUp()
        self.enterContext(patch.dict(config.options, {"zoom_training_webhook_fast_path": "False"}))


@tagged("post_install", "-at_install")
class TestInboxBounded(WebhookCase, HttpCase):
    def test_the_purge_keeps_the_newest_processed_deliveries_and_every_waiting_one(self):
        for i in range(5):
            body = self.envelope(
                "meeting.sharing_started", {"id": i, "uuid": f"u{i}"}, event_ts=1_700_000_000_000 + i
            )
            self.assertEqual(self.post(body).status_code, 200)
        waiting = self.envelope("meeting.started", {"id": "9", "uuid": "w"}, event_ts=1)
        self.assertEqual(self.post(waiting).status_code, 200)
        self.env["ir.config_parameter"].sudo().set_param("zoom_training.webhook_inbox_max_rows", "3")
        self.env["zoom.webhook.event"]._cron_purge()
        kept = self.inbox()
        self.assertEqual(sorted(kept.mapped("object_uuid")), ["u3", "u4", "w"])


@tagged("post_install", "-at_install")
class TestHostMapBounded(TransactionCase):
    def test_the_fast_path_remembers_a_bounded_number_of_hosts(self):
        databases = DatabaseList()
        expected = databases.for_host("127.0.0.1")
        for i in range(3 * MAX_HOSTS):
            databases.for_host(f"attacker-{i}.example.com")
        self.assertLessEqual(len(databases._by_host), MAX_HOSTS, "any sender may write a Host header")
        self.assertEqual(databases.for_host("127.0.0.1"), expected, "a forgotten host is looked up again")
