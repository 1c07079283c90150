from odoo import models


class EventMail(models.Model):
    """The event's own mails (the confirmation, the reminders of its mail schedule) carry each trainee's
    Join button when the training is held on Zoom (see mail_compose_message.py)."""

    _inherit = "event.mail"

    def _send_mail(self, registrations):
        if self.event_id.zoom_conference == "none":
            return super()._send_mail(registrations)
        return super(EventMail, self.with_context(zoom_join_in_event_mail=True))._send_mail(registrations)
