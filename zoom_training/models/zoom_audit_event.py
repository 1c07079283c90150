from datetime import timedelta

from odoo import api, fields, models

from ..utils.audit import describe_failure, is_expected_outcome

API_FAILURE_RETENTION_DAYS = 90


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
            ("api_failure", "Zoom API call failed"),
        ],
        required=True,
        index=True,
    )
    description = fields.Char(required=True)
    operation = fields.Char(help="The API call, with ids and without personal data.")
    http_status = fields.Integer("HTTP status")
    zoom_code = fields.Integer("Zoom code")
    zoom_message = fields.Char("Zoom's message")
    res_model = fields.Char("Record model")
    res_id = fields.Many2oneReference("Record ID", model_field="res_model")
    record_ref = fields.Reference(
        selection="_selection_record_ref", string="Record", compute="_compute_record_ref"
    )

    @api.autovacuum
    def _gc_api_failures(self):
        """Failed calls are kept for a quarter: enough to see a pattern, bounded under an outage."""
        limit = fields.Datetime.now() - timedelta(days=API_FAILURE_RETENTION_DAYS)
        self.sudo().search([("event_type", "=", "api_failure"), ("create_date", "<", limit)]).unlink()

    @api.model
    def _selection_record_ref(self):
        return [(model.model, model.name) for model in self.env["ir.model"].sudo().search([])]

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        for event in self:
            known = event.res_model in self.env and event.res_id
            event.record_ref = f"{event.res_model},{event.res_id}" if known else False

    def _record(self, company, event_type, description):
        values = {"company_id": company.id, "event_type": event_type, "description": description}
        return self.sudo().create(values)


def insert_audit_event(cr, company_id, uid, event_type, description, details=None):
    """For code that runs on a cursor of its own, without an ORM environment (see ZoomTokenStore).

    A user (or company) that the calling transaction created and has not committed yet is not visible
    here: the event is then recorded without it rather than lost.
    """
    values = dict.fromkeys(DETAIL_COLUMNS)
    values.update(details or {})
    values.update(company_id=company_id, uid=uid, event_type=event_type, description=description)
    cr.execute(
        """INSERT INTO zoom_audit_event (company_id, user_id, event_type, description,
                                         operation, http_status, zoom_code, zoom_message, res_model, res_id,
                                         create_uid, write_uid, create_date, write_date)
           SELECT company.id, (SELECT id FROM res_users WHERE id = %(uid)s), %(event_type)s, %(description)s,
                  %(operation)s, %(http_status)s, %(zoom_code)s, %(zoom_message)s, %(res_model)s, %(res_id)s,
                  1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
             FROM res_company company WHERE company.id = %(company_id)s""",
        values,
    )


DETAIL_COLUMNS = ("operation", "http_status", "zoom_code", "zoom_message", "res_model", "res_id")


def api_failure_recorder(registry, company_id, uid, record):
    """A ZoomClient `on_failure` hook: each failed call of a sync in the audit trail, on a cursor of its
    own, so that the job rolling back does not take the trace with it."""
    res_model, res_id = record._name, record.id

    def record_failure(method, path, error):
        if is_expected_outcome(method, error):
            return
        details = describe_failure(method, path, error)
        description = details.pop("description")
        with registry.cursor() as cr:
            insert_audit_event(
                cr,
                company_id,
                uid,
                "api_failure",
                description,
                {**details, "res_model": res_model, "res_id": res_id},
            )

    return record_failure
