from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

MAX_PRE_EVENT_WINDOW_MINUTES = 7 * 24 * 60


class ResCompany(models.Model):
    _inherit = "res.company"

    zoom_webinars_enabled = fields.Boolean("Zoom webinars")
    zoom_emails_enabled = fields.Boolean(
        "Zoom emails", help="Let Zoom send its own registration confirmation and notification emails."
    )
    zoom_access_validation = fields.Boolean(
        "Access validation", help="Register attendees in Zoom only once every access requirement is met."
    )
    zoom_pre_event_sync_minutes = fields.Integer("Pre-event sync window (minutes)", default=60)
    zoom_waiting_room = fields.Boolean("Waiting room", default=True)
    zoom_join_before_host = fields.Boolean("Join before host")
    zoom_mute_upon_entry = fields.Boolean("Mute participants on entry", default=True)
    zoom_host_video = fields.Boolean("Host video on", default=True)
    zoom_participant_video = fields.Boolean("Participant video on")
    zoom_auto_recording = fields.Selection(
        [("none", "No recording"), ("local", "Local recording"), ("cloud", "Cloud recording")],
        string="Automatic recording",
        default="none",
        required=True,
    )
    zoom_approval_type = fields.Selection(
        [("automatic", "Automatic"), ("manual", "Manual")],
        string="Registration approval",
        default="automatic",
        required=True,
    )
    zoom_recording_handling = fields.Selection(
        [("link", "Link to Zoom"), ("store", "Store the files in Odoo")],
        string="Recordings",
        default="link",
        required=True,
    )
    zoom_recording_zoom_cleanup = fields.Selection(
        [
            ("keep", "Keep them in Zoom"),
            ("after_store", "Move them to Zoom's trash once stored in Odoo"),
            ("after_days", "Move them to Zoom's trash after a number of days"),
        ],
        string="Cloud recordings in Zoom",
        default="keep",
        required=True,
        help="Zoom's cloud storage is the account's and finite. Zoom keeps trashed recordings 30 days, "
        "recoverable, then deletes them.",
    )
    zoom_recording_zoom_days = fields.Integer("Days in Zoom", default=30)
    zoom_share_recordings = fields.Boolean(
        "Share recordings with trainees",
        help="Trainees find, on their portal, the recording of each session they attended (never a public "
        "link: Odoo checks that they attended before serving it).",
    )
    zoom_recording_odoo_days = fields.Integer(
        "Days stored in Odoo",
        default=0,
        help="Recording files stored in Odoo are deleted after this many days (0: kept).",
    )
    zoom_attendance_retention_days = fields.Integer(
        "Attendance details kept (days)",
        default=0,
        help="Names, emails and Zoom user ids of attendance rows are anonymised after this many days; "
        "times and minutes stay (0: kept).",
    )
    zoom_attendance_threshold = fields.Float(
        "Attendance threshold (%)",
        default=75.0,
        help="Share of the session's duration a participant must attend to count as attended.",
    )
    zoom_unknown_registrants = fields.Selection(
        [("cancel", "Cancel them"), ("keep", "Keep them")],
        string="Registrants added directly in Zoom",
        default="cancel",
        required=True,
        help="What the daily reconciliation does with Zoom registrants that Odoo does not know.",
    )
    zoom_participant_sync = fields.Selection(
        [("all", "Everyone"), ("internal", "Internal users only")],
        string="Participants synced to Zoom",
        default="all",
        required=True,
    )
    zoom_plan = fields.Selection(
        [("free", "Free"), ("pro", "Pro"), ("business", "Business or higher")],
        string="Zoom plan",
        default="pro",
        required=True,
        help="Sets the rate limits the addon keeps under.",
    )

    zoom_webhook_retention_days = fields.Integer(
        "Keep webhook deliveries (days)", default=30, help="Older deliveries are deleted every night."
    )
    zoom_webhook_silence_minutes = fields.Integer(
        "Webhook silence alert (minutes)",
        default=15,
        help="Administrators get an activity when no delivery arrived for this long while a meeting runs.",
    )
    zoom_last_webhook_at = fields.Datetime("Last Zoom delivery", compute="_compute_zoom_last_webhook_at")
    zoom_alert_user_id = fields.Many2one(
        "res.users",
        string="Zoom alerts go to",
        domain=lambda self: [("groups_id", "in", self.env.ref("zoom_training.group_zoom_manager").ids)],
        help="The Zoom administrator who gets the cockpit's activity when Zoom needs attention; "
        "empty: the first Zoom administrator of the company.",
    )

    @api.constrains("zoom_attendance_threshold")
    def _check_zoom_attendance_threshold(self):
        for company in self:
            if not 0 <= company.zoom_attendance_threshold <= 100:
                raise ValidationError(_("The attendance threshold is a percentage between 0 and 100."))

    @api.constrains("zoom_pre_event_sync_minutes")
    def _check_zoom_pre_event_sync_minutes(self):
        for company in self:
            if not 0 <= company.zoom_pre_event_sync_minutes <= MAX_PRE_EVENT_WINDOW_MINUTES:
                raise ValidationError(
                    _("The pre-event sync window is between 0 and %s minutes.", MAX_PRE_EVENT_WINDOW_MINUTES)
                )

    def _compute_zoom_last_webhook_at(self):
        """Read from the inbox, not written per delivery: deliveries never contend on the company row."""
        groups = (
            self.env["zoom.webhook.event"]
            .sudo()
            ._read_group([("company_id", "in", self.ids)], ["company_id"], ["received_at:max"])
        )
        last = {company.id: received_at for company, received_at in groups}
        for company in self:
            company.zoom_last_webhook_at = last.get(company.id, False)
