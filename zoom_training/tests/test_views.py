from datetime import datetime, timedelta

from lxml import etree

from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestViewsRender(TransactionCase):
    def test_settings_form_shows_the_zoom_app_with_webhook_urls(self):
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://odoo.example.com")
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        zoom_app = etree.fromstring(arch).xpath("//app[@name='zoom_training']")
        self.assertTrue(zoom_app, "the Settings form has no Zoom section")

        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.zoom_webhook_meeting_url, "https://odoo.example.com/webhook/zoom-meeting")
        self.assertEqual(settings.zoom_webhook_webinar_url, "https://odoo.example.com/webhook/zoom-webinar")

    def test_the_calendar_and_training_forms_show_the_one_zoom_status_block(self):
        for model in ("calendar.event", "event.event"):
            with self.subTest(model=model):
                arch = etree.fromstring(self.env[model].get_views([(False, "form")])["views"]["form"]["arch"])
                status = arch.xpath("//div[@name='zoom_sync_status']")
                self.assertEqual(len(status), 1)
                shown = [(node.tag, node.get("name")) for node in status[0]]
                self.assertEqual(
                    shown[:3],
                    [
                        ("field", "zoom_sync_state"),
                        ("button", "action_zoom_sync_now"),
                        ("button", "action_zoom_start_as_host"),
                    ],
                )
                self.assertIn(("field", "zoom_sync_error"), shown)
                self.assertEqual(status[0][0].get("decoration-danger"), "zoom_sync_state == 'error'")

    def test_the_attendance_pivot_and_graph_add_up_each_person_s_minutes_per_training(self):
        start = datetime(2026, 12, 14, 9, 0)
        training = self.env["event.event"].create(
            {"name": "Forklift safety", "date_begin": start, "date_end": start + timedelta(hours=1)}
        )
        meeting = self.env["zoom.meeting"].create(
            {"name": training.name, "res_model": "event.event", "res_id": training.id}
        )
        alice, bruno = (
            self.env["event.registration"].create(
                {"event_id": training.id, "partner_id": self.env["res.partner"].create({"name": name}).id}
            )
            for name in ("Alice Martin", "Bruno Costa")
        )
        segments = [(alice, 0, 5), (alice, 6, 9), (bruno, 2, 6)]  # Alice dropped out for a minute
        self.env["zoom.attendance"].create(
            [
                {
                    "meeting_id": meeting.id,
                    "event_id": training.id,
                    "registration_id": registration.id,
                    "segment_key": f"{registration.id}-{joined}",
                    "join_time": start + timedelta(minutes=joined),
                    "leave_time": start + timedelta(minutes=left),
                }
                for registration, joined, left in segments
            ]
        )
        expected = {("Forklift safety", "Alice Martin"): 8.0, ("Forklift safety", "Bruno Costa"): 4.0}
        pivot_rows, pivot_measures = self._grouping("pivot", "row")
        self.assertEqual(self._totals(pivot_rows, pivot_measures), expected)
        graph_groups, graph_measures = self._grouping("graph", None)
        self.assertEqual(
            self._totals(graph_groups, graph_measures),
            {(name,): minutes for (_t, name), minutes in expected.items()},
        )

    def _grouping(self, view_type, group_type):
        """The fields a view groups by and those it sums, read from its arch as the web client does."""
        arch = self.env["zoom.attendance"].get_views([(False, view_type)])["views"][view_type]["arch"]
        fields_ = etree.fromstring(arch).xpath("//field")
        groups = [f.get("name") for f in fields_ if f.get("type") == group_type]
        measures = [f.get("name") for f in fields_ if f.get("type") == "measure"]
        return groups, measures

    def _totals(self, groups, measures):
        rows = self.env["zoom.attendance"].read_group(
            [], [f"{measure}:sum" for measure in measures], groups, lazy=False
        )
        return {tuple(row[group][1] for group in groups): row[measures[0]] for row in rows}
