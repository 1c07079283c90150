from odoo import api, models
from odoo.tools import consteq
from odoo.tools.misc import hmac

JOIN_SCOPE = "zoom_training_website_event-join"


class EventRegistration(models.Model):
    """A visitor who signs up on the website has no Odoo user: their Join link is signed instead.

    The signature (HMAC with the database secret) covers the registration and its email: only the mails
    sent to that address carry it, and it stops working when the email changes. Backend users keep reading
    the plain Join path (it asks for a login); the signed one is rendered by the system's mails only."""

    _inherit = "event.registration"

    def _zoom_join_token(self):
        self.ensure_one()
        return hmac(self.env(su=True), JOIN_SCOPE, (self.id, self._zoom_email()))

    def _zoom_check_join_token(self, token):
        self.ensure_one()
        return bool(token) and consteq(self._zoom_join_token(), token)

    def _zoom_signed_join_path(self):
        self.ensure_one()
        return f"{self._zoom_join_path()}/{self._zoom_join_token()}"

    def _zoom_needs_signed_link(self):
        """Nobody to log in as: a public sign-up, or a contact without a user."""
        self.ensure_one()
        return not self.partner_id.user_ids

    @api.depends_context("uid")
    def _compute_zoom_personal_join_url(self):
        super()._compute_zoom_personal_join_url()
        if not self.env.su:
            return
        for registration in self.filtered("zoom_personal_join_url"):
            if registration._zoom_needs_signed_link():
                base = registration.get_base_url()
                registration.zoom_personal_join_url = f"{base}{registration._zoom_signed_join_path()}"

    def _zoom_mail_join_url(self):
        """The Join link a mail to this registration carries (read as the system, which sends mails)."""
        self.ensure_one()
        return self.sudo().zoom_personal_join_url

    def _zoom_mail_join_block(self):
        """The Join button at the top of the event's mails, in the trainee's language."""
        self.ensure_one()
        url = self._zoom_mail_join_url()
        if not url:
            return ""
        lang = self.event_id.lang or self.partner_id.lang or self.env.lang
        return (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._render("zoom_training_website_event.event_mail_zoom_join", {"registration": self, "url": url})
        )

    def _zoom_website_join_path(self):
        """The Join link the success page shows the visitor who has just signed up (website_event shows that
        page only to the visitor who made these registrations)."""
        self.ensure_one()
        return self._zoom_signed_join_path() if self._zoom_needs_signed_link() else self._zoom_join_path()
