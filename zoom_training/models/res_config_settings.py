from odoo import _, api, fields, models

from .zoom_account import APP_TYPES, CONNECTION_STATES

OAUTH_CALLBACK_ROUTE = "/zoom/oauth/callback"
WEBHOOK_ROUTES = {
    "meeting": "/webhook/zoom-meeting",
    "webinar": "/webhook/zoom-webinar",
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Not stored, not even in this transient table: the inverse encrypts them into zoom.account at once.
    zoom_account_id = fields.Char(
        "Account ID", compute="_compute_zoom_credentials", inverse="_inverse_zoom_credentials"
    )
    zoom_client_id = fields.Char(
        "Client ID", compute="_compute_zoom_credentials", inverse="_inverse_zoom_credentials"
    )
    zoom_client_secret = fields.Char(
        "Client secret",
        compute="_compute_zoom_credentials",
        inverse="_inverse_zoom_credentials",
        help="Leave empty to keep the stored secret.",
    )
    zoom_webhook_secret_token = fields.Char(
        "Secret Token",
        compute="_compute_zoom_credentials",
        inverse="_inverse_zoom_credentials",
        help="Leave empty to keep the stored token.",
    )
    zoom_client_secret_stored = fields.Boolean(compute="_compute_zoom_connection")
    zoom_webhook_secret_stored = fields.Boolean(compute="_compute_zoom_connection")
    zoom_encryption_key_missing = fields.Boolean(compute="_compute_zoom_connection")
    zoom_connection_state = fields.Selection(
        CONNECTION_STATES,
        compute="_compute_zoom_connection",
    )
    zoom_connection_message = fields.Text(compute="_compute_zoom_connection")
    zoom_required_scopes = fields.Char(compute="_compute_zoom_connection")
    zoom_calls_paused = fields.Boolean(compute="_compute_zoom_circuit")
    zoom_circuit_message = fields.Char(compute="_compute_zoom_circuit")
    zoom_host_budget_message = fields.Char("Hosts' daily budget", compute="_compute_zoom_host_budget")

    zoom_webinars_enabled = fields.Boolean(related="company_id.zoom_webinars_enabled", readonly=False)
    zoom_emails_enabled = fields.Boolean(related="company_id.zoom_emails_enabled", readonly=False)
    zoom_access_validation = fields.Boolean(related="company_id.zoom_access_validation", readonly=False)
    zoom_pre_event_sync_minutes = fields.Integer(
        related="company_id.zoom_pre_event_sync_minutes", readonly=False
    )
    zoom_waiting_room = fields.Boolean(related="company_id.zoom_waiting_room", readonly=False)
    zoom_join_before_host = fields.Boolean(related="company_id.zoom_join_before_host", readonly=False)
    zoom_mute_upon_entry = fields.Boolean(related="company_id.zoom_mute_upon_entry", readonly=False)
    zoom_host_video = fields.Boolean(related="company_id.zoom_host_video", readonly=False)
    zoom_participant_video = fields.Boolean(related="company_id.zoom_participant_video", readonly=False)
    zoom_auto_recording = fields.Selection(related="company_id.zoom_auto_recording", readonly=False)
    zoom_approval_type = fields.Selection(related="company_id.zoom_approval_type", readonly=False)
    zoom_recording_handling = fields.Selection(related="company_id.zoom_recording_handling", readonly=False)
    zoom_recording_zoom_cleanup = fields.Selection(
        related="company_id.zoom_recording_zoom_cleanup", readonly=False
    )
    zoom_recording_zoom_days = fields.Integer(related="company_id.zoom_recording_zoom_days", readonly=False)
    zoom_recording_odoo_days = fields.Integer(related="company_id.zoom_recording_odoo_days", readonly=False)
    zoom_share_recordings = fields.Boolean(related="company_id.zoom_share_recordings", readonly=False)
    zoom_attendance_retention_days = fields.Integer(
        related="company_id.zoom_attendance_retention_days", readonly=False
    )
    zoom_attendance_threshold = fields.Float(related="company_id.zoom_attendance_threshold", readonly=False)
    zoom_participant_sync = fields.Selection(related="company_id.zoom_participant_sync", readonly=False)
    zoom_unknown_registrants = fields.Selection(related="company_id.zoom_unknown_registrants", readonly=False)
    zoom_plan = fields.Selection(related="company_id.zoom_plan", readonly=False)
    zoom_webhook_retention_days = fields.Integer(
        related="company_id.zoom_webhook_retention_days", readonly=False
    )
    zoom_webhook_silence_minutes = fields.Integer(
        related="company_id.zoom_webhook_silence_minutes", readonly=False
    )
    zoom_last_webhook_at = fields.Datetime(related="company_id.zoom_last_webhook_at")
    zoom_alert_user_id = fields.Many2one(related="company_id.zoom_alert_user_id", readonly=False)

    zoom_webhook_meeting_url = fields.Char(
        string="Meeting events endpoint",
        compute="_compute_zoom_webhook_urls",
        help="Paste into the Event Subscriptions of your Zoom Marketplace app (meeting events).",
    )
    zoom_webhook_webinar_url = fields.Char(
        string="Webinar events endpoint",
        compute="_compute_zoom_webhook_urls",
        help="Paste into the Event Subscriptions of your Zoom Marketplace app (webinar events).",
    )

    zoom_app_type = fields.Selection(
        APP_TYPES,
        string="Application type",
        compute="_compute_zoom_user_app",
        inverse="_inverse_zoom_user_app",
        help="OAuth (user-managed): trainers connect their own Zoom account in their preferences and host "
        "from it; the Server-to-Server app hosts for everyone else.",
    )
    zoom_user_client_id = fields.Char(
        "User app Client ID", compute="_compute_zoom_user_app", inverse="_inverse_zoom_user_app"
    )
    zoom_user_client_secret = fields.Char(
        "User app Client secret",
        compute="_compute_zoom_user_app",
        inverse="_inverse_zoom_user_app",
        help="Leave empty to keep the stored secret.",
    )
    zoom_user_webhook_secret = fields.Char(
        "User app Secret Token",
        compute="_compute_zoom_user_app",
        inverse="_inverse_zoom_user_app",
        help="Signs Zoom's deauthorization notices. Leave empty to keep the stored token.",
    )
    zoom_user_client_secret_stored = fields.Boolean(compute="_compute_zoom_user_app")
    zoom_user_webhook_secret_stored = fields.Boolean(compute="_compute_zoom_user_app")
    zoom_oauth_redirect_url = fields.Char(
        "Redirect URL for OAuth",
        compute="_compute_zoom_webhook_urls",
        help="Paste into your user-managed app in the Zoom App Marketplace (Redirect URL and allow list).",
    )

    @api.depends("company_id")
    def _compute_zoom_user_app(self):
        for settings in self:
            account = settings._zoom_account()
            settings.zoom_app_type = account.app_type
            settings.zoom_user_client_id = account.user_client_id
            settings.zoom_user_client_secret = False
            settings.zoom_user_webhook_secret = False
            settings.zoom_user_client_secret_stored = account._has_secret("user_client_secret")
            settings.zoom_user_webhook_secret_stored = account._has_secret("user_webhook_secret")

    def _inverse_zoom_user_app(self):
        for settings in self:
            settings._zoom_account()._update_user_app(
                settings.zoom_app_type,
                settings.zoom_user_client_id,
                {
                    "user_client_secret": settings.zoom_user_client_secret,
                    "user_webhook_secret": settings.zoom_user_webhook_secret,
                },
            )

    def action_zoom_open_webhook_inbox(self):
        return self.env["ir.actions.act_window"]._for_xml_id("zoom_training.zoom_webhook_event_action")

    def _zoom_account(self):
        return self.env["zoom.account"]._for_company(self.company_id or self.env.company)

    @api.depends("company_id")
    def _compute_zoom_webhook_urls(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        for settings in self:
            settings.zoom_webhook_meeting_url = base_url + WEBHOOK_ROUTES["meeting"]
            settings.zoom_webhook_webinar_url = base_url + WEBHOOK_ROUTES["webinar"]
            settings.zoom_oauth_redirect_url = base_url + OAUTH_CALLBACK_ROUTE

    @api.depends(
        "company_id",
        "zoom_webinars_enabled",
        "zoom_auto_recording",
        "zoom_recording_handling",
        "zoom_recording_zoom_cleanup",
    )
    def _compute_zoom_connection(self):
        key_missing = not self.env["zoom.account"]._encryption_key_configured()
        for settings in self:
            account = settings._zoom_account()
            settings.zoom_client_secret_stored = account._has_secret("client_secret")
            settings.zoom_webhook_secret_stored = account._has_secret("webhook_secret")
            settings.zoom_encryption_key_missing = key_missing
            settings.zoom_connection_state = account.connection_state
            settings.zoom_connection_message = account.connection_message
            settings.zoom_required_scopes = " ".join(sorted(account._required_scopes()))

    @api.depends("company_id")
    def _compute_zoom_credentials(self):
        for settings in self:
            account = settings._zoom_account()
            settings.zoom_account_id = account.account_id
            settings.zoom_client_id = account.client_id
            settings.zoom_client_secret = False
            settings.zoom_webhook_secret_token = False

    def _inverse_zoom_credentials(self):
        for settings in self:
            settings._zoom_account()._update_credentials(
                settings.zoom_account_id,
                settings.zoom_client_id,
                {
                    "client_secret": settings.zoom_client_secret,
                    "webhook_secret": settings.zoom_webhook_secret_token,
                },
            )

    def action_zoom_test_connection(self):
        self.execute()
        return self._zoom_account().action_test_connection()

    @api.depends("company_id")
    def _compute_zoom_host_budget(self):
        Budget = self.env["zoom.host.budget"].sudo()
        limit = Budget._daily_limit()
        for settings in self:
            spent = Budget._spent_today(settings.company_id)
            settings.zoom_host_budget_message = (
                "; ".join(
                    self.env._("%(host)s: %(used)s of %(limit)s", host=host, used=used, limit=limit)
                    for host, used in spent.items()
                )
                if spent
                else _("No meeting created or updated in Zoom today.")
            )

    @api.depends("company_id")
    def _compute_zoom_circuit(self):
        for settings in self:
            state, failures, until = settings._zoom_account()._circuit_breaker().state()
            settings.zoom_calls_paused = state == "open"
            settings.zoom_circuit_message = (
                _(
                    "Zoom failed %(failures)s times in a row: calls are paused until %(until)s UTC; "
                    "jobs wait and go on by themselves.",
                    failures=failures,
                    until=until.strftime("%Y-%m-%d %H:%M"),
                )
                if state == "open"
                else _("Zoom calls go through normally.")
            )
