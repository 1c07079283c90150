from datetime import timezone

from odoo import api, fields, models

from ..utils.multi_day import local_zone
from ..utils.webhook import normalize_id
from .zoom_meeting_webhook import parse_zoom_time

REPORTED = "reported"  # the middle part of the key of a segment made from Zoom's participant list


class ZoomAttendance(models.Model):
    """One stay of one participant in a Zoom meeting: from `participant_joined` to `participant_left`.

    Matched to a registration (trainings) or an attendee (calendar events) by Zoom registrant id, then by
    email; never by name. Unmatched stays are kept for review."""

    _name = "zoom.attendance"
    _description = "Zoom attendance segment"
    _order = "join_time, id"
    _rec_name = "participant_name"

    meeting_id = fields.Many2one("zoom.meeting", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="meeting_id.company_id", store=True)
    event_id = fields.Many2one("event.event", string="Training", index="btree_not_null", readonly=True)
    calendar_event_id = fields.Many2one("calendar.event", index="btree_not_null", readonly=True)
    segment_key = fields.Char(readonly=True, required=True, help="Meeting run, participant uuid and user id.")
    instance_uuid = fields.Char("Meeting run", readonly=True)
    participant_uuid = fields.Char(readonly=True)
    participant_user_id = fields.Char("Zoom participant", readonly=True)
    participant_name = fields.Char("Name", readonly=True)
    email = fields.Char(readonly=True)
    registrant_id = fields.Char("Zoom registrant", index="btree_not_null", readonly=True)
    join_time = fields.Datetime(readonly=True)
    leave_time = fields.Datetime(readonly=True)
    leave_reason = fields.Char(readonly=True)
    duration_minutes = fields.Float(
        "Minutes", compute="_compute_duration_minutes", store=True, digits=(16, 1)
    )
    day = fields.Date(
        compute="_compute_day", store=True, help="The day of the stay in the meeting's time zone."
    )
    registration_id = fields.Many2one("event.registration", index="btree_not_null", ondelete="set null")
    attendee_id = fields.Many2one("calendar.attendee", index="btree_not_null", ondelete="set null")
    partner_id = fields.Many2one("res.partner", compute="_compute_partner_id", store=True)
    review_state = fields.Selection(
        [("matched", "Matched"), ("to_review", "To review")],
        compute="_compute_review_state",
        store=True,
    )

    _sql_constraints = [
        (
            "segment_unique",
            "unique(meeting_id, segment_key)",
            "A participant's stay is recorded once.",
        )
    ]

    @api.depends("join_time", "leave_time")
    def _compute_duration_minutes(self):
        for segment in self:
            if segment.join_time and segment.leave_time and segment.leave_time > segment.join_time:
                segment.duration_minutes = (segment.leave_time - segment.join_time).total_seconds() / 60
            else:
                segment.duration_minutes = 0.0

    @api.depends("join_time", "leave_time", "meeting_id.timezone")
    def _compute_day(self):
        for segment in self:
            moment = segment.join_time or segment.leave_time
            zone = local_zone(segment.meeting_id.timezone)
            segment.day = moment.replace(tzinfo=timezone.utc).astimezone(zone).date() if moment else False

    @api.depends("registration_id", "attendee_id")
    def _compute_partner_id(self):
        for segment in self:
            segment.partner_id = segment.registration_id.partner_id or segment.attendee_id.partner_id

    @api.depends("registration_id", "attendee_id")
    def _compute_review_state(self):
        for segment in self:
            segment.review_state = (
                "matched" if segment.registration_id or segment.attendee_id else "to_review"
            )

    # From the webhooks ------------------------------------------------------------------------------

    @api.model
    def _record_participant(self, meeting, zoom_object, left):
        """`joined` and `left` of one stay end as one segment, in whichever order they arrive."""
        person = zoom_object.get("participant") or {}
        identity = {
            "instance_uuid": zoom_object.get("uuid") or "",
            "participant_uuid": person.get("participant_uuid") or "",
            "participant_user_id": normalize_id(person.get("user_id")),
        }
        key = "|".join(identity.values())
        values = {
            "participant_name": person.get("user_name"),
            "email": (person.get("email") or "").strip().lower(),
            "registrant_id": person.get("registrant_id"),
        }
        # Zoom's own example of meeting.participant_joined gives the instant as `date_time`, not `join_time`
        moment = parse_zoom_time(person.get("leave_time" if left else "join_time") or person.get("date_time"))
        if left:
            values.update(leave_time=moment, leave_reason=person.get("leave_reason"))
        else:
            values["join_time"] = moment
        values = {name: value for name, value in values.items() if value}
        segment = self.search([("meeting_id", "=", meeting.id), ("segment_key", "=", key)], limit=1)
        segment = segment or self._reported_stay(meeting, identity)
        if segment:
            segment.write(values)
        else:
            segment = self.create(
                {
                    "meeting_id": meeting.id,
                    "segment_key": key,
                    **identity,
                    **values,
                    **self._source_values(meeting),
                }
            )
        segment._match_person()
        if meeting.zoom_status == "ended":
            meeting._zoom_mark_attendance(segment.registration_id)
        return segment

    # From Zoom's participant list (the reconciliation) ----------------------------------------------

    @api.model
    def _record_reported_stay(self, meeting, run_uuid, row):
        """A stay of Zoom's past-participants list: completes the segment webhooks started, or creates the
        one they missed. Returns the segment when it filled something, else an empty recordset."""
        identity = {"instance_uuid": run_uuid, "participant_user_id": normalize_id(row.get("user_id"))}
        values = {
            "participant_name": row.get("name"),
            "email": (row.get("user_email") or "").strip().lower(),
            "registrant_id": row.get("registrant_id"),
            "join_time": parse_zoom_time(row.get("join_time")),
            "leave_time": parse_zoom_time(row.get("leave_time")),
        }
        values = {name: value for name, value in values.items() if value}
        segment = self.search(
            [
                ("meeting_id", "=", meeting.id),
                ("instance_uuid", "=", run_uuid),
                ("participant_user_id", "=", identity["participant_user_id"]),
            ],
            limit=1,
        )
        if segment:
            missing = {name: value for name, value in values.items() if not segment[name]}
            if not missing.keys() & {"join_time", "leave_time"}:
                return self.browse()
            segment.write(missing)
        else:
            key = "|".join([run_uuid, REPORTED, identity["participant_user_id"]])
            segment = self.create(
                {
                    "meeting_id": meeting.id,
                    "segment_key": key,
                    **identity,
                    **values,
                    **self._source_values(meeting),
                }
            )
        segment._match_person()
        return segment

    @api.model
    def _reported_stay(self, meeting, identity):
        """The segment the reconciliation made for a stay whose webhook came late: completed, not doubled."""
        return self.search(
            [
                ("meeting_id", "=", meeting.id),
                ("instance_uuid", "=", identity["instance_uuid"]),
                ("participant_user_id", "=", identity["participant_user_id"]),
                ("segment_key", "=like", f"%|{REPORTED}|%"),
            ],
            limit=1,
        )

    @api.model
    def _source_values(self, meeting):
        source = meeting._source()
        field = {"event.event": "event_id", "calendar.event": "calendar_event_id"}.get(meeting.res_model)
        return {field: source.id} if field and source else {}

    def _match_person(self):
        for segment in self.filtered(lambda record: not record.registration_id and not record.attendee_id):
            person = self._zoom_find_person(segment.meeting_id, segment.registrant_id, segment.email)
            if person._name == "event.registration":
                segment.registration_id = person
            elif person._name == "calendar.attendee":
                segment.attendee_id = person

    @api.model
    def _zoom_find_person(self, meeting, registrant_id, email):
        """The registration or attendee with this Zoom registrant id, else the only one with this email."""
        source = meeting._source()
        people = {
            "event.event": lambda: source.registration_ids.filtered(lambda reg: reg.state != "cancel"),
            "calendar.event": lambda: source.attendee_ids,
        }.get(source._name if source else "")
        if not people:
            return self.env["event.registration"]
        candidates = people()
        if registrant_id:
            found = candidates.filtered(lambda person: person.zoom_registrant_id == registrant_id)
            if found:
                return found[:1]
        email = (email or "").strip().lower()
        if email:
            found = candidates.filtered(lambda person: (person.email or "").strip().lower() == email)
            if len(found) == 1:
                return found
        return candidates.browse()
