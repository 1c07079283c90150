from odoo import fields, models

ZOOM_CHANGE_TEMPLATES = {
    "moved": "zoom_training.mail_template_zoom_training_moved",
    "cancelled": "zoom_training.mail_template_zoom_training_cancelled",
}


class EventEvent(models.Model):
    _name = "event.event"
    _inherit = ["event.event", "zoom.sync.mixin"]

    zoom_instructor_ids = fields.Many2many(
        "res.users",
        "event_event_zoom_instructor_rel",
        "event_id",
        "user_id",
        string="Instructors",
        domain=[("share", "=", False)],
        help="Alternative hosts of a Zoom meeting, panelists of a Zoom webinar.",
    )
    zoom_access_validation = fields.Selection(
        [("company", "As in Settings"), ("on", "Required"), ("off", "Not required")],
        string="Zoom access validation",
        default="company",
        required=True,
        help="Register attendees in Zoom only once every access requirement is met.",
    )

    def _zoom_access_validation_required(self):
        self.ensure_one()
        if self.zoom_access_validation == "company":
            return self._zoom_company().zoom_access_validation
        return self.zoom_access_validation == "on"

    def write(self, vals):
        result = super().write(vals)
        if "zoom_access_validation" in vals:
            self.registration_ids._zoom_schedule_registrant_sync()
        return result

    def _zoom_tell_participants(self, change):
        """Upcoming trainings only: confirmed registrations get the mail with their updated .ics."""
        template = self.env.ref(ZOOM_CHANGE_TEMPLATES[change], raise_if_not_found=False)
        if not template or (self.date_end and self.date_end < fields.Datetime.now()):
            return
        registrations = self.registration_ids.filtered(
            lambda registration: registration.email and registration.state in ("open", "done")
        )
        if registrations:
            template.sudo().send_mail_batch(registrations.ids)

    def _zoom_synced_fields(self):
        return [
            "name",
            "date_begin",
            "date_end",
            "date_tz",
            "description",
            "user_id",
            "zoom_instructor_ids",
            "stage_id",
        ]

    def _zoom_start_and_duration(self):
        return self.date_begin, int((self.date_end - self.date_begin).total_seconds() // 60)

    def _zoom_timezone(self):
        return self.date_tz

    def _zoom_company(self):
        return self.company_id or self.env.company

    def _zoom_host_user(self):
        return self.user_id

    def _zoom_cohost_users(self):
        return self.zoom_instructor_ids - self.user_id

    def _zoom_is_cancelled(self):
        cancelled = self.env.ref("event.event_stage_cancelled", raise_if_not_found=False)
        return not self.active or (cancelled and self.stage_id == cancelled)
