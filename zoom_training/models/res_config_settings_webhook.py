from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    zoom_webhook_retention_days = fields.Integer(
        related="company_id.zoom_webhook_retention_days", readonly=False
    )
    zoom_webhook_silence_minutes = fields.Integer(
        related="company_id.zoom_webhook_silence_minutes", readonly=False
    )
    zoom_last_webhook_at = fields.Datetime(related="company_id.zoom_last_webhook_at")

    def action_zoom_open_webhook_inbox(self):
        return self.env["ir.actions.act_window"]._for_xml_id("zoom_training.zoom_webhook_event_action")
