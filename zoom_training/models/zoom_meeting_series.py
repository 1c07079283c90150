import json
from datetime import timezone

from odoo import fields, models
from odoo.tools import format_date

from ..utils.attendance import attended_seconds
from ..utils.multi_day import local_zone


class ZoomMeeting(models.Model):
    """A training over several days is one daily recurring Zoom meeting: each day is one run (its own
    Zoom uuid), attendance is counted per run and in total, and the threshold applies to the total."""

    _name = "zoom.meeting"
    _inherit = "zoom.meeting"

    last_occurrence_end = fields.Datetime(
        copy=False, readonly=True, help="The end of the last day of a training held over several days."
    )
    zoom_runs = fields.Text(
        copy=False, readonly=True, help="The days a daily series has been held: {run uuid: [start, end]}."
    )

    def _zoom_is_series(self):
        """A recurring Zoom meeting: a calendar series, or a training over several days."""
        self.ensure_one()
        return self.res_model == "calendar.recurrence" or bool(self.last_occurrence_end)

    def _zoom_planned_days(self):
        recurrence = json.loads(self.last_payload or "{}").get("recurrence") or {}
        return recurrence.get("end_times") or 0

    def _zoom_record_run(self, uuid, start, end):
        """One day of a training over several days has ended: kept with its own times."""
        self.ensure_one()
        if not (self.last_occurrence_end and uuid and start and end):
            return
        runs = json.loads(self.zoom_runs or "{}")
        runs[uuid] = [fields.Datetime.to_string(start), fields.Datetime.to_string(end)]
        self.zoom_runs = json.dumps(runs)

    def _zoom_run_spans(self):
        """{run uuid: (start, end)} of the days held, in the order they were held."""
        runs = json.loads(self.zoom_runs or "{}")
        spans = {uuid: tuple(map(fields.Datetime.to_datetime, times)) for uuid, times in runs.items()}
        return dict(sorted(spans.items(), key=lambda item: item[1][0]))

    def _zoom_series_complete(self):
        """Every day held, or the last day over: the total is final."""
        days = self._zoom_planned_days()
        held = len(self._zoom_run_spans())
        return bool(held) and (held >= days or self.last_occurrence_end <= fields.Datetime.now())

    def _zoom_mark_attendance(self, registrations=None):
        """A training over several days: Attended once every day is held and the total time reaches the
        threshold of the total time held."""
        self.ensure_one()
        if not self.last_occurrence_end:
            return super()._zoom_mark_attendance(registrations)
        source = self._source()
        if not source or source._name != "event.event" or not self._zoom_series_complete():
            return None
        spans = self._zoom_run_spans().values()
        held = sum((end - start).total_seconds() for start, end in spans)
        threshold = self.company_id.zoom_attendance_threshold
        registrations = (registrations or source.registration_ids).filtered(
            lambda registration: registration.state in ("open", "done")
        )
        for registration in registrations:
            seconds = registration._zoom_attended_seconds(self)
            if held and seconds >= held * threshold / 100.0:
                if registration.state == "open":
                    registration.write({"state": "done", "zoom_marked_attended": True})
            elif registration.state == "done" and registration.zoom_marked_attended:
                registration.write({"state": "open", "zoom_marked_attended": False})
        return None

    def _zoom_local_day(self, moment):
        """A run's day as the trainees know it (the meeting's time zone)."""
        local = moment.replace(tzinfo=timezone.utc).astimezone(local_zone(self.timezone))
        return format_date(self.env, local.date())

    def _zoom_seconds_by_run(self, segments):
        """{run uuid: seconds} a participant's segments count in each day held."""
        return {
            uuid: attended_seconds(
                [(s.join_time, s.leave_time) for s in segments if s.instance_uuid == uuid], start, end
            )
            for uuid, (start, end) in self._zoom_run_spans().items()
        }
