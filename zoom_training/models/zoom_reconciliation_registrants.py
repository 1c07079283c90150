import logging

from odoo import _, models

from odoo.addons.queue_job.exception import RetryableJobError

from ..utils.errors import ZoomError
from .zoom_meeting_registrants import RegistrantPlan
from .zoom_plain import zoom_plain

_logger = logging.getLogger(__name__)


class ZoomReconciliation(models.Model):
    """Registrants: Zoom holds exactly the people Odoo registered, read one page of 300 at a time."""

    _inherit = "zoom.reconciliation"

    def _reconcile_unit(self, meeting, listings):
        result = super()._reconcile_unit(meeting, listings)
        if meeting.zoom_id and meeting.sync_state != "deleted" and meeting._zoom_accepts_registrants():
            self._reconcile_registrants(meeting)
        return result

    def _reconcile_registrants(self, meeting):
        if meeting._zoom_registrant_job_live():
            # a sync under way: Zoom holds people it has added and Odoo not recorded yet, they are no strays
            _logger.info("Registrants of Zoom meeting %s left to the sync under way", meeting.id)
            return None
        try:
            meeting._zoom_sync_registrants()  # Odoo's own pending work first: it is not drift
            held = meeting._zoom_held_registrants()
        except (ZoomError, RetryableJobError) as error:
            return self._note(meeting, "failed", _("Registrants not checked: %s", self._plain(error)))
        participants = meeting._zoom_participant_records()
        registered = [p for p in participants if p._zoom_is_active_registrant()]
        wanted = {p.zoom_registrant_email for p in registered}
        known = {p.zoom_registrant_email or p._zoom_email() for p in participants}
        strays = {email: row for email, row in held.items() if email not in wanted}
        unknown = {email: row for email, row in strays.items() if email not in known}
        self._restore_registrants(meeting, [p for p in registered if p.zoom_registrant_email not in held])
        if unknown and meeting.company_id.zoom_unknown_registrants == "keep":
            self._note(
                meeting, "kept", _("Added in Zoom, unknown to Odoo, kept: %s", ", ".join(sorted(unknown)))
            )
            strays = {email: row for email, row in strays.items() if email not in unknown}
        self._cancel_strays(meeting, strays)

    def _restore_registrants(self, meeting, missing):
        """Registered in Odoo, absent from Zoom's approved registrants: approved again when Zoom cancelled or
        denied them, registered anew when it deleted them. Zoom answers an add for an email it knows with
        that registrant, so doing both never registers anyone twice."""
        if not missing:
            return
        emails = ", ".join(sorted(p.zoom_registrant_email for p in missing))
        try:
            meeting._zoom_send_status(RegistrantPlan(), [(p, "synced", False) for p in missing], "approve")
            for participant in missing:
                participant.write(
                    {
                        "zoom_registrant_id": False,
                        "zoom_registrant_approved": False,
                        "zoom_sync_state": "to_sync",
                    }
                )
            meeting._zoom_sync_registrants()
        except (ZoomError, RetryableJobError) as error:
            return self._note(
                meeting,
                "failed",
                _(
                    "Missing in Zoom: %(emails)s; registering again failed: %(error)s",
                    emails=emails,
                    error=self._plain(error),
                ),
            )
        back = [p for p in missing if p._zoom_is_active_registrant()]
        if len(back) < len(missing):
            waiting = ", ".join(
                sorted(p.zoom_registrant_email or p._zoom_email() for p in missing if p not in back)
            )
            self._note(meeting, "failed", _("Missing in Zoom, not registered again yet: %s", waiting))
        if back:
            self._note(meeting, "repaired", _("Missing in Zoom, registered again: %s", emails))

    def _cancel_strays(self, meeting, strays):
        """Zoom registrants Odoo does not register (cancelled in Odoo, or unknown to it) are cancelled."""
        if not strays:
            return
        emails = ", ".join(sorted(strays))
        refs = [(row.get("id"), email) for email, row in strays.items()]
        try:
            done = meeting._zoom_cancel_registrant_refs(refs)
        except (ZoomError, RetryableJobError) as error:
            done, reason = False, self._plain(error)
        else:
            reason = _("the session no longer accepts changes")
        if done:
            return self._note(
                meeting, "repaired", _("Registered in Zoom but not in Odoo, cancelled: %s", emails)
            )
        return self._note(
            meeting,
            "failed",
            _(
                "Registered in Zoom but not in Odoo: %(emails)s; cancelling failed: %(error)s",
                emails=emails,
                error=reason,
            ),
        )

    def _plain(self, error):
        plain = getattr(error, "plain", None)
        return zoom_plain(self.env, plain) if plain else str(error)
