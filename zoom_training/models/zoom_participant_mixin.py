from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..utils.attendance import attended_seconds
from ..utils.registrants import email_problem

PARTICIPANT_STATES = [
    ("to_sync", "Being registered"),
    ("synced", "Registered in Zoom"),
    ("cancel_pending", "Being cancelled"),
    ("cancelled", "Cancelled in Zoom"),
    ("flagged", "Not sent: check the data"),
    ("held", "Waiting for access requirements"),
    ("quota", "Waiting for Zoom quota"),
    ("error", "Sync failed: see the note"),
    ("none", "Not registered in Zoom"),
]
JOIN_OPENS_MINUTES = 30  # the Join button opens this long before the session starts
PARTICIPANT_MODELS = ("event.registration", "calendar.attendee")
REGISTRANT_SYNC_DELAY = 5
ZOOM_SYSTEM_FIELDS = {
    "zoom_registrant_id",
    "zoom_join_url",
    "zoom_registrant_email",
    "zoom_registrant_approved",
    "zoom_sync_state",
    "zoom_sync_error",
    "zoom_quota_until",
    "zoom_forgotten",
}  # seconds: enrolments arriving together are registered in one batch


class ZoomParticipantMixin(models.AbstractModel):
    """Someone who joins a Zoom session with a personal link: a training registration or a calendar attendee.

    Models implement the hooks `_zoom_participant_meeting`, `_zoom_participant_email`,
    `_zoom_participant_name`, `_zoom_participant_partner`, `_zoom_participant_session`,
    `_zoom_participant_group`, `_zoom_participant_wanted`, `_zoom_participant_cancelled` and the model-level
    `_zoom_participant_domain`; `_zoom_access_requirements` when access validation applies.
    """

    _name = "zoom.participant.mixin"
    _description = "Zoom participant"
    _zoom_join_slug = ""  # the /zoom/join/<slug>/<id> route's name for the model

    zoom_registrant_id = fields.Char("Zoom registrant ID", index="btree_not_null", copy=False, readonly=True)
    zoom_join_url = fields.Char(
        "Zoom personal link (raw)",
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="Served only to the participant, by the Join page.",
    )
    zoom_has_personal_link = fields.Boolean(
        "Has a personal link", compute="_compute_zoom_has_personal_link", compute_sudo=True
    )
    zoom_registrant_email = fields.Char("Email registered in Zoom", copy=False, readonly=True)
    zoom_attended_minutes = fields.Float(
        "Attended (min)", compute="_compute_zoom_attended_minutes", store=True, digits=(16, 1)
    )
    zoom_registrant_approved = fields.Boolean(
        "Approved in Zoom", copy=False, readonly=True, help="What Zoom holds, as far as Odoo knows."
    )
    zoom_sync_state = fields.Selection(
        PARTICIPANT_STATES, string="Zoom registration", default="to_sync", copy=False, readonly=True
    )
    zoom_sync_error = fields.Char("Zoom registration note", copy=False, readonly=True)
    zoom_forgotten = fields.Boolean(
        "Forgotten in Zoom", copy=False, readonly=True, help="Erased on request: never sent to Zoom again."
    )
    zoom_quota_until = fields.Datetime("Zoom quota resets", copy=False, readonly=True)
    zoom_personal_join_url = fields.Char(
        "Zoom join link (personal)",
        compute="_compute_zoom_personal_join_url",
        help="Odoo's Join page for this participant, for mail templates: {{ object.zoom_personal_join_url }}",
    )

    def _compute_zoom_has_personal_link(self):
        for participant in self:
            participant.zoom_has_personal_link = bool(participant.zoom_join_url)

    def _zoom_check_system_fields(self, vals):
        """What Zoom gave and the sync decided is written by the sync flows only, never by a user."""
        written = ZOOM_SYSTEM_FIELDS & set(vals)
        if written and not self.env.su:
            raise AccessError(
                _(
                    "Zoom registration fields are set by the Zoom sync, not by hand: %s",
                    ", ".join(sorted(written)),
                )
            )

    def _compute_zoom_personal_join_url(self):
        for participant in self:
            if participant.id and participant._zoom_participant_meeting():
                base = participant.get_base_url()
                participant.zoom_personal_join_url = f"{base}{participant._zoom_join_path()}"
            else:
                participant.zoom_personal_join_url = False

    def _zoom_link_ready(self):
        """Called once for each participant, when Zoom has given them their personal link (on a recordset:
        the participants of one answer from Zoom)."""

    def _zoom_join_path(self):
        self.ensure_one()
        return f"/zoom/join/{self._zoom_join_slug}/{self.id}"

    # Scheduling ------------------------------------------------------------------------------------

    def _zoom_schedule_registrant_sync(self, eta=REGISTRANT_SYNC_DELAY):
        meetings = self.env["zoom.meeting"]
        for participant in self:
            meetings |= participant._zoom_participant_meeting()
        meetings.sudo()._zoom_enqueue_registrant_sync(eta=eta)

    def unlink(self):
        """A deleted participant's registrant is cancelled in Zoom, unless the same person stays."""
        active = self.filtered(lambda participant: participant._zoom_is_active_registrant())
        for meeting, participants in active.grouped(lambda p: p._zoom_participant_meeting()).items():
            participants._zoom_enqueue_cancel(
                meeting, _("Zoom: cancel deleted participants of %s", meeting.name)
            )
        return super().unlink()

    def _zoom_enqueue_cancel(self, meeting, description):
        """Their registrants of `meeting` cancelled in Zoom by a job, from (id, email) pairs kept now."""
        if meeting and self:
            refs = [(p.zoom_registrant_id, p.zoom_registrant_email) for p in self]
            meeting.sudo().with_delay(
                channel="root.zoom", description=description
            )._zoom_cancel_registrant_refs(refs)

    def _zoom_sessions_before_move(self, vals):
        """{participant: meeting} before a write that may move them to another event (empty otherwise)."""
        if "event_id" not in vals:
            return {}
        return {participant: participant._zoom_participant_meeting() for participant in self}

    def _zoom_follow_move(self, before):
        """Participants moved to another session: their registrant of the old one is cancelled and their
        personal link forgotten in the same save, so the Join button never opens the old session; the new
        session's sync registers them and mails the new link."""
        moved = self.browse(
            [p.id for p, meeting in before.items() if meeting != p._zoom_participant_meeting()]
        )
        if not moved:
            return
        for meeting, participants in moved.grouped(lambda p: before[p]).items():
            participants.filtered(lambda p: p._zoom_is_active_registrant())._zoom_enqueue_cancel(
                meeting, _("Zoom: cancel participants moved away from %s", meeting.name)
            )
        moved._zoom_forget_registration()

    def _zoom_forget_registration(self):
        """Their registrant and personal link belong to a session they no longer join: to register again."""
        self.sudo().write(
            {
                "zoom_registrant_id": False,
                "zoom_join_url": False,
                "zoom_registrant_email": False,
                "zoom_registrant_approved": False,
                "zoom_sync_state": "to_sync",
                "zoom_sync_error": False,
                "zoom_quota_until": False,
            }
        )

    def _zoom_mark_to_sync(self, vals):
        """Values for a write that may change who is registered: the next sync pass looks again."""
        return dict(vals, zoom_sync_state="to_sync")

    # What Zoom should hold -------------------------------------------------------------------------

    def _zoom_is_active_registrant(self):
        self.ensure_one()
        return bool(self.zoom_registrant_id and self.zoom_registrant_approved)

    def _zoom_email(self):
        return (self._zoom_participant_email() or "").strip().lower()

    def _zoom_verdict(self, excluded_emails, test_domains):
        """What this participant should be in Zoom: (state, reason); state "register" when it must be sent."""
        self.ensure_one()
        if self._zoom_participant_cancelled():
            return "cancelled", False
        if self.zoom_forgotten:
            return "none", self.zoom_sync_error
        email = self._zoom_email()
        if email and email in excluded_emails:
            return "none", _("Hosts this session: joins with the host's link.")
        missing = self._zoom_missing_requirements()
        if missing:
            return "held", "\n".join(missing)
        if not self._zoom_participant_wanted():
            return "none", False
        problem = email_problem(email, test_domains)
        if problem == "invalid":
            return "flagged", _("Invalid email address: %s", self._zoom_participant_email() or _("none"))
        if problem == "test":
            return "flagged", _("Test email address, never delivered: %s", self._zoom_participant_email())
        return "register", False

    def _zoom_missing_requirements(self):
        """What still keeps this participant out of Zoom when access validation is on (empty: granted)."""
        self.ensure_one()
        if not self._zoom_access_validation_required():
            return []
        return self._zoom_access_requirements()

    def _zoom_set_state(self, state, reason=False):
        if self.zoom_sync_state != state or (self.zoom_sync_error or False) != reason:
            self.write({"zoom_sync_state": state, "zoom_sync_error": reason})

    def _zoom_after_status(self, action, state, reason):
        """Zoom accepted a status update for this registrant; `state` is what the plan decided."""
        if action == "approve":
            self.write(
                {"zoom_registrant_approved": True, "zoom_sync_state": "synced", "zoom_sync_error": False}
            )
        elif state == "to_sync":  # the email changed: the old registrant is cancelled, a new one follows
            self.write(
                {"zoom_registrant_id": False, "zoom_join_url": False, "zoom_registrant_approved": False}
            )
        else:
            self.write(
                {"zoom_registrant_approved": False, "zoom_sync_state": state, "zoom_sync_error": reason}
            )

    # Attendance ------------------------------------------------------------------------------------

    @api.depends(
        "zoom_attendance_ids.join_time",
        "zoom_attendance_ids.leave_time",
        "zoom_attendance_ids.meeting_id.actual_start",
        "zoom_attendance_ids.meeting_id.actual_end",
        "zoom_attendance_ids.meeting_id.zoom_runs",
    )
    def _compute_zoom_attended_minutes(self):
        """`zoom_attendance_ids` is each model's own (its inverse field differs)."""
        for participant in self:
            meetings = participant.zoom_attendance_ids.meeting_id
            seconds = sum(participant._zoom_attended_seconds(meeting) for meeting in meetings)
            participant.zoom_attended_minutes = seconds / 60

    def _zoom_attended_seconds(self, meeting):
        """Stays merged (overlaps and rejoins), within the meeting's actual run. Models hold
        `zoom_attendance_ids`, the Zoom attendance segments matched to them."""
        self.ensure_one()
        segments = self.zoom_attendance_ids.filtered(lambda segment: segment.meeting_id == meeting)
        if meeting.last_occurrence_end:  # a training over several days: each day within its own run
            return sum(meeting._zoom_seconds_by_run(segments).values())
        stays = [(segment.join_time, segment.leave_time) for segment in segments]
        return attended_seconds(stays, meeting.actual_start, meeting.actual_end)

    # Join ------------------------------------------------------------------------------------------

    def _zoom_join_window(self):
        """When the Join button opens and closes (naive UTC datetimes), or (None, None) without a session."""
        self.ensure_one()
        start, end = self._zoom_participant_session()
        if not start:
            return None, None
        return start - timedelta(minutes=JOIN_OPENS_MINUTES), end or start

    def _zoom_personal_link(self):
        """The personal link Zoom gave, only while it is valid."""
        self.ensure_one()
        if self.zoom_sync_state == "synced" and self._zoom_is_active_registrant():
            return self.sudo().zoom_join_url or False
        return False

    def _zoom_join_requirements(self):
        """What the Join page lists instead of opening the session (empty: nothing missing)."""
        self.ensure_one()
        missing = self._zoom_missing_requirements()
        if missing or self._zoom_participant_wanted():
            return missing
        return self._zoom_access_requirements() or [_("You are not registered for this session.")]

    def _zoom_join_answer(self, now=None):
        """What a Join click gets: {"state": open|requirements|cancelled|too_early|over|preparing|no_meeting,
        "url", "missing", "opens", "reason"}. Registers just in time when the personal link is missing."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        meeting = self._zoom_participant_meeting()
        if not meeting:
            return {"state": "no_meeting"}
        if self._zoom_participant_cancelled():
            return {"state": "cancelled"}
        if self.zoom_forgotten:
            return {"state": "requirements", "missing": [self.zoom_sync_error]}
        missing = self._zoom_join_requirements()
        if missing:
            return {"state": "requirements", "missing": missing}
        opens, closes = self._zoom_join_window()
        if opens and now < opens:
            return {"state": "too_early", "opens": opens}
        if closes and now > closes:
            return {"state": "over"}
        link = self._zoom_personal_link()
        if not link and meeting.zoom_id and self.zoom_sync_state not in ("flagged", "quota"):
            link = meeting._zoom_register_now(self)
        if link:
            return {"state": "open", "url": link}
        return {
            "state": "preparing",
            "reason": self.zoom_sync_state in ("flagged", "quota") and self.zoom_sync_error,
        }

    def _zoom_can_join_as(self, user):
        """A personal link is its participant's alone: organisers and administrators send the Join mail."""
        self.ensure_one()
        return bool(user.partner_id) and self._zoom_participant_partner() == user.partner_id

    def action_zoom_send_join_mail(self):
        """Organisers send a participant their Join link again; they never open it themselves."""
        self.check_access("write")
        self.sudo()._zoom_send_join_mail()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": _("The Join link was sent to %s.", ", ".join(self.mapped("display_name")))},
        }

    def _zoom_send_join_mail(self):
        """Each model's own mail carrying `zoom_personal_join_url`."""

    def action_zoom_sync_registrant(self):
        self.check_access("write")
        self.sudo().write({"zoom_sync_state": "to_sync", "zoom_quota_until": False})
        self._zoom_schedule_registrant_sync(eta=None)
        return True

    # Hooks -----------------------------------------------------------------------------------------

    # Both registrations and calendar attendees have `event_id`, `email` and `partner_id`.
    @api.model
    def _zoom_participant_domain(self, meeting):
        return [("event_id.zoom_meeting_id", "in", meeting.ids)]

    def _zoom_participant_meeting(self):
        return self.event_id.zoom_meeting_id.filtered("active")

    def _zoom_participant_email(self):
        return self.email or self.partner_id.email

    def _zoom_participant_name(self):
        return self.display_name

    def _zoom_participant_partner(self):
        return self.partner_id

    def _zoom_participant_session(self):
        return None, None

    def _zoom_participant_group(self):
        """Records sharing an email within one group are duplicates."""
        return self.event_id

    def _zoom_participant_wanted(self):
        return True

    def _zoom_participant_cancelled(self):
        return False

    def _zoom_access_validation_required(self):
        return False

    def _zoom_access_requirements(self):
        """Missing access conditions as sentences for the participant (empty list: access granted).
        Other addons extend it: prerequisites, payment..."""
        return []
