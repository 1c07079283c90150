import dataclasses
import json

from odoo import models
from odoo.exceptions import UserError

from ..utils.payloads import clamp_duration, zoom_datetime
from ..utils.recurrence import UnsupportedRecurrence, pair_occurrences, zoom_recurrence
from .zoom_plain import zoom_plain

RULE_FIELDS = [
    "rrule_type",
    "interval",
    "end_type",
    "count",
    "until",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "month_by",
    "day",
    "weekday",
    "byday",
]


class CalendarRecurrence(models.Model):
    """A recurring calendar event is ONE Zoom recurring meeting: creating a series of 20 costs one create
    call, and moving or cancelling one occurrence changes only that occurrence in Zoom."""

    _name = "calendar.recurrence"
    _inherit = ["calendar.recurrence", "zoom.sync.mixin"]

    def _zoom_events(self, with_archived=False):
        return self.with_context(active_test=not with_archived).calendar_event_ids.sorted("start")

    def _zoom_base(self):
        """The event the series starts from; it keeps that role when archived, so the series stays put."""
        return self.base_event_id.exists() or self._zoom_events(with_archived=True)[:1]

    def _zoom_synced_fields(self):
        return [*RULE_FIELDS, "event_tz"]

    def _zoom_company(self):
        return self._zoom_base()._zoom_company()

    def _zoom_start_and_duration(self):
        return self._zoom_base()._zoom_start_and_duration()

    def _zoom_timezone(self):
        return self.event_tz or self._zoom_base()._zoom_timezone()

    def _zoom_host_user(self):
        return self._zoom_base()._zoom_host_user()

    def _zoom_cohost_users(self):
        return self._zoom_base()._zoom_cohost_users()

    def _zoom_is_cancelled(self):
        return not self._zoom_events()

    def _zoom_session_spec(self):
        base = self._zoom_base()
        rule = {name: self[name] for name in RULE_FIELDS}
        try:
            recurrence = zoom_recurrence(rule, len(self._zoom_events(with_archived=True)))
        except UnsupportedRecurrence as error:
            raise UserError(zoom_plain(self.env, error.plain)) from error
        spec = base._zoom_session_spec()
        return dataclasses.replace(spec, kind=self.zoom_conference, recurrence=recurrence)

    def _zoom_create_meeting_record(self):
        meeting = super()._zoom_create_meeting_record()
        self._zoom_events(with_archived=True).with_context(zoom_no_sync=True).zoom_meeting_id = meeting
        return meeting

    def message_post(self, **kwargs):
        return self._zoom_base().message_post(**kwargs)

    def _zoom_meeting_ready(self, meeting):
        for event in self._zoom_events(with_archived=True).with_context(zoom_no_sync=True):
            event.write({"zoom_meeting_id": meeting.id, "videocall_location": event._zoom_join_location()})

    def _zoom_after_push(self, meeting):
        """Sends what differs between each Odoo occurrence and the Zoom occurrence it is paired with."""
        client = meeting._client()
        state = json.loads(meeting.occurrence_state or "{}")
        if not state or any(not event.zoom_occurrence_id for event in self._zoom_events()):
            state = self._zoom_pair_occurrences(meeting, client)
        kind_path = f"/{meeting.kind}s/{meeting.zoom_id}"
        for occurrence_id, held in state.items():
            if held.get("cancelled") and not held.get("deleted"):
                client.delete(kind_path, params={"occurrence_id": occurrence_id})
                held["deleted"] = True
        for event in self._zoom_events(with_archived=True).filtered("zoom_occurrence_id"):
            held = state.get(event.zoom_occurrence_id)
            if not held or held.get("deleted"):
                continue
            if not event.active:
                client.delete(kind_path, params={"occurrence_id": event.zoom_occurrence_id})
                held["deleted"] = True
                continue
            wanted = self._zoom_occurrence_values(event)
            if (held["start_time"], held["duration"]) != (wanted["start_time"], wanted["duration"]):
                client.patch(kind_path, params={"occurrence_id": event.zoom_occurrence_id}, json=wanted)
                held.update(wanted)
        meeting.occurrence_state = json.dumps(state)

    def _zoom_occurrence_values(self, event):
        start, minutes = event._zoom_start_and_duration()
        return {"start_time": zoom_datetime(start), "duration": clamp_duration(minutes)}

    def _zoom_pair_occurrences(self, meeting, client):
        occurrences = client.get(f"/{meeting.kind}s/{meeting.zoom_id}").get("occurrences", [])
        events = self._zoom_events(with_archived=True)
        taken = set(events.mapped("zoom_occurrence_id"))
        unpaired = events.filtered(lambda event: event.active and not event.zoom_occurrence_id)
        free = [occurrence for occurrence in occurrences if occurrence["occurrence_id"] not in taken]
        pairs = pair_occurrences({event.id: event.start for event in unpaired}, free)
        for event in unpaired:
            event.with_context(zoom_no_sync=True).zoom_occurrence_id = pairs.get(event.id)
        return {
            occurrence["occurrence_id"]: {
                "start_time": occurrence["start_time"],
                "duration": occurrence["duration"],
            }
            for occurrence in occurrences
        }
