from odoo import api, fields, models

ZOOM_WATCHED_FIELDS = {"state", "partner_id", "event_id"}


class CalendarAttendee(models.Model):
    _name = "calendar.attendee"
    _inherit = ["calendar.attendee", "zoom.participant.mixin"]
    _zoom_join_slug = "attendee"

    zoom_attendance_ids = fields.One2many("zoom.attendance", "attendee_id", string="Zoom attendance")

    def _zoom_is_registered(self):
        return self.state != "declined" and self.zoom_sync_state not in ("cancel_pending", "cancelled")

    # Registrant sync -------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._zoom_check_system_fields(vals)
        attendees = super().create(vals_list)
        attendees._zoom_schedule_registrant_sync()
        return attendees

    def write(self, vals):
        self._zoom_check_system_fields(vals)
        if ZOOM_WATCHED_FIELDS & set(vals):
            before = self._zoom_sessions_before_move(vals)
            result = super().write(self._zoom_mark_to_sync(vals))
            self._zoom_follow_move(before)
            self._zoom_schedule_registrant_sync()
            return result
        return super().write(vals)

    def _zoom_send_join_mail(self):
        """Calendar's own invitation: its video call link is the event's Join page (see calendar_event)."""
        self._send_invitation_emails()

    def _zoom_participant_name(self):
        return self.common_name or self.partner_id.name

    def _zoom_participant_session(self):
        return self.event_id.start, self.event_id.stop

    def _zoom_invitation_series(self):
        """A recurring event (one Zoom series): every occurrence in one entry, the same from each one."""
        recurrence = self.event_id.recurrence_id
        if not recurrence:
            return super()._zoom_invitation_series()
        occurrences = [(event.start, event.stop) for event in recurrence.calendar_event_ids.sorted("start")]
        return *occurrences[0], "", occurrences

    def _zoom_ics_uid(self):
        """One entry per person for a whole series, whichever occurrence's page it is taken from."""
        recurrence = self.event_id.recurrence_id
        if not recurrence:
            return super()._zoom_ics_uid()
        database = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        series = f"series{recurrence.id}-partner{self.partner_id.id}"
        return f"{self._zoom_join_slug}-{series}.{database}@zoom_training"

    def _zoom_participant_wanted(self):
        """Everyone invited, or only internal users when Settings say so."""
        company = self._zoom_participant_meeting().company_id
        if company.zoom_participant_sync == "internal":
            return any(not user.share for user in self.partner_id.user_ids)
        return True

    def _zoom_participant_cancelled(self):
        return self.state == "declined"
