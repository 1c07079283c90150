import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from lxml import etree

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .test_trainee_side import TraineeCase

STATUS_FIELDS = {"state", "sync_state", "zoom_sync_state", "zoom_status", "result", "review_state"}
ZOOM_ID = "84512345678"
ZOOM_UUID = "aBcD3fGhIjKlMnOpQrStUw=="
REGISTRANT_ID = "9tboDiHUQAeOnbmudzWa5g"
ZOOM_JOIN_URL = f"https://zoom.us/w/{ZOOM_ID}?tk=tOkEn123abcDEF&uuid=WN_xyz"


@tagged("post_install", "-at_install")
class TestStatusBadges(TransactionCase):
    """Every status the addon's views show has a word and a colour: a badge with a decoration for each
    of its values (or the form's status bar)."""

    def test_every_status_in_the_addons_views_is_a_coloured_badge(self):
        views = self.env["ir.model.data"].search(
            [("module", "=", "zoom_training"), ("model", "=", "ir.ui.view")]
        )
        checked, problems = 0, []
        for view in self.env["ir.ui.view"].browse(views.mapped("res_id")):
            arch = etree.fromstring(view.arch_db.encode())
            for node in arch.iter("field"):
                if (
                    node.get("name") not in STATUS_FIELDS
                    or node.get("position")
                    or node.getparent().tag == "xpath"
                ):
                    continue
                field = self._field_of(view.model, node)
                if field is None or field.type != "selection" or node.get("invisible") == "1":
                    continue
                checked += 1
                problems += self._badge_problems(view, node, field)
        self.assertGreaterEqual(checked, 12, "the scan found too few statuses: it no longer reads the views")
        self.assertFalse(problems, "\n".join(problems))

    def _field_of(self, model, node):
        """The field a node shows: of the view's model, or of the one2many whose inline list holds it."""
        owner = node.getparent()
        comodel = model
        while owner is not None:
            if owner.tag == "field" and owner is not node:
                relation = self.env[model]._fields.get(owner.get("name"))
                if relation is not None and relation.type in ("one2many", "many2many"):
                    comodel = relation.comodel_name
                    break
            owner = owner.getparent()
        return self.env[comodel]._fields.get(node.get("name"))

    def _badge_problems(self, view, node, field):
        where = f"{view.xml_id or view.name}: {node.get('name')}"
        widget = node.get("widget")
        if widget == "statusbar":
            return []
        if widget != "badge":
            return [f"{where} is not a badge"]
        decorations = " ".join(value for key, value in node.attrib.items() if key.startswith("decoration-"))
        selection = field._description_selection(self.env)
        uncoloured = [value for value, _label in selection if f"'{value}'" not in decorations]
        return [f"{where}: no colour for {uncoloured}"] if uncoloured else []


@tagged("post_install", "-at_install")
class TestTraineePagesHoldNoTechnicalId(HttpCase):
    """What a trainee sees (portal list, Join page in each state, the join-link mail) names the session
    and its time, never Zoom's meeting id, uuid, registrant id or the raw Zoom link."""

    def setUp(self):
        super().setUp()
        self.trainee = new_test_user(
            self.env, login="trainee_ids", email="trainee-ids@example.com", groups="base.group_portal"
        )
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=2)
        self.open_training = self._training("Ladder safety", start, access="off")
        self.held_training = self._training("Crane operation", start + timedelta(days=1), access="on")
        self.synced = self._register(self.open_training, "open")
        self.synced.write(
            {
                "zoom_registrant_id": REGISTRANT_ID,
                "zoom_registrant_email": "trainee-ids@example.com",
                "zoom_join_url": ZOOM_JOIN_URL,
                "zoom_registrant_approved": True,
                "zoom_sync_state": "synced",
            }
        )
        self.held = self._register(self.held_training, "draft")

    def _training(self, name, start, access):
        training = self.env["event.event"].create(
            {
                "name": name,
                "date_begin": start,
                "date_end": start + timedelta(hours=2),
                "zoom_access_validation": access,
            }
        )
        meeting = (
            self.env["zoom.meeting"]
            .sudo()
            .create(
                {
                    "name": name,
                    "res_model": "event.event",
                    "res_id": training.id,
                    "zoom_id": ZOOM_ID if access == "off" else "84599999999",
                    "zoom_uuid": ZOOM_UUID,
                    "join_url": f"https://zoom.us/j/{ZOOM_ID}?pwd=secretPasscode",
                    "password": "secretPasscode",
                    "sync_state": "synced",
                }
            )
        )
        training.with_context(zoom_no_sync=True).zoom_meeting_id = meeting
        return training

    def _register(self, training, state):
        return self.env["event.registration"].create(
            {"event_id": training.id, "partner_id": self.trainee.partner_id.id, "state": state}
        )

    def assert_no_technical_id(self, text, where):
        for secret in (ZOOM_ID, "84599999999", ZOOM_UUID, REGISTRANT_ID, "tk=", "secretPasscode", "zoom.us"):
            self.assertNotIn(secret, text, f"{where} shows {secret!r}")

    def page(self, path):
        answer = self.url_open(path, allow_redirects=False)
        self.assertEqual(answer.status_code, 200, path)
        return answer.text

    def test_the_portal_list_names_sessions_without_ids(self):
        self.authenticate("trainee_ids", "trainee_ids")
        text = self.page("/my/trainings")
        self.assertIn("Ladder safety", text)
        self.assertIn("Crane operation", text)
        self.assertIn("See requirements", text)
        self.assert_no_technical_id(text, "/my/trainings")
        self.assert_no_technical_id(self.page("/my"), "/my")

    def test_the_join_page_in_each_state_holds_no_id(self):
        self.authenticate("trainee_ids", "trainee_ids")
        too_early = self.page(self.synced._zoom_join_path())
        self.assertIn("The session opens at", too_early)
        self.assert_no_technical_id(too_early, "Join page before the window")
        requirements = self.page(self.held._zoom_join_path())
        self.assertIn("Your registration is not confirmed yet.", requirements)
        self.assert_no_technical_id(requirements, "Join page with requirements")
        self.synced.write(
            {"zoom_sync_state": "flagged", "zoom_sync_error": "Same email as Ann for this session."}
        )
        self.open_training.date_begin = datetime.now() - timedelta(minutes=5)
        preparing = self.page(self.synced._zoom_join_path())
        self.assertIn("being prepared", preparing)
        self.assert_no_technical_id(preparing, "Join page while the link is prepared")

    def test_the_join_link_mail_holds_no_id(self):
        template = self.env.ref("zoom_training.mail_template_zoom_join_link")
        body = template._render_field("body_html", self.synced.ids)[self.synced.id]
        subject = template._render_field("subject", self.synced.ids)[self.synced.id]
        self.assertIn(self.synced._zoom_join_path(), body)
        self.assert_no_technical_id(body + subject, "the join-link mail")


