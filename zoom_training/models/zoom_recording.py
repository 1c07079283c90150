import logging
import os
import tempfile
from datetime import timedelta

import requests

from odoo import _, api, fields, models
from odoo.osv import expression

from odoo.addons.queue_job.exception import RetryableJobError

from ..utils.attendance import attended_seconds
from ..utils.client import ZoomClient
from ..utils.downloads import DownloadRefused, open_download, stream_to_file, too_large
from ..utils.errors import ZoomError, ZoomNotFound
from ..utils.oauth import DEFAULT_API_URL
from .zoom_meeting_webhook import parse_zoom_time
from .zoom_plain import zoom_plain

_logger = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT = 120  # seconds; one number
MAX_DOWNLOAD_PARAM = "zoom_training.recording_max_bytes"
DEFAULT_MAX_DOWNLOAD_BYTES = 4 * 1024**3


class ZoomRecording(models.Model):
    """A cloud recording of one run of a meeting; seen by internal users and the session's attendees."""

    _name = "zoom.recording"
    _description = "Zoom cloud recording"
    _order = "start_time desc, id desc"
    _rec_name = "topic"

    meeting_id = fields.Many2one("zoom.meeting", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="meeting_id.company_id", store=True)
    event_id = fields.Many2one("event.event", string="Training", index="btree_not_null", readonly=True)
    calendar_event_id = fields.Many2one("calendar.event", index="btree_not_null", readonly=True)
    zoom_uuid = fields.Char("Meeting run", readonly=True)
    topic = fields.Char(readonly=True)
    start_time = fields.Datetime(readonly=True)
    duration = fields.Integer("Duration (minutes)", readonly=True)
    share_url = fields.Char("Watch in Zoom", readonly=True)
    play_passcode = fields.Char("Passcode", readonly=True)
    file_ids = fields.One2many("zoom.recording.file", "recording_id", string="Files", readonly=True)
    zoom_state = fields.Selection(
        [("in_zoom", "In Zoom"), ("trashed", "In Zoom's trash"), ("gone", "No longer in Zoom")],
        string="In Zoom",
        default="in_zoom",
        readonly=True,
    )
    zoom_trashed_at = fields.Datetime("Trashed in Zoom", readonly=True)
    zoom_attended_partner_ids = fields.Many2many(
        "res.partner",
        string="Attended by",
        compute="_compute_zoom_attended_partner_ids",
        search="_search_zoom_attended_partner_ids",
        compute_sudo=True,
        help="The participants matched to a stay in this run of the meeting.",
    )

    _sql_constraints = [("run_unique", "unique(meeting_id, zoom_uuid)", "One recording per meeting run.")]

    def _zoom_run_segments(self, partner=None):
        """This run's matched attendance segments (of one partner when given)."""
        self.ensure_one()
        domain = [("meeting_id", "=", self.meeting_id.id), ("instance_uuid", "=", self.zoom_uuid)]
        if partner is not None:
            domain.append(("partner_id", "=", partner.id))
        return self.env["zoom.attendance"].sudo().search([*domain, ("partner_id", "!=", False)])

    def _compute_zoom_attended_partner_ids(self):
        for recording in self:
            recording.zoom_attended_partner_ids = recording._zoom_run_segments().partner_id

    def _search_zoom_attended_partner_ids(self, operator, value):
        """The runs these partners stayed in (record rules: trainees see the recordings they attended)."""
        if operator not in ("in", "="):
            raise NotImplementedError(f"zoom_attended_partner_ids: operator {operator!r}")  # rules use "in"
        partner_ids = [value] if isinstance(value, int) else list(value or [])
        segments = (
            self.env["zoom.attendance"]
            .sudo()
            .search_read(
                [("partner_id", "in", partner_ids), ("instance_uuid", "!=", False)],
                ["meeting_id", "instance_uuid"],
            )
        )
        runs = {(segment["meeting_id"][0], segment["instance_uuid"]) for segment in segments}
        if not runs:
            return [("id", "in", [])]
        return expression.OR(
            [[("meeting_id", "=", meeting), ("zoom_uuid", "=", uuid)] for meeting, uuid in runs]
        )

    def _zoom_attended_minutes(self, partner):
        """Minutes this partner stayed in this run, overlaps and rejoins merged, within the run."""
        segments = self._zoom_run_segments(partner)
        stays = [(segment.join_time, segment.leave_time) for segment in segments]
        meeting = self.sudo().meeting_id  # the caller read the recording: its meeting's run times follow
        return attended_seconds(stays, meeting.actual_start, meeting.actual_end) / 60

    @api.model
    def _store_from_webhook(self, meeting, zoom_object, download_token):
        """Creates or completes the recording of this run; files are linked or copied per Settings."""
        uuid = zoom_object.get("uuid") or ""
        recording = self.search([("meeting_id", "=", meeting.id), ("zoom_uuid", "=", uuid)], limit=1)
        values = {
            "topic": zoom_object.get("topic"),
            "start_time": parse_zoom_time(zoom_object.get("start_time")),
            "duration": zoom_object.get("duration") or 0,
            "share_url": zoom_object.get("share_url"),
            "play_passcode": zoom_object.get("recording_play_passcode") or zoom_object.get("password"),
        }
        if recording:
            recording.write(values)
        else:
            source = self.env["zoom.attendance"]._source_values(meeting)
            recording = self.create({"meeting_id": meeting.id, "zoom_uuid": uuid, **values, **source})
        for zoom_file in zoom_object.get("recording_files") or []:
            recording._store_file(zoom_file, download_token)
        return recording

    # Lifecycle ---------------------------------------------------------------------------------------

    @api.model
    def _cron_recording_lifecycle(self):
        """Per company: recordings moved to Zoom's trash once stored in Odoo or after N days; Odoo's copies
        deleted after N days. A run that fails for one recording leaves it for the next run."""
        for company in self.env["res.company"].sudo().search([]):
            self.sudo()._zoom_due_for_trash(company)._zoom_trash_in_zoom()
            self.sudo()._zoom_expired_copies(company)._zoom_delete_copies()

    def _zoom_due_for_trash(self, company):
        mode = company.zoom_recording_zoom_cleanup
        if mode == "keep":
            return self.browse()
        in_zoom = self.search([("company_id", "=", company.id), ("zoom_state", "=", "in_zoom")])
        if mode == "after_store":
            return in_zoom.filtered(lambda recording: recording._zoom_stored_in_odoo())
        limit = fields.Datetime.now() - timedelta(days=max(company.zoom_recording_zoom_days, 0))
        return in_zoom.filtered(lambda recording: (recording.start_time or recording.create_date) <= limit)

    def _zoom_stored_in_odoo(self):
        self.ensure_one()
        return bool(self.file_ids) and all(self.file_ids.mapped("attachment_id"))

    def _zoom_trash_in_zoom(self):
        """DELETE …/recordings?action=trash: recoverable in Zoom for 30 days. Gone already (3301) counts."""
        for recording in self:
            path = f"/meetings/{ZoomClient.encode_uuid(recording.zoom_uuid)}/recordings"
            try:
                recording.meeting_id._client().delete(path, params={"action": "trash"})
            except ZoomNotFound:
                recording.zoom_state = "gone"
                continue
            except ZoomError as error:
                _logger.warning("Zoom recording %s not trashed yet: %s", recording.id, error)
                continue
            recording.write({"zoom_state": "trashed", "zoom_trashed_at": fields.Datetime.now()})

    def _zoom_expired_copies(self, company):
        if company.zoom_recording_odoo_days <= 0:
            return self.browse()
        limit = fields.Datetime.now() - timedelta(days=company.zoom_recording_odoo_days)
        return self.search(
            [
                ("company_id", "=", company.id),
                ("file_ids.attachment_id", "!=", False),
                ("start_time", "<=", limit),
            ]
        )

    def _zoom_delete_copies(self):
        """Odoo's stored files go; the links to Zoom stay (dead once Zoom deleted the recording)."""
        files = self.file_ids.filtered("attachment_id")
        attachments = files.attachment_id
        files.write({"attachment_id": False, "error": _("Deleted from Odoo after the retention period.")})
        attachments.unlink()

    def _store_file(self, zoom_file, download_token):
        self.ensure_one()
        files = self.env["zoom.recording.file"]
        record = files.search(
            [("recording_id", "=", self.id), ("zoom_file_id", "=", zoom_file.get("id"))], limit=1
        )
        values = {
            "file_type": zoom_file.get("file_type"),
            "file_extension": zoom_file.get("file_extension"),
            "recording_type": zoom_file.get("recording_type"),
            "file_size": zoom_file.get("file_size") or 0,
            "recording_start": parse_zoom_time(zoom_file.get("recording_start")),
            "recording_end": parse_zoom_time(zoom_file.get("recording_end")),
            "play_url": zoom_file.get("play_url"),
            "download_url": zoom_file.get("download_url"),
        }
        if record:
            record.write(values)
        else:
            record = files.create({"recording_id": self.id, "zoom_file_id": zoom_file.get("id"), **values})
        if self.company_id.zoom_recording_handling == "store" and not record.attachment_id:
            record._download(download_token)
        return record


