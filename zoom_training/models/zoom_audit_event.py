from odoo import fields, models


class ZoomAuditEvent(models.Model):
    """Who did what to the Zoom connection, and when. Never holds a secret or a token."""

    _name = "zoom.audit.event"
    _description = "Zoom connection audit trail"
    _order = "create_date desc, id desc"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user, ondelete="set null"
    )
    event_type = fields.Selection(
        [
            ("credentials_changed", "Credentials changed"),
            ("token_fetched", "Token fetched"),
            ("token_failed", "Token request failed"),
            ("connection_tested", "Connection tested"),
        ],
        required=True,
    )
    description = fields.Char(required=True)

    def _record(self, company, event_type, description):
        values = {"company_id": company.id, "event_type": event_type, "description": description}
        return self.sudo().create(values)


def insert_audit_event(cr, company_id, uid, event_type, description):
    """For code that runs on a cursor of its own, without an ORM environment (see ZoomTokenStore).

    A user (or company) that the calling transaction created and has not committed yet is not visible
    here: the event is then recorded without it rather than lost.
    """
    cr.execute(
        """INSERT INTO zoom_audit_event (company_id, user_id, event_type, description,
                                         create_uid, write_uid, create_date, write_date)
           SELECT company.id, (SELECT id FROM res_users WHERE id = %(uid)s), %(event_type)s, %(description)s,
                  1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
             FROM res_company company WHERE company.id = %(company_id)s""",
        {"company_id": company_id, "uid": uid, "event_type": event_type, "description": description},
    )
