import json
from datetime import datetime, timedelta, timezone

from odoo import _, api, fields, models

from ..utils.attendance import reaches_threshold

IDENTITY_KEYS = ("id", "uuid")


class ZoomMeeting(models.Model):
    """What Zoom's webhooks tell about a meeting: live status, drift from Odoo, attendance."""

    _name = "zoom.meeting"
    _inherit = ["zoom.meeting", "mail.activity.mixin"]

    zoom_drift = fields.Boolean(
        "Changed in Zoom",
        copy=False,
        help="Someone changed this meeting or its registrants directly in Zoom.",
    )
    zoom_drift_note = fields.Text("Changes made in Zoom", copy=False)
    zoom_attendance_ids = fields.One2many("zoom.attendance", "meeting_id", string="Attendance")
    zoom_recording_ids = fields.One2many("zoom.recording", "meeting_id", string="Recordings")
    zoom_run_checked_uuid = fields.Char(
        "Run checked after the meeting",
        copy=False,
        readonly=True,
        help="The Zoom run whose participants and recording the reconciliation has read.",
    )

    # Status -----------------------------------------------------------------------------------------

    def _zoom_apply_started(self, zoom_object):
        """A late `started` of a run that has already ended never rolls the status back."""
        self.ensure_one()
        start = parse_zoom_time(zoom_object.get("start_time")) or fields.Datetime.now()
        if self.zoom_status == "ended" and self.actual_end and start <= self.actual_end:
            if not self.actual_start:
                self.actual_start = start
            return
        self.write({"zoom_status": "started", "actual_start": start, "actual_end": False})

    def _zoom_apply_ended(self, zoom_object):
        self.ensure_one()
        start = parse_zoom_time(zoom_object.get("start_time")) or self.actual_start
        end = parse_zoom_time(zoom_object.get("end_time")) or fields.Datetime.now()
        if self.zoom_status == "started" and self.actual_start and end < self.actual_start:
            return  # the end of an earlier run, delivered after the next one started
        self.write({"zoom_status": "ended", "actual_start": start, "actual_end": end})
        self._zoom_record_run(zoom_object.get("uuid"), start, end)
        self._zoom_mark_attendance()

    # Attendance -------------------------------------------------------------------------------------

    def _zoom_mark_attendance(self, registrations=None):
        """Registrations reaching the Settings threshold become Attended; those Odoo marked and that no
        longer reach it (a late `left`) go back to Registered. Idempotent."""
        self.ensure_one()
        source = self._source()
        if self.zoom_status != "ended" or not source or source._name != "event.event":
            return
        registrations = (registrations or source.registration_ids).filtered(
            lambda registration: registration.state in ("open", "done")
        )
        threshold = self.company_id.zoom_attendance_threshold
        for registration in registrations:
            seconds = registration._zoom_attended_seconds(self)
            if reaches_threshold(seconds, self.actual_start, self.actual_end, threshold):
                if registration.state == "open":
                    registration.write({"state": "done", "zoom_marked_attended": True})
            elif registration.state == "done" and registration.zoom_marked_attended:
                registration.write({"state": "open", "zoom_marked_attended": False})

    # Drift: Odoo stays the truth; these are flagged for the reconciliation ---------------------------

    def _zoom_check_deleted_in_zoom(self, payload):
        self.ensure_one()
        if not self.active or self.sync_state == "deleted":
            return  # Odoo deleted it
        if payload.get("operation") == "single":
            return self._zoom_flag_drift(_("An occurrence was deleted in Zoom by %s.", _operator(payload)))
        return self._zoom_flag_drift(_("Deleted in Zoom by %s.", _operator(payload)))

    def _zoom_check_updated_in_zoom(self, zoom_object):
        """Compared with what Odoo last sent: the echo of Odoo's own update is not drift."""
        self.ensure_one()
        sent = json.loads(self.last_payload or "{}")
        changed = sorted(
            key
            for key, value in zoom_object.items()
            if key not in IDENTITY_KEYS and key in sent and not _same_value(key, sent[key], value)
        )
        if changed:
            self._zoom_flag_drift(_("Changed in Zoom: %s.", ", ".join(changed)))

    def _zoom_check_registrant_change(self, action, registrant):
        self.ensure_one()
        record = self.env["zoom.attendance"]._zoom_find_person(
            self, registrant.get("id"), registrant.get("email")
        )
        if not record:
            return
        active_in_odoo = record._zoom_is_registered()
        if (action in ("cancelled", "denied") and active_in_odoo) or (
            action == "approved" and not active_in_odoo
        ):
            self._zoom_flag_drift(
                _(
                    "Registrant %(who)s was %(action)s in Zoom.",
                    who=registrant.get("email") or record.display_name,
                    action=action,
                )
            )

    def _zoom_flag_drift(self, note):
        self.ensure_one()
        if note in (self.zoom_drift_note or ""):
            return
        stamp = fields.Datetime.to_string(fields.Datetime.now())
        self.write(
            {
                "zoom_drift": True,
                "zoom_drift_note": "\n".join(filter(None, [self.zoom_drift_note, f"{stamp} {note}"])),
            }
        )
        self.message_post(body=note, subtype_xmlid="mail.mt_note")

    def action_zoom_clear_drift(self):
        if not self.env.user.has_group("zoom_training.group_zoom_manager"):
            self._zoom_check_source_access("write")
        self.check_access("read")
        self.sudo().write({"zoom_drift": False, "zoom_drift_note": False})
        return True

    # Watchdog -----------------------------------------------------------------------------------------

    @api.model
    def _cron_zoom_webhook_watchdog(self):
        """Meetings in progress while Zoom's deliveries have stopped: administrators get an activity."""
        running = self.sudo().search([("zoom_status", "=", "started")])
        now = fields.Datetime.now()
        for company in running.company_id:
            limit = now - timedelta(minutes=company.zoom_webhook_silence_minutes or 15)
            last = company.zoom_last_webhook_at
            if last and last >= limit:
                continue
            silent = running.filtered(
                lambda meeting, c=company, since=limit: meeting.company_id == c
                and (meeting.actual_start or now) <= since
            )
            silent._zoom_warn_administrators(last)

    def _zoom_warn_administrators(self, last):
        for meeting in self:
            note = _(
                "%(name)s is in progress but Zoom's deliveries stopped (last one: %(last)s). Check the "
                "Event Subscriptions of your Zoom app and Settings → Zoom.",
                name=meeting.name,
                last=last or _("never"),
            )
            meeting._zoom_notify_administrators(_("No Zoom webhook received"), note)


def parse_zoom_time(value):
    """Zoom's `2026-12-15T13:00:00Z` as a naive UTC datetime (Odoo's convention)."""
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _operator(payload):
    return payload.get("operator") or _("someone")


def _same_value(key, sent, received):
    if key == "start_time":
        return parse_zoom_time(sent) == parse_zoom_time(received)
    if isinstance(sent, dict) and isinstance(received, dict):
        return all(
            sent.get(sub_key) == sub_value for sub_key, sub_value in received.items() if sub_key in sent
        )
    return sent == received
