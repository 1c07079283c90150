from odoo import _, api, fields, models
from odoo.exceptions import UserError

OAUTH_START_ROUTE = "/zoom/oauth/start"
DUE_REGISTRANT_STATES = ("to_sync", "quota", "held")


class ResUsers(models.Model):
    _inherit = "res.users"

    zoom_email = fields.Char(
        "Zoom email", help="The email of this user's Zoom account, when it differs from their Odoo email."
    )
    zoom_connected_as = fields.Char("Connected Zoom account", compute="_compute_zoom_connection")
    zoom_can_connect = fields.Boolean(compute="_compute_zoom_connection")

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "zoom_email"]

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "zoom_email", "zoom_connected_as", "zoom_can_connect"]

    @api.depends_context("uid")
    def _compute_zoom_connection(self):
        tokens, accounts = self.env["zoom.user.token"], self.env["zoom.account"].sudo()
        for user in self:
            user.zoom_connected_as = tokens._for_user(user).zoom_email or False
            account = accounts.search([("company_id", "=", user.company_id.id)], limit=1)
            user.zoom_can_connect = bool(account and account._user_app_credentials_configured())

    def _zoom_check_own_account(self):
        self.ensure_one()
        if self != self.env.user:
            raise UserError(_("Only %s can connect or disconnect their own Zoom account.", self.name))

    def action_zoom_connect(self):
        self._zoom_check_own_account()
        return {"type": "ir.actions.act_url", "url": OAUTH_START_ROUTE, "target": "self"}

    def action_zoom_disconnect(self):
        self._zoom_check_own_account()
        connection = self.env["zoom.user.token"]._for_user(self)
        if not connection:
            raise UserError(_("No Zoom account is connected."))
        revoked = connection._disconnect()
        message = (
            _("Your Zoom account is disconnected; Zoom revoked Odoo's access.")
            if revoked
            else _(
                "Your Zoom account is disconnected in Odoo, but Zoom could not confirm the revocation: "
                "remove the app under Zoom's App Marketplace → Manage → Added Apps."
            )
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Zoom"),
                "message": message,
                "type": "success" if revoked else "warning",
                "sticky": not revoked,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # Registrants -----------------------------------------------------------------------------------

    @api.model
    def _update_last_login(self):
        """At login, the user's upcoming registrations not yet in Zoom are synced (one job per session)."""
        result = super()._update_last_login()
        self.env.user._zoom_sync_upcoming_registrations()
        return result

    def _zoom_sync_upcoming_registrations(self):
        now = fields.Datetime.now()
        for user in self:
            registrations = (
                self.env["event.registration"]
                .sudo()
                .search(
                    [
                        ("partner_id", "=", user.partner_id.id),
                        ("zoom_sync_state", "in", DUE_REGISTRANT_STATES),
                        ("event_id.zoom_meeting_id", "!=", False),
                        ("event_id.date_end", ">=", now),
                    ]
                )
            )
            due = registrations.filtered(lambda r: not r.zoom_quota_until or r.zoom_quota_until <= now)
            due._zoom_schedule_registrant_sync(eta=None)
