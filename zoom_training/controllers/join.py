from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

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
        return self._zoom_join_response(self._zoom_participant(kind, record_id))

    @staticmethod
    def _zoom_join_response(participant):
        """The personal Zoom link when the session is open, else the Join page saying why not (participant:
        sudo, its caller's right to it checked)."""
        answer = participant._zoom_join_answer()
        if answer["state"] == "open":
            return request.redirect(answer["url"], local=False)
        values = dict(answer, participant=participant, session=participant._zoom_participant_meeting())
        return request.render("zoom_training.zoom_join_page", values)

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

    @http.route("/my/trainings", type="http", auth="user", website=True)
    def zoom_my_trainings(self, **kwargs):
        values = self._prepare_portal_layout_values()
        values.update(participations=self._zoom_my_participations(), page_name="zoom_trainings")
        return request.render("zoom_training.portal_my_trainings", values)
