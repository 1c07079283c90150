"""Zoom's own webhook examples (its official events spec), unchanged, through the addon's handlers.

The examples name the meeting or webinar 1234567890 and the participant or registrant Jill Chill
(jchill@example.com); Odoo holds a training with that Zoom ID and her registration."""

import json
from contextlib import contextmanager
from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.zoom_meeting_registrants import RegistrantPlan
from ..models.zoom_webhook_event import HANDLERS
from ..sandbox.tests.contract import missing_specs_reason, response_example, webhook_examples
from ..utils.tests.scripted_server import Reply, ScriptedServer
from ..utils.webhook import parse_envelope
from .common import ZoomSandboxCase
from .webhook_common import WebhookCase

ZOOM_ID = "1234567890"
NOT_IN_THE_SPECS = {"app_deauthorized"}  # an event of the Marketplace app, not of the meeting events spec


class ZoomExamplesCase(TransactionCase):
    """A training named like Zoom's examples, and its Zoom sessions."""

    def setUp(self):
        super().setUp()
        if missing_specs_reason():
            self.fail(missing_specs_reason())
        start = datetime(2021, 7, 13, 21)
        self.training = self.env["event.event"].create(
            {"name": "My Meeting", "date_begin": start, "date_end": start + timedelta(hours=1)}
        )

    def session(self, kind="meeting", **values):
        values = {
            "name": "My Meeting",
            "kind": kind,
            "res_model": "event.event",
            "res_id": self.training.id,
            **values,
        }
        return self.env["zoom.meeting"].sudo().create(values)


@tagged("post_install", "-at_install")
class TestZoomWebhookExamples(WebhookCase, ZoomExamplesCase):
    def setUp(self):
        super().setUp()
        self.jill = self.env["event.registration"].create(
            {"event_id": self.training.id, "name": "Jill Chill", "email": "jchill@example.com"}
        )

    def session(self, kind="meeting", **values):
        sent = json.dumps({"topic": "My Meeting", "start_time": "2021-07-13T21:44:51Z"})
        return super().session(kind, zoom_id=ZOOM_ID, last_payload=sent, **values)

    @contextmanager
    def held_session(self, kind):
        """The session for one kind only: meetings and webinars of the examples share one Zoom ID."""
        session = self.session(kind)
        try:
            yield session
        finally:
            session.unlink()

    def deliver_examples(self, event):
        """Every example of `event`, stored as the controller stores it and processed as the job does."""
        examples = webhook_examples(event)
        self.assertTrue(examples, f"Zoom documents no example of {event}")
        endpoint = "webinar" if event.startswith("webinar.") else "meeting"
        deliveries = self.env["zoom.webhook.event"]
        for raw in examples:
            body = raw.encode()
            delivery, _created = (
                self.env["zoom.webhook.event"]
                .sudo()
                ._store_delivery(parse_envelope(body), body, endpoint, self.env.company)
            )
            delivery._process()
            deliveries |= delivery
            # a mislabelled example (see the README) is taken for the event its body names
            expected = "done" if json.loads(raw)["event"] in HANDLERS else "ignored"
            self.assertEqual(delivery.state, expected, delivery.error)
        return deliveries

    def test_every_event_the_addon_handles_has_zoom_s_examples(self):
        for event in set(HANDLERS) - NOT_IN_THE_SPECS:
            self.assertTrue(webhook_examples(event), event)

    def test_started_and_ended_set_the_status_and_the_times(self):
        for kind in ("meeting", "webinar"):
            with self.subTest(kind=kind), self.held_session(kind) as session:
                self.deliver_examples(f"{kind}.started")
                self.assertEqual(session.zoom_status, "started")
                self.assertEqual(session.actual_start, datetime(2021, 7, 13, 21, 44, 51))
                self.deliver_examples(f"{kind}.ended")
                self.assertEqual(session.zoom_status, "ended")
                self.assertTrue(session.actual_end)

    def test_a_participant_joining_and_leaving_is_one_stay_with_its_times(self):
        for kind in ("meeting", "webinar"):
            with self.subTest(kind=kind), self.held_session(kind) as session:
                self.deliver_examples(f"{kind}.participant_joined")
                self.deliver_examples(f"{kind}.participant_left")
                stays = self.env["zoom.attendance"].search([("meeting_id", "=", session.id)])
                self.assertEqual(stays.mapped("participant_name"), ["Jill Chill"])
                self.assertEqual(stays.email, "jchill@example.com")
                self.assertTrue(stays.join_time, "Zoom's example gives the join time: it must be kept")
                self.assertTrue(stays.leave_time)

    def test_a_registrant_cancelled_or_denied_in_zoom_is_flagged_approved_is_not(self):
        session = self.session("meeting")
        self.deliver_examples("meeting.registration_approved")
        self.assertFalse(session.zoom_drift_note)
        self.deliver_examples("meeting.registration_cancelled")
        self.assertIn("Registrant jchill@example.com was cancelled in Zoom.", session.zoom_drift_note)
        self.deliver_examples("meeting.registration_denied")
        self.assertIn("Registrant jchill@example.com was denied in Zoom.", session.zoom_drift_note)

    def test_webinar_registration_examples_are_taken(self):
        self.session("webinar")
        for action in ("approved", "cancelled", "denied"):
            self.deliver_examples(f"webinar.registration_{action}")

    def test_updated_and_deleted_are_taken(self):
        for kind in ("meeting", "webinar"):
            with self.subTest(kind=kind), self.held_session(kind):
                self.deliver_examples(f"{kind}.updated")
                self.deliver_examples(f"{kind}.deleted")

    def test_a_completed_recording_keeps_every_file_zoom_lists(self):
        self.env.company.zoom_recording_handling = "link"  # the example's files are on example.com
        session = self.session("meeting")
        self.deliver_examples("recording.completed")
        listed = [
            f["id"]
            for raw in webhook_examples("recording.completed")
            for f in json.loads(raw)["payload"]["object"]["recording_files"]
        ]
        recording = self.env["zoom.recording"].search([("meeting_id", "=", session.id)])
        self.assertEqual(len(recording), 1)
        self.assertEqual(sorted(recording.file_ids.mapped("zoom_file_id")), sorted(listed))


