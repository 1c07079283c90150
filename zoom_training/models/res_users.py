from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

OAUTH_CONNECT_ROUTE = "/zoom/oauth/connect"
DUE_REGISTRANT_STATES = ("to_sync", "quota", "held")


class ResUsers(models.Model):
    _inherit = "res.users"

    zoom_email = fields.Char(
        "Zoom email",
        groups="zoom_training.group_zoom_manager",
        help="Who this user is in Zoom, as a Zoom administrator states it (set from the Odoo email when the "
        "user is created). A Zoom account the user connects themselves takes precedence. Users cannot "
        "change it: it decides whose meetings they host and start.",
    )
    zoom_identity = fields.Char(
        "Zoom identity", compute="_compute_zoom_identity", help="Who this user is in Zoom, verified."
    )
    zoom_connected_as = fields.Char("Connected Zoom account", compute="_compute_zoom_connection")
    zoom_can_connect = fields.Boolean(compute="_compute_zoom_connection")

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "zoom_identity", "zoom_connected_as", "zoom_can_connect"]

    @api.model_create_multi
    def create(self, vals_list):
        """An internal user starts with their Odoo email as Zoom identity: stated by whoever creates the
        user (an administrator), never by the user later."""
        users = super().create(vals_list)
        users.filtered(lambda user: not user.share)._zoom_identity_from_email()
        return users

    def write(self, vals):
        """Zoom administrators set users' Zoom identities without the right to edit users otherwise."""
        if set(vals) == {"zoom_email"} and not self.env.su:
            self._zoom_check_identity_manager()
            result = super(ResUsers, self.sudo()).write(vals)
        else:
            result = super().write(vals)
        if "zoom_email" in vals:
            self._zoom_sessions_follow_identity()
        return result

    def _zoom_sessions_follow_identity(self):
        """Who a host is in Zoom changed: the sessions they host and that have not run move with them."""
        meetings = (
            self.env["zoom.meeting"]
            .sudo()
            .search(
                [
                    ("host_user_id", "in", self.ids),
                    ("zoom_id", "!=", False),
                    ("zoom_status", "=", "waiting"),
                    ("end", ">", fields.Datetime.now()),
                ]
            )
        )
        meetings.with_context(tracking_disable=True).write({"sync_state": "pending"})
        meetings._enqueue_push()

    def _zoom_check_identity_manager(self):
        if not self.env.user.has_group("zoom_training.group_zoom_manager"):
            raise AccessError(_("Only a Zoom administrator sets who users are in Zoom."))

    def _zoom_identity_from_email(self):
        """Users without a Zoom identity take their current Odoo email as one (creation, upgrade, or a
        Zoom administrator's explicit action)."""
        for user in self.sudo().filtered(lambda user: not user.zoom_email and user.email):
            user.zoom_email = user.email.strip().lower()

    def action_zoom_identity_from_email(self):
        """Zoom administrators: users without a Zoom identity get their Odoo email as one."""
        self._zoom_check_identity_manager()
        self._zoom_identity_from_email()
        return True

    def _zoom_verified_email(self):
        """Who this user is in Zoom: the account they connected (proven by Zoom), else what a Zoom
        administrator set. Never the Odoo email the user may type in their preferences."""
        self.ensure_one()
        connected = self.env["zoom.user.token"]._for_user(self).zoom_email
        return (connected or self.sudo().zoom_email or "").strip().lower()

    @api.depends("zoom_email")
    @api.depends_context("uid")
    def _compute_zoom_identity(self):
        for user in self:
            user.zoom_identity = user._zoom_verified_email() or False

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
        return {"type": "ir.actions.act_url", "url": OAUTH_CONNECT_ROUTE, "target": "self"}

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
