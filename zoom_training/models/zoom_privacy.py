"""Erasure (GDPR art. 17): a person forgotten leaves no registrant in Zoom and no name in Odoo's Zoom data."""

import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .zoom_participant_mixin import PARTICIPANT_MODELS

_logger = logging.getLogger(__name__)

MIN_REDACTED_LENGTH = 4  # shorter names would blank unrelated text of every delivery


class ResPartner(models.Model):
    _inherit = "res.partner"

    def unlink(self):
        """Deleting a contact (directly, or through Odoo's privacy lookup) forgets them in Zoom first."""
        self._zoom_forget()
        return super().unlink()

    def action_zoom_forget(self):
        """*Forget in Zoom*, for the Zoom administrator: the contact stays, their Zoom traces go."""
        if not self.env.user.has_group("zoom_training.group_zoom_manager"):
            raise AccessError(_("Only a Zoom administrator forgets people in Zoom."))
        self.check_access("read")
        self._zoom_forget()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "Forgotten in Zoom: their registrants are being deleted in Zoom, their attendance is "
                    "anonymised and the webhook inbox no longer names them."
                ),
            },
        }

    def _zoom_forget(self):
        partners = self.sudo().with_context(active_test=False)
        if not partners:
            return
        participants = [
            self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids)])
            for model in PARTICIPANT_MODELS
        ]
        for group in participants:
            group._zoom_forget_registrants()
        self.env["zoom.attendance"].sudo()._zoom_anonymise(partners, participants)
        self.env["zoom.webhook.event"].sudo()._zoom_redact(partners._zoom_personal_terms(participants))
        _logger.info("Zoom: %s contact(s) forgotten", len(partners))

    def _zoom_personal_terms(self, participants):
        """The emails and names under which Zoom's deliveries may name these people."""
        terms = set()
        for partner in self:
            terms.update({partner.email, partner.name})
        for group in participants:
            for participant in group:
                terms.update(
                    {
                        participant.zoom_registrant_email,
                        participant._zoom_participant_email(),
                        participant.name,
                    }
                )
        return {term.strip() for term in terms if term and len(term.strip()) >= MIN_REDACTED_LENGTH}


class ZoomParticipantMixin(models.AbstractModel):
    _inherit = "zoom.participant.mixin"

    def _zoom_forget_registrants(self):
        """Their registrants deleted in Zoom (not only cancelled), by a job per meeting; never sent again."""
        for meeting, participants in self.grouped(lambda p: p._zoom_participant_meeting()).items():
            registrant_ids = [p.zoom_registrant_id for p in participants if p.zoom_registrant_id]
            if meeting and registrant_ids:
                meeting.sudo().with_delay(
                    channel="root.zoom",
                    description=_("Zoom: delete forgotten registrants of %s", meeting.name),
                )._zoom_delete_registrants(registrant_ids)
        self.sudo().write(
            {
                "zoom_forgotten": True,
                "zoom_registrant_id": False,
                "zoom_join_url": False,
                "zoom_registrant_email": False,
                "zoom_registrant_approved": False,
                "zoom_sync_state": "none",
                "zoom_sync_error": _("Forgotten on request: removed from Zoom, never sent again."),
            }
        )


class ZoomAttendance(models.Model):
    _inherit = "zoom.attendance"

    def _zoom_anonymise(self, partners, participants):
        """Names, emails and Zoom user ids go; minutes, times and the session stay for statistics."""
        domain = [("partner_id", "in", partners.ids)]
        for group in participants:
            field = "registration_id" if group._name == "event.registration" else "attendee_id"
            domain = ["|", (field, "in", group.ids), *domain]
        emails = [email for email in partners.mapped("email") if email]
        if emails:
            domain = ["|", ("email", "in", emails), *domain]
        self.search(domain)._zoom_anonymise_rows()

    def _zoom_anonymise_rows(self):
        self.write(
            {"participant_name": _("Anonymised participant"), "email": False, "participant_user_id": False}
        )

    @api.model
    def _cron_attendance_retention(self):
        """Per company, attendance details older than its retention are anonymised."""
        for company in self.env["res.company"].sudo().search([("zoom_attendance_retention_days", ">", 0)]):
            limit = fields.Datetime.now() - timedelta(days=company.zoom_attendance_retention_days)
            expired = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("join_time", "<", limit),
                    "|",
                    ("participant_user_id", "!=", False),
                    ("email", "!=", False),
                ]
            )
            expired._zoom_anonymise_rows()
