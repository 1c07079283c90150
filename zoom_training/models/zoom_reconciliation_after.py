import json
import logging
from datetime import timedelta

from odoo import _, fields, models

from odoo.addons.queue_job.exception import RetryableJobError

from ..utils.errors import ZoomError, ZoomNotFound
from .zoom_meeting_webhook import parse_zoom_time
from .zoom_plain import zoom_plain

_logger = logging.getLogger(__name__)

REPORT_DELAY = timedelta(hours=1)  # Zoom's participant figures settle after the meeting ends


class ZoomReconciliation(models.Model):
    """After a meeting: Zoom's participant list fills the attendance webhooks missed, and a cloud recording
    no webhook announced is fetched. Once per run: a run already read costs no call."""

    _name = "zoom.reconciliation"
    _inherit = "zoom.reconciliation"

    def _reconcile_unit(self, meeting, listings):
        result = super()._reconcile_unit(meeting, listings)
        if self._ready_for_after_check(meeting):
            self._reconcile_after(meeting)
        return result

    def _ready_for_after_check(self, meeting):
        if not meeting.zoom_id or meeting.sync_state == "deleted" or meeting.zoom_status == "started":
            return False
        if meeting.zoom_run_checked_uuid and not meeting._zoom_is_series():
            return False
        end = meeting.actual_end or (
            meeting.start and meeting.start + timedelta(minutes=meeting.duration or 0)
        )
        return bool(end) and end + REPORT_DELAY <= fields.Datetime.now()

    def _reconcile_after(self, meeting):
        client = meeting._client()
        try:
            run = self._ended_run(meeting, client)
            if not run["uuid"] or run["uuid"] == meeting.zoom_run_checked_uuid:
                return
            rows = list(
                client.paginate(f"/past_{meeting.kind}s/{meeting.zoom_id}/participants", "participants")
            )
        except ZoomNotFound:
            return  # the session has not taken place (yet)
        except ZoomError as error:
            return self._note(
                meeting, "failed", _("Attendance not checked: %s", zoom_plain(self.env, error.plain))
            )
        self._fill_attendance(meeting, run, rows)
        if meeting.zoom_status == "ended" and not self._fetch_missing_recording(meeting, client, run["uuid"]):
            return
        meeting.zoom_run_checked_uuid = run["uuid"]

    def _ended_run(self, meeting, client):
        """{uuid, start, end} of the session's latest ended run: Zoom's past-meeting details for meetings;
        for webinars, which have no such call here, the run webhooks reported or the participants' span."""
        if meeting.kind == "meeting":
            details = client.get(f"/past_meetings/{meeting.zoom_id}")
            return {
                "uuid": details.get("uuid"),
                "start": parse_zoom_time(details.get("start_time")),
                "end": parse_zoom_time(details.get("end_time")),
            }
        known = meeting.zoom_attendance_ids[-1:].instance_uuid or meeting.zoom_uuid
        return {"uuid": known, "start": meeting.actual_start, "end": meeting.actual_end}

    def _fill_attendance(self, meeting, run, rows):
        if meeting.zoom_status != "ended" or not meeting.actual_end:
            joins = [parse_zoom_time(row.get("join_time")) for row in rows]
            leaves = [parse_zoom_time(row.get("leave_time")) for row in rows]
            start = run["start"] or min(filter(None, joins), default=None)
            end = run["end"] or max(filter(None, leaves), default=None)
            if start and end:
                meeting.write({"zoom_status": "ended", "actual_start": start, "actual_end": end})
        meeting._zoom_record_run(run["uuid"], run["start"], run["end"])
        Attendance = self.env["zoom.attendance"]
        filled = Attendance.browse()
        for row in rows:
            filled |= Attendance._record_reported_stay(meeting, run["uuid"], row)
        meeting._zoom_mark_attendance()
        if filled:
            people = sorted(
                set(filled.mapped(lambda segment: segment.participant_name or segment.email or "?"))
            )
            self._note(
                meeting,
                "repaired",
                _("Attendance webhooks missed, filled from Zoom's participant list: %s", ", ".join(people)),
            )

    def _fetch_missing_recording(self, meeting, client, run_uuid):
        """True when done (fetched, not needed, or none in Zoom); False to try again on the next run."""
        if meeting.zoom_recording_ids.filtered(lambda recording: recording.zoom_uuid == run_uuid):
            return True
        if _settings(meeting).get("auto_recording") != "cloud":
            return True
        store = meeting.company_id.zoom_recording_handling == "store"
        params = {"include_fields": "download_access_token"} if store else None
        try:
            answer = client.get(f"/meetings/{client.encode_uuid(run_uuid)}/recordings", params=params)
            self.env["zoom.recording"]._store_from_webhook(
                meeting, answer, answer.get("download_access_token")
            )
        except ZoomNotFound:
            return True
        except (ZoomError, RetryableJobError) as error:
            reason = zoom_plain(self.env, getattr(error, "plain", None) or str(error))
            self._note(meeting, "failed", _("Recording not fetched: %s", reason))
            return False
        self._note(meeting, "repaired", _("Recording no webhook announced, fetched from Zoom."))
        return True


def _settings(meeting):
    return json.loads(meeting.last_payload or "{}").get("settings") or {}
