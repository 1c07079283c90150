from datetime import timedelta

from odoo import api, fields, models


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "zoom.sync.mixin"]

    videocall_source = fields.Selection(selection_add=[("zoom", "Zoom")])

    @api.depends("zoom_meeting_id", "zoom_conference")
    def _compute_videocall_source(self):
        super()._compute_videocall_source()
        for event in self.filtered(lambda event: event.zoom_conference != "none"):
            event.videocall_source = "zoom"

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
        if self.allday:
            start = self.start.replace(hour=0, minute=0, second=0)
            return start, int((self.stop + timedelta(days=1) - start).total_seconds() // 60)
        return self.start, int(round((self.duration or 1.0) * 60))

    def _zoom_timezone(self):
        return self.event_tz or self.user_id.tz

    def _zoom_company(self):
        return self.user_id.company_id or self.env.company

    def _zoom_host_user(self):
        return self.user_id

    def _zoom_cohost_users(self):
        """Other internal attendees help host; they are never sent as registrants."""
        return self.partner_ids.user_ids.filtered(lambda user: not user.share) - self.user_id

    def _zoom_is_cancelled(self):
        return not self.active

    def _zoom_meeting_ready(self, meeting):
        self.with_context(zoom_no_sync=True).write({"videocall_location": meeting.join_url})
