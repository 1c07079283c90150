from odoo import api, fields, models

from ..utils.attendance import attended_seconds


class EventRegistration(models.Model):
    _inherit = "event.registration"

    zoom_registrant_id = fields.Char("Zoom registrant ID", index="btree_not_null", copy=False)
    zoom_join_url = fields.Char("Zoom join link", copy=False)
    zoom_attendance_ids = fields.One2many("zoom.attendance", "registration_id", string="Zoom attendance")
    zoom_attended_minutes = fields.Float(
        "Attended (min)", compute="_compute_zoom_attended_minutes", store=True, digits=(16, 1)
    )
    zoom_marked_attended = fields.Boolean(copy=False, help="Marked Attended by Zoom's attendance.")

    @api.depends(
        "zoom_attendance_ids.join_time",
        "zoom_attendance_ids.leave_time",
        "zoom_attendance_ids.meeting_id.actual_start",
        "zoom_attendance_ids.meeting_id.actual_end",
    )
    def _compute_zoom_attended_minutes(self):
        for registration in self:
            meetings = registration.zoom_attendance_ids.meeting_id
            seconds = sum(registration._zoom_attended_seconds(meeting) for meeting in meetings)
            registration.zoom_attended_minutes = seconds / 60

    def _zoom_attended_seconds(self, meeting):
        """Stays merged (overlaps and rejoins), within the meeting's actual run."""
        self.ensure_one()
        segments = self.zoom_attendance_ids.filtered(lambda segment: segment.meeting_id == meeting)
        stays = [(segment.join_time, segment.leave_time) for segment in segments]
        return attended_seconds(stays, meeting.actual_start, meeting.actual_end)

    def _zoom_is_registered(self):
        return self.state in ("open", "done")
