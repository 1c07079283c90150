from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    zoom_webhook_retention_days = fields.Integer(
        "Keep webhook deliveries (days)", default=30, help="Older deliveries are deleted every night."
    )
    zoom_webhook_silence_minutes = fields.Integer(
        "Webhook silence alert (minutes)",
        default=15,
        help="Administrators get an activity when no delivery arrived for this long while a meeting runs.",
    )
    zoom_last_webhook_at = fields.Datetime("Last Zoom delivery", compute="_compute_zoom_last_webhook_at")

    def _compute_zoom_last_webhook_at(self):
        """Read from the inbox, not written per delivery: deliveries never contend on the company row."""
        groups = (
            self.env["zoom.webhook.event"]
            .sudo()
            ._read_group([("company_id", "in", self.ids)], ["company_id"], ["received_at:max"])
        )
        last = {company.id: received_at for company, received_at in groups}
        for company in self:
            company.zoom_last_webhook_at = last.get(company.id, False)