class ZoomRecordingFile(models.Model):
    _name = "zoom.recording.file"
    _description = "Zoom recording file"
    _order = "recording_start, id"
    _rec_name = "recording_type"

    recording_id = fields.Many2one("zoom.recording", required=True, index=True, ondelete="cascade")
    zoom_file_id = fields.Char(readonly=True)
    file_type = fields.Char(readonly=True)
    file_extension = fields.Char(readonly=True)
    recording_type = fields.Char(readonly=True)
    file_size = fields.Integer("Size (bytes)", readonly=True)
    recording_start = fields.Datetime(readonly=True)
    recording_end = fields.Datetime(readonly=True)
    play_url = fields.Char("Play in Zoom", readonly=True)
    download_url = fields.Char(readonly=True, groups="base.group_system")
    attachment_id = fields.Many2one("ir.attachment", readonly=True, ondelete="set null")
    error = fields.Char(readonly=True)

    def _download(self, download_token):
        """Copies the file into an attachment, with the delivery's download token (valid 24 h): only from
        Zoom's own hosts, streamed to the filestore, under the size limit."""
        self.ensure_one()
        max_bytes = self._zoom_max_download_bytes()
        try:
            if self.file_size > max_bytes:
                raise too_large(max_bytes)
            answer = open_download(
                requests.get,
                self.sudo().download_url,
                self._zoom_api_url(),
                {"Authorization": f"Bearer {download_token}"},
                DOWNLOAD_TIMEOUT,
            )
            with answer:
                if answer.status_code >= 500:
                    status = answer.status_code
                    raise RetryableJobError(_("Zoom answered %s to a recording download.", status))
                if answer.status_code != 200:
                    self._zoom_download_failed(
                        _("Zoom refused the download (HTTP %s); the file stays linked.", answer.status_code)
                    )
                    return
                self.attachment_id = self._zoom_spool_to_attachment(answer, max_bytes)
        except requests.RequestException as error:
            raise RetryableJobError(_("Zoom recording download failed: %s", type(error).__name__)) from error
        except DownloadRefused as refused:
            self._zoom_download_failed(zoom_plain(self.env, refused.plain))
            return
        self.error = False

    def _zoom_download_failed(self, reason):
        self.error = reason
        _logger.warning("Zoom recording file %s not downloaded: %s", self.zoom_file_id, reason)

    def _zoom_api_url(self):
        account = self.env["zoom.account"].sudo()._for_company(self.recording_id.company_id)
        return account._api_url_override() or DEFAULT_API_URL

    def _zoom_max_download_bytes(self):
        param = self.env["ir.config_parameter"].sudo().get_param(MAX_DOWNLOAD_PARAM)
        return int(param) if (param or "").isdigit() else DEFAULT_MAX_DOWNLOAD_BYTES

    def _zoom_spool_to_attachment(self, answer, max_bytes):
        """The body goes to a file beside the filestore, then becomes the attachment's stored file: the
        recording is never held in memory (a database-stored attachment reads the capped file once)."""
        Attachment = self.env["ir.attachment"].sudo()
        spool_dir = Attachment._full_path("zoom_spool")
        os.makedirs(spool_dir, exist_ok=True)
        handle, spool_path = tempfile.mkstemp(dir=spool_dir)
        try:
            with os.fdopen(handle, "wb") as spool:
                size, checksum = stream_to_file(answer, spool, max_bytes)
            extension = (self.file_extension or "bin").lower()
            values = {
                "name": f"{self.recording_id.topic or 'recording'} - {self.recording_type}.{extension}",
                "res_model": self._name,
                "res_id": self.id,
            }
            if Attachment._storage() != "file":
                with open(spool_path, "rb") as spool:
                    return Attachment.create({**values, "raw": spool.read()})
            store_fname = f"{checksum[:2]}/{checksum}"
            full_path = Attachment._full_path(store_fname)
            os.makedirs(os.path.dirname(full_path), exist_ok=True)
            if not os.path.exists(full_path):
                os.replace(spool_path, full_path)
                Attachment._mark_for_gc(store_fname)
            # ir.attachment takes its file from bytes only (create and write drop store_fname): the empty
            # attachment is pointed at the file already in the filestore.
            attachment = Attachment.create({**values, "raw": b""})
            self.env.cr.execute(
                "UPDATE ir_attachment SET store_fname = %s, checksum = %s, file_size = %s, db_datas = NULL "
                "WHERE id = %s",
                [store_fname, checksum, size, attachment.id],
            )
            attachment.invalidate_recordset(
                ["store_fname", "checksum", "file_size", "db_datas", "raw", "datas"]
            )
            return attachment
        finally:
            if os.path.exists(spool_path):
                os.unlink(spool_path)

    def action_open(self):
        self.ensure_one()
        url = f"/web/content/{self.attachment_id.id}?download=true" if self.attachment_id else self.play_url
        return {"type": "ir.actions.act_url", "url": url, "target": "new"}
