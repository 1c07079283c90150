from odoo import fields, models

PARTICIPANT_MODELS = ("event.registration", "calendar.attendee")


class MailTemplate(models.Model):
    _inherit = "mail.template"

    zoom_attach_invitation = fields.Boolean(
        "Attach the Zoom calendar invitation",
        help="Mails to participants of a session held on Zoom carry their own .ics entry: their Join page "
        "as location, updated when the session moves, cancelled when it is.",
    )

    def _generate_template_attachments(self, res_ids, render_fields, render_results=None):
        render_results = super()._generate_template_attachments(res_ids, render_fields, render_results)
        if (
            self.zoom_attach_invitation
            and self.model in PARTICIPANT_MODELS
            and "report_template_ids" in render_fields
        ):
            invitations = self.env[self.model]._zoom_ics_attachments(res_ids)
            for res_id, files in invitations.items():
                render_results.setdefault(res_id, {}).setdefault("attachments", []).extend(files)
        return render_results
