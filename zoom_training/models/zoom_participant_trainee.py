import base64

from odoo import api, models
from odoo.http import request

from ..utils.ics import Invitation, build_ics, google_calendar_url, outlook_calendar_url
from ..utils.trainee_time import session_times, valid_zone, web_client_url


class ZoomParticipantTrainee(models.AbstractModel):
    """The trainee's side of a participant: their time zone, their calendar entry, their browser link."""

    _inherit = "zoom.participant.mixin"  # pylint: disable=consider-merging-classes-inherited

    # Time ------------------------------------------------------------------------------------------

    def _zoom_training_zone(self):
        self.ensure_one()
        return self.event_id._zoom_timezone()

    def _zoom_trainee_zone(self):
        """The participant's own zone: their partner's, else their browser's (Odoo's `tz` cookie, on a
        page they view themselves: never the browser of an organiser whose click sends them a mail), else
        the training's."""
        self.ensure_one()
        partner = self._zoom_participant_partner()
        own_request = request and partner and request.env.user.partner_id == partner
        browser = request.cookies.get("tz") if own_request else None
        return valid_zone(partner.tz, browser, self._zoom_training_zone())

    def _zoom_session_times(self, moment=None):
        """{"trainee": their time, zone named, "training": the training's time when it reads otherwise}."""
        self.ensure_one()
        moment = moment or self._zoom_participant_session()[0]
        lang = self._zoom_participant_partner().lang or self.env.lang or "en_US"
        return session_times(moment, self._zoom_trainee_zone(), self._zoom_training_zone(), locale=lang)

    # Calendar --------------------------------------------------------------------------------------

    def _zoom_ics_uid(self):
        self.ensure_one()
        database = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return f"{self._zoom_join_slug}-{self.id}.{database}@zoom_training"

    def _zoom_ics_cancelled(self):
        return self._zoom_participant_cancelled() or self.event_id._zoom_is_cancelled()

    def _zoom_invitation(self):
        """The participant's calendar entry: their Join page, the session's times (one entry for a series)."""
        self.ensure_one()
        start, end, rrule, occurrences = self._zoom_invitation_series()
        organizer = self.event_id.user_id.partner_id
        return Invitation(
            uid=self._zoom_ics_uid(),
            summary=self._zoom_participant_group().display_name,
            start=start,
            end=end or start,
            join_page=self.zoom_personal_join_url or "",
            sequence=self.event_id.zoom_ics_sequence,
            cancelled=bool(self._zoom_ics_cancelled()),
            organizer_email=organizer.email or "",
            organizer_name=organizer.name or "",
            attendee_email=self._zoom_participant_email() or "",
            attendee_name=self._zoom_participant_name() or "",
            rrule=rrule,
            occurrences=occurrences,
        )

    def _zoom_invitation_series(self):
        """(start, end, RRULE value, [(start, end)] of every session) of the participant's calendar entry:
        one session here; a series held as one Zoom meeting is one entry (see the participant models)."""
        start, end = self._zoom_participant_session()
        return start, end or start, "", []

    def _zoom_ics(self):
        return build_ics(self._zoom_invitation()).encode()

    def _zoom_ics_path(self):
        return f"{self._zoom_join_path()}/calendar.ics"

    def _zoom_calendar_links(self):
        """For mail templates: {"google", "outlook", "ics"} links carrying the personal Join page."""
        self.ensure_one()
        invitation = self._zoom_invitation()
        return {
            "google": google_calendar_url(invitation),
            "outlook": outlook_calendar_url(invitation),
            "ics": f"{self.get_base_url()}{self._zoom_ics_path()}",
        }

    @api.model
    def _zoom_ics_attachments(self, ids):
        """{id: [(file name, base64 .ics)]} for the participants held on Zoom."""
        result = {}
        for participant in self.sudo().browse(ids).exists():
            if participant.event_id.zoom_meeting_id and participant._zoom_participant_session()[0]:
                content = base64.b64encode(participant._zoom_ics())
                result[participant.id] = [("invitation.ics", content)]
        return result

    # Phone -----------------------------------------------------------------------------------------

    def _zoom_browser_link(self, link):
        """Zoom's web client for the personal link (no app needed), or the link itself."""
        return web_client_url(link) or link
