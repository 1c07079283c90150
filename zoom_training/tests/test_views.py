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

    def test_calendar_event_form_renders_and_saves(self):
        with Form(self.env["calendar.event"]) as event:
            event.name = "Onboarding training"
        self.assertEqual(event.record.name, "Onboarding training")