@tagged("post_install", "-at_install")
class TestZoomResponseExamples(ZoomExamplesCase):
    """Zoom's documented answers (assembled from its REST specs' examples) through the code that reads
    the answers of the endpoints the addon calls."""

    def test_the_answer_to_a_create_or_a_read_gives_the_session_its_zoom_id_and_links(self):
        for operation, status, kind in (
            ("meetingCreate", "201", "meeting"),
            ("meeting", "200", "meeting"),
            ("webinarCreate", "201", "webinar"),
            ("webinar", "200", "webinar"),
        ):
            with self.subTest(operation=operation), trap_jobs():
                answer = response_example(operation, status)
                session = self.session(kind)
                session._zoom_update_from_answer(answer, {"topic": "My Meeting"})
                self.assertEqual(session.zoom_id, str(answer["id"]))
                self.assertEqual(session.zoom_uuid, answer["uuid"])
                self.assertEqual(session.join_url, answer["join_url"])
                self.assertEqual(session.registration_url, answer["registration_url"])
                self.assertEqual(session.host_email, answer["host_email"])
                session.unlink()

    def test_zoom_s_participant_reports_become_stays_with_their_times(self):
        for operation in ("reportMeetingParticipants", "pastMeetingParticipants"):
            with self.subTest(operation=operation):
                session = self.session(zoom_id=str(len(operation)))
                row = response_example(operation)["participants"][0]
                stay = self.env["zoom.attendance"]._record_reported_stay(session, "run==", row)
                self.assertEqual(stay.email, "jchill@example.com")
                self.assertEqual(stay.participant_name, row["name"])
                self.assertEqual(stay.registrant_id, row["registrant_id"])
                self.assertTrue(stay.join_time and stay.leave_time)

    def test_zoom_s_recording_answer_keeps_every_file(self):
        self.env.company.zoom_recording_handling = "link"  # the example's files are on example.com
        answer = response_example("recordingGet")
        session = self.session(zoom_id=str(answer["id"]))
        recording = self.env["zoom.recording"]._store_from_webhook(session, answer, None)
        self.assertEqual(recording.zoom_uuid, answer["uuid"])
        self.assertEqual(
            sorted(recording.file_ids.mapped("zoom_file_id")),
            sorted(f["id"] for f in answer["recording_files"]),
        )

    def test_zoom_s_registration_answers_give_the_personal_link(self):
        answers = [  # a single add answers without the email: the addon adds the one it sent
            ("meeting", response_example("addBatchRegistrants", "201")["registrants"][0]),
            ("meeting", dict(response_example("meetingRegistrantCreate", "201"), email="jchill@example.com")),
            ("webinar", response_example("addBatchWebinarRegistrants", "201")["registrants"][0]),
            ("webinar", dict(response_example("webinarRegistrantCreate", "201"), email="jchill@example.com")),
        ]
        for number, (kind, row) in enumerate(answers):
            with self.subTest(kind=kind, row=row["registrant_id"]):
                session = self.session(kind, zoom_id=str(number))
                jill = self.env["event.registration"].create(
                    {"event_id": self.training.id, "name": "Jill Chill", "email": "jchill@example.com"}
                )
                plan = RegistrantPlan()
                plan.additions = {"jchill@example.com": [jill]}
                session._zoom_store_registrant(plan, row)
                self.assertEqual(jill.zoom_registrant_id, row["registrant_id"])
                self.assertEqual(jill.zoom_join_url, row["join_url"])
                self.assertEqual(jill.zoom_sync_state, "synced")


