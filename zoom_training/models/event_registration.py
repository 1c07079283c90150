from datetime import timedelta

from odoo import _, api, fields, models

ZOOM_WATCHED_FIELDS = {"state", "email", "name", "partner_id", "event_id", "active"}


class EventRegistration(models.Model):
    _name = "event.registration"
    _inherit = ["event.registration", "zoom.participant.mixin"]
    _zoom_join_slug = "registration"

    zoom_attendance_ids = fields.One2many("zoom.attendance", "registration_id", string="Zoom attendance")
    zoom_marked_attended = fields.Boolean(copy=False, help="Marked Attended by Zoom's attendance.")
    zoom_attended_days = fields.Char(
        "Attended per day",
        compute="_compute_zoom_attended_days",
        compute_sudo=True,  # the registration's own minutes, as its stored total: the meeting's runs behind
        help="A training over several days: the minutes attended on each day held.",
    )

    @api.depends("zoom_attendance_ids.duration_minutes", "event_id.zoom_meeting_id.zoom_runs")
    def _compute_zoom_attended_days(self):
        for registration in self:
            meeting = registration.event_id.zoom_meeting_id
            if not meeting.last_occurrence_end:
                registration.zoom_attended_days = False
                continue
            by_run = meeting._zoom_seconds_by_run(registration.zoom_attendance_ids)
            spans = meeting._zoom_run_spans()
            registration.zoom_attended_days = " · ".join(
                _(
                    "%(day)s: %(minutes)s min",
                    day=meeting._zoom_local_day(spans[uuid][0]),
                    minutes=round(s / 60),
                )
                for uuid, s in by_run.items()
            )

    def _zoom_is_registered(self):
        return self.state in ("open", "done") and self.zoom_sync_state not in ("cancel_pending", "cancelled")

    # Registrant sync -------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._zoom_check_system_fields(vals)
        registrations = super().create(vals_list)
        registrations._zoom_schedule_registrant_sync()
        return registrations

    def write(self, vals):
        self._zoom_check_system_fields(vals)
        if ZOOM_WATCHED_FIELDS & set(vals):
            before = self._zoom_sessions_before_move(vals)
            confirmed = self.filtered(lambda registration: registration.state in ("open", "done"))
            result = super().write(self._zoom_mark_to_sync(vals))
            self._zoom_follow_move(before)
            self._zoom_schedule_registrant_sync()
            confirmed._zoom_send_calendar_cancel()
            return result
        return super().write(vals)

    def _zoom_send_calendar_cancel(self):
        """Registrations just cancelled on a Zoom training: their calendar entry is removed (CANCEL)."""
        cancelled = self.filtered(
            lambda registration: registration.email
            and registration._zoom_participant_cancelled()
            and registration._zoom_participant_meeting()
        )
        template = self.env.ref(
            "zoom_training.mail_template_zoom_training_cancelled", raise_if_not_found=False
        )
        if template and cancelled:
            template.sudo().send_mail_batch(cancelled.ids)

    @api.model
    def _zoom_link_ready(self):
        """Without Zoom's own emails, Odoo's mail carrying the personal link is the only one: rendered for
        the whole recordset at once (300 mails one by one took as long as Zoom's rate limit for them)."""
        mailed = self.filtered(
            lambda registration: registration.email
            and not registration.event_id.company_id.zoom_emails_enabled
        )
        template = self.env.ref("zoom_training.mail_template_zoom_join_link", raise_if_not_found=False)
        if template and mailed:
            template.sudo().send_mail_batch(mailed.ids)

    def _zoom_send_join_mail(self):
        template = self.env.ref("zoom_training.mail_template_zoom_join_link")
        template.send_mail_batch(self.filtered("email").ids)

    def _zoom_participant_name(self):
        return self.name or self.partner_id.name

    def _zoom_participant_session(self):
        return self.event_id.date_begin, self.event_id.date_end

    def _zoom_invitation_series(self):
        """A training over several days: the first day's hours, repeated daily (one Zoom series)."""
        plan = self.event_id._zoom_daily_plan_or_none()
        if not plan:
            return super()._zoom_invitation_series()
        start = plan.first_start.replace(tzinfo=None)
        return start, start + timedelta(minutes=plan.minutes), f"FREQ=DAILY;COUNT={plan.days}", []

    def _zoom_participant_wanted(self):
        return self.active and self.state in ("open", "done")

    def _zoom_participant_cancelled(self):
        return self.state == "cancel" or not self.active

    def _zoom_access_validation_required(self):
        return self.event_id._zoom_access_validation_required()

    def _zoom_access_requirements(self):
        """Base condition: a confirmed registration. Addons add theirs (prerequisites, payment...)."""
        missing = super()._zoom_access_requirements()
        if self.state not in ("open", "done"):
            missing.append(_("Your registration is not confirmed yet."))
        return missing
