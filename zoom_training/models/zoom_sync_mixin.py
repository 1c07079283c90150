from copy import deepcopy
from datetime import timezone

from lxml import etree

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext

from ..utils.payloads import SessionSpec

ZOOM_CONFERENCE = [("none", "None"), ("meeting", "Zoom Meeting"), ("webinar", "Zoom Webinar")]


class ZoomSyncMixin(models.AbstractModel):
    """A record held on Zoom. Models implement the hooks `_zoom_synced_fields`, `_zoom_start_and_duration`,
    `_zoom_timezone`, `_zoom_host_user`, `_zoom_cohost_users`, `_zoom_is_cancelled`, `_zoom_meeting_ready`."""

    _name = "zoom.sync.mixin"
    _description = "Record held on Zoom"

    zoom_conference = fields.Selection(
        ZOOM_CONFERENCE, string="Video conference", default="none", required=True, copy=True
    )
    zoom_meeting_id = fields.Many2one("zoom.meeting", string="Zoom meeting", copy=False, readonly=True)
    zoom_join_url = fields.Char(
        related="zoom_meeting_id.host_join_url",
        string="Zoom join link",
        compute_sudo=False,
        help="The meeting's own link, shown to its hosts and co-hosts only.",
    )
    zoom_sync_state = fields.Selection(related="zoom_meeting_id.sync_state", string="Zoom status")
    zoom_sync_error = fields.Text(related="zoom_meeting_id.sync_error", string="Zoom error")
    zoom_quota_until = fields.Datetime(related="zoom_meeting_id.quota_until")
    # Staff only: they name instructors' Zoom emails and licences (website visitors read trainings).
    zoom_sync_warning = fields.Text(
        related="zoom_meeting_id.sync_warning", string="Zoom warning", groups="base.group_user"
    )
    zoom_capacity_warning = fields.Char(
        "Zoom capacity",
        compute="_compute_zoom_capacity_warning",
        compute_sudo=True,
        groups="base.group_user",
        help="Seats beyond what the host's Zoom licence admits.",
    )
    zoom_ics_sequence = fields.Integer(
        "Calendar revision",
        copy=False,
        readonly=True,
        help="Raised each time the session moves: the participants' calendar entries update (SEQUENCE).",
    )

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """The Zoom status block, written once (`zoom_sync_status_block`), at the start of each form's
        `<div name="zoom_sync_status">`."""
        arch, view = super()._get_view(view_id, view_type, **options)
        places = arch.xpath("//div[@name='zoom_sync_status']") if view_type == "form" else []
        if places:
            block = etree.fromstring(self.env.ref("zoom_training.zoom_sync_status_block").sudo().arch)
            for place in places:
                place[0:0] = deepcopy(list(block))
        return arch, view

    @api.depends(
        lambda self: ["zoom_meeting_id.host_capacity", "zoom_conference", *self._zoom_seats_fields()]
    )
    def _compute_zoom_capacity_warning(self):
        for record in self:
            meeting, seats = record.zoom_meeting_id, record._zoom_expected_seats()
            capacity, host = meeting.host_capacity, meeting.host_user_id.name or ""
            if not capacity or seats <= capacity or record.zoom_conference != meeting.kind:
                record.zoom_capacity_warning = False
            elif meeting.kind == "webinar":
                record.zoom_capacity_warning = _(
                    "%(seats)s seats, but %(host)s's Zoom Webinar licence admits %(capacity)s attendees: "
                    "Zoom refuses registrants beyond that. Lower the seats or raise the licence in Zoom.",
                    seats=seats,
                    host=host,
                    capacity=capacity,
                )
            else:
                record.zoom_capacity_warning = _(
                    "%(seats)s participants, but %(host)s's Zoom licence admits %(capacity)s per meeting: "
                    "Zoom refuses the others. Lower the seats, use a webinar, or add Large Meetings in Zoom.",
                    seats=seats,
                    host=host,
                    capacity=capacity,
                )

    @api.constrains("zoom_conference")
    def _check_zoom_webinars_enabled(self):
        for record in self:
            if record.zoom_conference == "webinar" and not record._zoom_company().zoom_webinars_enabled:
                raise ValidationError(_("Zoom webinars are off: enable them in Settings → Zoom first."))

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.filtered(lambda record: record.zoom_conference != "none")._zoom_schedule_sync()
        return records

    def write(self, vals):
        watched = set(self._zoom_synced_fields()) | {"zoom_conference", "active"}
        before = self._zoom_calendar_state() if watched & set(vals) else {}
        result = super().write(vals)
        if not self.env.context.get("zoom_no_sync") and watched & set(vals):
            self._zoom_schedule_sync()
        if before:
            self._zoom_after_calendar_change(before)
        return result

    def _zoom_calendar_state(self):
        """{id: (times..., cancelled)}: what the participants' calendar entries show."""
        return {
            record.id: (*record._zoom_calendar_times(), bool(record._zoom_is_cancelled())) for record in self
        }

    def _zoom_calendar_times(self):
        """What the participants' calendar entry is made of; never raises (a session that cannot be held
        in Zoom is the sync's error to report, not the save's)."""
        return self._zoom_start_and_duration()

    def _zoom_after_calendar_change(self, before):
        """A session that moved raises its calendar revision and tells its participants; one cancelled
        tells them too (their entry is removed)."""
        after = self._zoom_calendar_state()
        for record in self.filtered(lambda r: r.zoom_meeting_id and before.get(r.id) != after[r.id]):
            was_cancelled, cancelled = before[record.id][-1], after[record.id][-1]
            if not was_cancelled and not cancelled:
                record.sudo().with_context(zoom_no_sync=True).zoom_ics_sequence += 1
                record._zoom_tell_participants("moved")
            elif cancelled and not was_cancelled:
                record._zoom_tell_participants("cancelled")

    def _zoom_tell_participants(self, change):
        """Mails the participants their updated calendar entry ("moved" or "cancelled")."""

    def unlink(self):
        if not self.env.context.get("zoom_unlink_handled"):
            self.zoom_meeting_id.filtered("active")._enqueue_delete()
        return super().unlink()

    def _zoom_schedule_sync(self):
        """Queues what Zoom must do for these records; nothing is sent inside the user's transaction."""
        for record in self:
            meeting = record.zoom_meeting_id
            wanted = record.zoom_conference != "none" and not record._zoom_is_cancelled()
            if meeting.active and (not wanted or meeting.kind != record.zoom_conference):
                meeting._enqueue_delete()
                meeting = meeting.browse()
            if not wanted:
                continue
            if not meeting.active:
                meeting = record._zoom_create_meeting_record()
            if meeting.sync_state != "pending":
                # in the user's save: the chatter tracks what the job makes of it (Pending → Synced)
                meeting.sudo().with_context(tracking_disable=True).sync_state = "pending"
            meeting._enqueue_push()

    def _zoom_create_meeting_record(self):
        self.ensure_one()
        # Created inside the user's save: no chatter entry, follower or tracking for this technical record.
        meeting = (
            self.env["zoom.meeting"]
            .sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
                    "name": self.display_name,
                    "kind": self.zoom_conference,
                    "company_id": self._zoom_company().id,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        self.with_context(zoom_no_sync=True).zoom_meeting_id = meeting
        return meeting

    def _zoom_session_spec(self):
        """What the Zoom meeting should be, from this record and the company's defaults."""
        self.ensure_one()
        company = self._zoom_company()
        start, minutes = self._zoom_start_and_duration()
        host = self._zoom_host_user()
        cohosts = self._zoom_cohost_users() - host
        zone = self._zoom_timezone() or "UTC"
        self.zoom_meeting_id.write(
            {"name": self.display_name, "start": start, "duration": minutes, "timezone": zone}
        )
        return SessionSpec(
            kind=self.zoom_conference,
            topic=self.display_name,
            start=start.replace(tzinfo=timezone.utc),
            duration_minutes=minutes,
            timezone=zone,
            agenda=html2plaintext(self.description or "").strip(),
            approval=company.zoom_approval_type,
            zoom_emails=company.zoom_emails_enabled,
            waiting_room=company.zoom_waiting_room,
            join_before_host=company.zoom_join_before_host,
            mute_upon_entry=company.zoom_mute_upon_entry,
            host_video=company.zoom_host_video,
            participant_video=company.zoom_participant_video,
            auto_recording=company.zoom_auto_recording,
            alternative_hosts=tuple(sorted(filter(None, (user._zoom_verified_email() for user in cohosts)))),
        )

    def action_zoom_sync_now(self):
        self.check_access("write")
        self.zoom_meeting_id.sudo().action_sync_now()
        return True

    def action_zoom_open(self):
        return self.zoom_meeting_id.action_open_in_zoom()

    def action_zoom_start_as_host(self):
        return self.zoom_meeting_id.action_start_as_host()

    # Hooks -----------------------------------------------------------------------------------------

    def _zoom_synced_fields(self):
        return []

    def _zoom_company(self):
        return self.env.company

    def _zoom_seats_fields(self):
        """The fields `_zoom_expected_seats` reads (the capacity warning follows them in the form)."""
        return []

    def _zoom_expected_seats(self):
        """How many people this session is for, to compare with the host's licence."""
        return 0

    def _zoom_meeting_ready(self, meeting):
        """Called when Zoom has confirmed the meeting (its join link is known)."""

    def _zoom_after_push(self, meeting):
        """Called after each successful push (recurring meetings sync their occurrences here)."""
