from odoo import api, fields, models

from ..utils.multi_day import local_day_bounds


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "zoom.sync.mixin"]

    videocall_source = fields.Selection(selection_add=[("zoom", "Zoom")])
    zoom_occurrence_id = fields.Char(copy=False, readonly=True, help="This occurrence in the Zoom series.")

    @api.depends("zoom_meeting_id", "zoom_conference")
    def _compute_videocall_source(self):
        result = super()._compute_videocall_source()
        for event in self.filtered(lambda event: event.zoom_conference != "none"):
            event.videocall_source = "zoom"
        return result

    def _zoom_schedule_sync(self):
        """Events of a recurrence share the recurrence's one Zoom meeting (see calendar_recurrence.py)."""
        in_series = self.filtered("recurrence_id")
        # An event being made recurrent gets its recurrence right after: scheduled with its series then.
        becoming_series = self.filtered(lambda event: event.recurrency and not event.recurrence_id)
        result = super(CalendarEvent, self - in_series - becoming_series)._zoom_schedule_sync()
        for recurrence, events in in_series.grouped("recurrence_id").items():
            conference = events[:1].zoom_conference
            if recurrence.zoom_conference != conference:
                recurrence.zoom_conference = conference  # schedules the series through the mixin
            else:
                recurrence.zoom_meeting_id.filtered("active")._enqueue_push()
            events.with_context(zoom_no_sync=True).zoom_meeting_id = recurrence.zoom_meeting_id
        return result

    def unlink(self):
        """Deleting one occurrence cancels only that occurrence in Zoom."""
        in_series = self.filtered(lambda event: event.recurrence_id.zoom_meeting_id.active)
        for event in in_series.filtered("zoom_occurrence_id"):
            event.recurrence_id.zoom_meeting_id.sudo()._zoom_forget_occurrence(event.zoom_occurrence_id)
        in_series.recurrence_id.zoom_meeting_id._enqueue_push()
        (self - in_series).zoom_meeting_id.filtered("active")._enqueue_delete()
        return super(CalendarEvent, self.with_context(zoom_unlink_handled=True)).unlink()

    def _zoom_synced_fields(self):
        return [
            "name",
            "start",
            "stop",
            "allday",
            "duration",
            "description",
            "user_id",
            "partner_ids",
            "event_tz",
        ]

    def _zoom_start_and_duration(self):
        if self.allday:  # from midnight to midnight in the event's time zone, not in UTC
            first_day, last_day = self.start_date or self.start.date(), self.stop_date or self.stop.date()
            start, end = local_day_bounds(first_day, last_day, self._zoom_timezone())
            return start, int((end - start).total_seconds() // 60)
        return self.start, int(round((self.duration or 1.0) * 60))

    def _zoom_timezone(self):
        return self.event_tz or self.user_id.tz

    def _zoom_company(self):
        return self.user_id.company_id or self.env.company

    def _zoom_host_user(self):
        return self.user_id

    def _zoom_seats_fields(self):
        return ["partner_ids"]

    def _zoom_expected_seats(self):
        return len(self.partner_ids)

    def _zoom_cohost_users(self):
        """Other internal attendees help host; they are never sent as registrants."""
        return self.partner_ids.user_ids.filtered(lambda user: not user.share) - self.user_id

    def _zoom_is_cancelled(self):
        return not self.active

    def _zoom_meeting_ready(self, meeting):
        self.with_context(zoom_no_sync=True).write({"videocall_location": self._zoom_join_location()})

    def _zoom_join_location(self):
        """Odoo's Join page: attendees get their personal link there, never the meeting's generic one."""
        self.ensure_one()
        return f"{self.get_base_url()}/zoom/join/event/{self.id}"