@tagged("post_install", "-at_install")
class TestZoomAnswersOverHttp(ZoomSandboxCase, ZoomExamplesCase):
    """Zoom's documented answers served over real HTTP, for the flows that call Zoom and read the answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zoom = ScriptedServer().start()
        cls.addClassCleanup(cls.zoom.stop)

    def setUp(self):
        super().setUp()
        self.connect_company(self.env)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("zoom_training.oauth_url", self.zoom.url)
        params.set_param("zoom_training.api_url", self.zoom.url)
        self.forget_tokens()
        self.addCleanup(self.forget_tokens)
        self.zoom.replies.clear()
        self.zoom.received.clear()

    def answer(self, *bodies):
        self.zoom.queue(*(Reply(200, body) for body in bodies))

    def test_zoom_s_example_user_is_a_basic_user_and_refused_as_a_host(self):
        jill = new_test_user(self.env, login="jill", email="jchill@example.com", groups="base.group_user")
        self.answer(response_example("user"))
        with self.assertRaisesRegex(UserError, "jchill@example.com has a Basic Zoom license"):
            self.session()._zoom_check_host(jill)
        self.assertEqual(self.zoom.api_calls()[0].path, "/v2/users/jchill@example.com")

    def test_a_licensed_host_with_zoom_s_example_settings_may_host_a_webinar(self):
        jill = new_test_user(self.env, login="jill", email="jchill@example.com", groups="base.group_user")
        licensed = dict(response_example("user"), type=2)  # Zoom's example user is Basic (see above)
        self.answer(licensed, response_example("userSettings"))
        webinar = self.session("webinar")
        self.assertEqual(webinar._zoom_check_host(jill), "jchill@example.com")
        self.assertEqual(webinar.host_email, "jchill@example.com")
        self.assertEqual(self.zoom.api_calls()[-1].path, "/v2/users/jchill@example.com/settings")

    def test_zoom_s_example_registrants_are_zoom_s_registrants_by_email(self):
        first = response_example("meetingRegistrants")
        self.answer(first, dict(first, next_page_token="", registrants=[]))
        held = self.session(zoom_id=ZOOM_ID)._zoom_held_registrants()
        self.assertEqual(list(held), ["jchill@example.com"])
        self.assertEqual(held["jchill@example.com"]["id"], first["registrants"][0]["id"])

    def test_a_panelist_zoom_lists_who_is_no_instructor_is_removed(self):
        panelists = response_example("webinarPanelists")
        self.answer(panelists, {})
        webinar = self.session("webinar", zoom_id=ZOOM_ID)
        webinar._zoom_sync_cohosts(self.training)
        removal = self.zoom.api_calls()[-1]
        self.assertEqual(
            (removal.method, removal.path),
            ("DELETE", f"/v2/webinars/{ZOOM_ID}/panelists/{panelists['panelists'][0]['id']}"),
        )

    def test_zoom_s_past_meeting_details_give_the_run_and_its_times(self):
        self.answer(response_example("pastMeetingDetails"))
        run = self.env["zoom.reconciliation"]._ended_run(self.session(zoom_id=ZOOM_ID), self.client())
        self.assertEqual(
            run,
            {
                "uuid": "4444AAAiAAAAAiAiAiiAii==",
                "start": datetime(2021, 7, 13, 21, 44, 51),
                "end": datetime(2021, 7, 13, 23, 0, 51),
            },
        )

    def client(self):
        return self.env["zoom.account"]._for_company(self.env.company)._zoom_client()
