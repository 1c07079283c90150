from datetime import timedelta

from odoo import api, fields, models

KEEP_USED_STATES = timedelta(days=1)  # far longer than a state lives


class ZoomOAuthState(models.Model):
    """The `jti` of every OAuth state a callback accepted: a state serves once."""

    _name = "zoom.oauth.state"
    _description = "Used Zoom OAuth state"

    jti = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, ondelete="cascade")

    _sql_constraints = [("jti_unique", "unique(jti)", "A state serves once.")]

    @api.model
    def _consume(self, jti, user):
        """True the first time `jti` is seen, False for a replay (also when two requests race)."""
        self.sudo().search([("create_date", "<", fields.Datetime.now() - KEEP_USED_STATES)]).unlink()
        self.env.cr.execute(
            """INSERT INTO zoom_oauth_state (jti, user_id, create_uid, write_uid, create_date, write_date)
               VALUES (%s, %s, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC')
               ON CONFLICT (jti) DO NOTHING RETURNING id""",
            [jti, user.id, self.env.uid, self.env.uid],
        )
        return bool(self.env.cr.fetchone())
