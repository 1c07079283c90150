import dataclasses

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..utils.multi_day import UnplannableDays, daily_plan, last_day_end
from .zoom_plain import zoom_plain

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

    zoom_day_hour_from = fields.Float(
        "Daily start",
        help="A training over several days meets every day from this hour (in its time zone) in Zoom. "
        "Leave both hours at 00:00 to use the training's begin and end times of day.",
    )
    zoom_day_hour_to = fields.Float(
        "Daily end", help="Each day of a training over several days ends at this hour."
    )

    @api.constrains("zoom_day_hour_from", "zoom_day_hour_to")
    def _check_zoom_day_hours(self):
        for event in self:
            hours = (event.zoom_day_hour_from, event.zoom_day_hour_to)
            if any(hour < 0 or hour >= 24 for hour in hours) or (any(hours) and hours[1] <= hours[0]):
                raise ValidationError(
                    _("A training's daily hours run from a start to a later end within the day.")
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
            "zoom_day_hour_from",
            "zoom_day_hour_to",
        ]

    def _zoom_daily_plan(self):
        """The training's days as one daily Zoom series, or None for a single session (utils/multi_day)."""
        self.ensure_one()
        try:
            return daily_plan(
                self.date_begin, self.date_end, self.date_tz, self.zoom_day_hour_from, self.zoom_day_hour_to
            )
        except UnplannableDays as error:
            raise UserError(zoom_plain(self.env, error.plain)) from error

    def _zoom_daily_plan_or_none(self):
        """The daily series; None for one session or for days that cannot be planned (the sync says why)."""
        try:
            return self._zoom_daily_plan()
        except UserError:
            return None

    def _zoom_calendar_times(self):
        return self.date_begin, self.date_end, self.zoom_day_hour_from, self.zoom_day_hour_to

    def _zoom_start_and_duration(self):
        plan = self._zoom_daily_plan()
        if plan:
            return plan.first_start.replace(tzinfo=None), plan.minutes
        return self.date_begin, int((self.date_end - self.date_begin).total_seconds() // 60)

    def _zoom_session_spec(self):
        """Several days: one daily recurring meeting, registered once for all days (one personal link)."""
        spec = super()._zoom_session_spec()
        plan = self._zoom_daily_plan()
        last_end = last_day_end(plan, spec.timezone) if plan else False
        self.zoom_meeting_id.write({"last_occurrence_end": last_end})
        return dataclasses.replace(spec, recurrence=plan.recurrence()) if plan else spec

    def _zoom_timezone(self):
        return self.date_tz

    def _zoom_company(self):
        return self.company_id or self.env.company

    def _zoom_host_user(self):
        return self.user_id

    def _zoom_cohost_users(self):
        return self.zoom_instructor_ids - self.user_id

    def _zoom_seats_fields(self):
        return ["seats_limited", "seats_max", "seats_taken"]

    def _zoom_expected_seats(self):
        return self.seats_max if self.seats_limited else self.seats_taken

    def _zoom_is_cancelled(self):
        cancelled = self.env.ref("event.event_stage_cancelled", raise_if_not_found=False)
        return not self.active or (cancelled and self.stage_id == cancelled)
