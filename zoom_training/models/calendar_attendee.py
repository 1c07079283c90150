from odoo import api, fields, models

from ..utils.attendance import attended_seconds


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    zoom_registrant_id = fields.Char("Zoom registrant ID", index="btree_not_null", copy=False)
    zoom_join_url = fields.Char("Zoom join link", copy=False)
    zoom_attendance_ids = fields.One2many("zoom.attendance", "attendee_id", string="Zoom attendance")
    zoom_attended_minutes = fields.Float(
        "Attended (min)", compute="_compute_zoom_attended_minutes", store=True, digits=(16, 1)
    )

    @api.depends(
        "zoom_attendance_ids.join_time",
        "zoom_attendance_ids.leave_time",
        "zoom_attendance_ids.meeting_id.actual_start",
        "zoom_attendance_ids.meeting_id.actual_end",
    )
    def _compute_zoom_attended_minutes(self):
        for attendee in self:
            seconds = 0
            for meeting in attendee.zoom_attendance_ids.meeting_id:
                segments = attendee.zoom_attendance_ids.filtered(
                    lambda segment, m=meeting: segment.meeting_id == m
                )
                stays = [(segment.join_time, segment.leave_time) for segment in segments]
                seconds += attended_seconds(stays, meeting.actual_start, meeting.actual_end)
            attendee.zoom_attended_minutes = seconds / 60

    def _zoom_is_registered(self):
        return self.state != "declined"
