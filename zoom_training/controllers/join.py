from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..utils.trainee_time import format_in_zone, valid_zone

JOIN_MODELS = {"registration": "event.registration", "attendee": "calendar.attendee"}


class ZoomJoin(http.Controller):
    @http.route(
        "/zoom/join/<string:kind>/<int:record_id>", type="http", auth="user", methods=["GET"], website=True
    )
    def zoom_join(self, kind, record_id, **kwargs):
        """The participant's own Join button: their personal Zoom link, registered just in time if needed.

        The registration is made here, in the click's request, when it is missing: the person waits for
        one Zoom call (bounded by the client's timeouts) instead of a job. Zoom answers a repeated add of
        the same email with the same registrant, so a request that rolls back loses nothing.
        """
        return self._zoom_join_response(self._zoom_participant(kind, record_id), kwargs.get("via"))

    @staticmethod
    def _zoom_join_response(participant, via=None):
        """The personal Zoom link when the session is open, else the Join page saying why not (participant:
        sudo, its caller's right to it checked)."""
        answer = participant._zoom_join_answer()
        if answer["state"] == "open":
            url = participant._zoom_browser_link(answer["url"]) if via == "browser" else answer["url"]
            return request.redirect(url, local=False)
        values = dict(answer, participant=participant, session=participant._zoom_participant_meeting())
        if answer["state"] == "too_early":
            values.update(
                opens_times=participant._zoom_session_times(answer["opens"]),
                opens_in=int((answer["opens"] - fields.Datetime.now()).total_seconds()) + 1,
            )
        return request.render("zoom_training.zoom_join_page", values)

    @http.route(
        "/zoom/join/<string:kind>/<int:record_id>/calendar.ics", type="http", auth="user", methods=["GET"]
    )
    def zoom_join_calendar(self, kind, record_id, **kwargs):
        """The participant's own calendar entry (the Add to calendar link of their mails): their Join page."""
        participant = self._zoom_participant(kind, record_id)
        if not participant.event_id.zoom_meeting_id or not participant._zoom_participant_session()[0]:
            raise NotFound()
        return request.make_response(
            participant._zoom_ics(),
            headers=[
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", 'attachment; filename="invitation.ics"'),
                ("Cache-Control", "no-store"),
            ],
        )

    @http.route("/zoom/join/event/<int:event_id>", type="http", auth="user", methods=["GET"], website=True)
    def zoom_join_calendar_event(self, event_id, **kwargs):
        """The calendar event's video call link: hosts go to the meeting, each attendee to their own Join."""
        event = request.env["calendar.event"].sudo().browse(event_id).exists()
        meeting = event.zoom_meeting_id
        if not meeting:
            raise NotFound()
        user = request.env.user
        if meeting._zoom_is_host(user) and meeting.join_url:
            return request.redirect(meeting.join_url, local=False)
        attendee = event.attendee_ids.filtered(lambda a: a.partner_id == user.partner_id)[:1]
        if not attendee:
            raise NotFound()
        return request.redirect(attendee._zoom_join_path())

    @staticmethod
    def _zoom_participant(kind, record_id):
        model = JOIN_MODELS.get(kind)
        if not model:
            raise NotFound()
        participant = request.env[model].sudo().browse(record_id).exists()
        if not participant or not participant._zoom_can_join_as(request.env.user):
            raise NotFound()
        return participant


class ZoomTrainingPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "zoom_training_count" in counters:
            values["zoom_training_count"] = len(self._zoom_my_participations())
        return values

    @staticmethod
    def _zoom_my_participations():
        """The user's upcoming and running sessions held on Zoom: registrations, then calendar invitations."""
        partner = request.env.user.partner_id
        registrations = (
            request.env["event.registration"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("state", "!=", "cancel"),
                    ("event_id.zoom_meeting_id", "!=", False),
                    ("event_id.date_end", ">=", fields.Datetime.now()),
                ],
                order="id",
            )
        )
        attendees = (
            request.env["calendar.attendee"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("state", "!=", "declined"),
                    ("event_id.zoom_meeting_id", "!=", False),
                    ("event_id.stop", ">=", fields.Datetime.now()),
                ],
                order="id",
            )
        )
        return list(registrations) + list(attendees)

    @staticmethod
    def _zoom_my_recordings():
        """The recordings the user may read (record rules: the runs they attended, when the company shares
        them), newest first, each with the minutes they attended."""
        partner = request.env.user.partner_id
        zone = valid_zone(partner.tz, request.cookies.get("tz"))
        lang = request.env.lang or "en_US"
        recordings = request.env["zoom.recording"].search(
            [("zoom_state", "!=", "gone"), ("zoom_attended_partner_ids", "in", [partner.id])], limit=50
        )
        return [
            (
                recording,
                recording._zoom_attended_minutes(partner),
                format_in_zone(recording.start_time, zone, lang),
            )
            for recording in recordings
            if recording.start_time
        ]

    @http.route("/my/trainings", type="http", auth="user", website=True)
    def zoom_my_trainings(self, **kwargs):
        values = self._prepare_portal_layout_values()
        values.update(
            participations=self._zoom_my_participations(),
            recordings=self._zoom_my_recordings(),
            page_name="zoom_trainings",
        )
        return request.render("zoom_training.portal_my_trainings", values)

    @http.route("/my/trainings/recording/<int:file_id>", type="http", auth="user", methods=["GET"])
    def zoom_my_recording(self, file_id, **kwargs):
        """A recording file, for whom the record rules let read it: Odoo's copy, else Zoom's player."""
        recording_file = request.env["zoom.recording.file"].browse(file_id).exists()
        try:
            recording_file.check_access("read")
            attachment, play_url = recording_file.attachment_id, recording_file.play_url
        except AccessError:
            raise NotFound() from None
        if not recording_file:
            raise NotFound()
        if attachment:
            stream = request.env["ir.binary"]._get_stream_from(attachment.sudo())
            return stream.get_response(as_attachment=False)
        if not play_url:
            raise NotFound()
        return request.redirect(play_url, local=False)
