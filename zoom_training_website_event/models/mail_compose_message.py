from markupsafe import Markup

from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _prepare_mail_values_dynamic(self, res_ids):
        """Each mail of an event schedule starts with its own trainee's Join button."""
        values = super()._prepare_mail_values_dynamic(res_ids)
        if not self.env.context.get("zoom_join_in_event_mail") or self.model != "event.registration":
            return values
        registrations = self.env["event.registration"].sudo().browse(res_ids)
        for registration in registrations:
            if registration.id not in values or not registration._zoom_participant_wanted():
                continue
            block = registration._zoom_mail_join_block()
            if block:
                mail = values[registration.id]
                for key in ("body_html", "body"):
                    if key in mail:
                        mail[key] = block + Markup(mail[key] or "")
        return values
