from odoo import api, fields, models

WEBHOOK_ROUTES = {
    "meeting": "/webhook/zoom-meeting",
    "webinar": "/webhook/zoom-webinar",
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    zoom_webhook_meeting_url = fields.Char(
        string="Meeting events endpoint",
        compute="_compute_zoom_webhook_urls",
        help="Paste into the Event Subscriptions of your Zoom Marketplace app (meeting events).",
    )
    zoom_webhook_webinar_url = fields.Char(
        string="Webinar events endpoint",
        compute="_compute_zoom_webhook_urls",
        help="Paste into the Event Subscriptions of your Zoom Marketplace app (webinar events).",
    )

    @api.depends("company_id")
    def _compute_zoom_webhook_urls(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        for settings in self:
            settings.zoom_webhook_meeting_url = base_url + WEBHOOK_ROUTES["meeting"]
            settings.zoom_webhook_webinar_url = base_url + WEBHOOK_ROUTES["webinar"]