AXE_ENV = "ZOOM_TRAINING_AXE"  # another axe.min.js than the one scripts/setup.sh installs from npm
AXE_DEFAULT = (
    Path(__file__).resolve().parents[2] / ".run" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
)
AXE_RUN = """
;(async () => {
    const page = %s;
    const script = Object.assign(document.createElement("script"), { src: %s });
    await new Promise((resolve, reject) => {
        Object.assign(script, { onload: resolve, onerror: () => reject(new Error("axe-core did not load")) });
        document.head.appendChild(script);
    });
    const result = await axe.run(document, { resultTypes: ["violations"] });
    const blocking = result.violations.filter((v) => ["serious", "critical"].includes(v.impact));
    const found = result.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`).join(", ");
    console.log(
        `axe-core ${axe.version}: ${page} at ${window.innerWidth} px: ${blocking.length} serious or ` +
            `critical violation(s); all violations: ${found || "none"}`
    );
    if (blocking.length) {
        const details = blocking.map((v) => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")),
        }));
        console.error(`axe-core: ${page}: ${JSON.stringify(details)}`);
    } else {
        console.log("test successful");
    }
})();
"""


class AxeCase(HttpCase):
    """Runs axe-core (the accessibility checker, installed from npm by scripts/setup.sh) in the browser on
    a page: a serious or critical violation fails the test; the verdict of each page goes to the log, where
    `make test` prints it."""

    def axe_url(self):
        """axe-core served to the browser from the test's own transaction (a public attachment)."""
        axe = Path(os.environ.get(AXE_ENV) or AXE_DEFAULT)
        if not axe.is_file():
            self.fail(f"axe-core is missing at {axe}: run scripts/setup.sh (npm install axe-core)")
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "axe.min.js",
                    "raw": axe.read_bytes(),
                    "mimetype": "application/javascript",
                    "public": True,
                }
            )
        )
        return f"/web/content/{attachment.id}"

    def assert_axe_passes(self, path, login):
        code = AXE_RUN % (json.dumps(path), json.dumps(self.axe_url()))
        self.browser_js(path, code, login=login, timeout=120)


class TraineePagesCase(TraineeCase, AxeCase):
    """The portal list (with a recording), the Join page (too early, requirements) and the portal home."""

    def setUp(self):
        super().setUp()
        self.accessible = self.brussels_training("Accessible training")
        self.registration = self.enrol(self.accessible)
        held = self.brussels_training("Accessible validated training", zoom_access_validation="on")
        self.held = self.enrol(held, state="draft")
        self.env.company.zoom_share_recordings = True
        recording = (
            self.env["zoom.recording"]
            .sudo()
            .create(
                {
                    "meeting_id": self.accessible.zoom_meeting_id.id,
                    "zoom_uuid": "run-accessible==",
                    "topic": "Accessible training",
                    "start_time": self.accessible.date_begin,
                }
            )
        )
        self.env["zoom.recording.file"].sudo().create(
            {"recording_id": recording.id, "file_type": "MP4", "play_url": f"{self.sandbox.url}/rec/play/a"}
        )
        self.env["zoom.attendance"].sudo().create(
            {
                "meeting_id": self.accessible.zoom_meeting_id.id,
                "segment_key": "run-accessible==:p",
                "instance_uuid": "run-accessible==",
                "registration_id": self.registration.id,
                "join_time": self.accessible.date_begin,
                "leave_time": self.accessible.date_begin + timedelta(minutes=30),
            }
        )

    def assert_the_trainees_pages_pass_axe(self):
        for path in (
            "/my/trainings",
            self.registration._zoom_join_path(),
            self.held._zoom_join_path(),
            "/my",
        ):
            with self.subTest(path=path):
                self.assert_axe_passes(path, "zoom_trainee")


@tagged("post_install", "-at_install")
class TestTraineePagesPassAxe(TraineePagesCase):
    def test_the_trainees_pages_pass_axe_on_a_desktop(self):
        self.assert_the_trainees_pages_pass_axe()


@tagged("post_install", "-at_install")
class TestTraineePagesPassAxeOnAPhone(TraineePagesCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_the_trainees_pages_pass_axe_on_a_phone(self):
        self.assert_the_trainees_pages_pass_axe()
