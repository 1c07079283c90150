from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..utils.crypto import EncryptionKeyError
from ..utils.errors import ZoomError
from .zoom_account import CONNECTION_STATES
from .zoom_meeting import SYNC_STATES
from .zoom_participant_mixin import PARTICIPANT_MODELS, PARTICIPANT_STATES

ZOOM_CHANNEL = "root.zoom"
WAITING_JOB_STATES = ("wait_dependencies", "pending", "enqueued")
MEETING_UNSYNCED = ("pending", "error", "quota")
PARTICIPANT_UNSYNCED = ("to_sync", "cancel_pending", "flagged", "held", "quota", "error")


class ZoomCockpit(models.Model):
    """One screen per company for the Zoom administrator: each figure links to the records behind it.

    The figures are computed when the screen is opened (nothing is stored but the record that carries the
    alert activity); they are read with sudo, for the company, by a Zoom administrator only (the model's
    access rights)."""

    _name = "zoom.cockpit"
    _description = "Zoom cockpit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _rec_name = "company_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    # Connection and token
    connection_state = fields.Selection(CONNECTION_STATES, string="Connection", compute="_compute_connection")
    connection_message = fields.Text("Zoom said", compute="_compute_connection")
    connection_checked_at = fields.Datetime("Tested at", compute="_compute_connection")
    account_id = fields.Many2one("zoom.account", compute="_compute_connection")
    token_expires_at = fields.Datetime("Access token valid until", compute="_compute_connection")
    # Circuit breaker
    breaker_failures = fields.Integer("Failures in a row", compute="_compute_breaker")
    breaker_open_until = fields.Datetime("Calls paused until", compute="_compute_breaker")
    # Daily quotas, as Zoom's headers last said
    quota_reading_ids = fields.Many2many(
        "zoom.quota.reading", compute="_compute_quota", string="Daily quotas"
    )
    quota_spent = fields.Boolean("A daily quota is used up", compute="_compute_quota")
    # Hosts' budgets of today
    host_budget_count = fields.Integer("Hosts busy today", compute="_compute_host_budgets")
    host_budget_busiest = fields.Char("Busiest host today", compute="_compute_host_budgets")
    # Webhooks
    webhook_meeting_hour = fields.Integer("Meeting deliveries, last hour", compute="_compute_webhooks")
    webhook_meeting_day = fields.Integer("Meeting deliveries, last 24 h", compute="_compute_webhooks")
    webhook_webinar_hour = fields.Integer("Webinar deliveries, last hour", compute="_compute_webhooks")
    webhook_webinar_day = fields.Integer("Webinar deliveries, last 24 h", compute="_compute_webhooks")
    webhook_last_at = fields.Datetime("Last delivery", compute="_compute_webhooks")
    webhook_failed = fields.Integer("Deliveries that failed processing", compute="_compute_webhooks")
    rejection_count = fields.Integer("Refused deliveries", compute="_compute_webhooks")
    rejection_last_at = fields.Datetime("Last refused", compute="_compute_webhooks")
    webhooks_silent = fields.Boolean("No delivery while meetings run", compute="_compute_webhooks")
    # Jobs of the Zoom channel
    job_waiting = fields.Integer("Jobs waiting", compute="_compute_jobs")
    job_running = fields.Integer("Jobs running", compute="_compute_jobs")
    job_failed = fields.Integer("Jobs failed", compute="_compute_jobs")
    # What is not in sync
    meeting_unsynced_summary = fields.Text("Meetings not in sync, by reason", compute="_compute_unsynced")
    meeting_unsynced = fields.Integer("Meetings not in sync", compute="_compute_unsynced")
    participant_unsynced_summary = fields.Text(
        "Registrants not in sync, by reason", compute="_compute_unsynced"
    )
    participant_unsynced = fields.Integer("Registrants not in sync", compute="_compute_unsynced")
    api_failures_day = fields.Integer("API failures, last 24 h", compute="_compute_unsynced")
    # Reconciliation
    reconciliation_id = fields.Many2one(
        "zoom.reconciliation", string="Last reconciliation", compute="_compute_reconciliation"
    )
    reconciliation_finished_at = fields.Datetime("Finished", compute="_compute_reconciliation")
    reconciliation_repaired = fields.Integer("Repaired", compute="_compute_reconciliation")
    reconciliation_failed = fields.Integer("Could not repair", compute="_compute_reconciliation")
    # The verdict
    red_reasons = fields.Text("Needs attention", compute="_compute_red_reasons")

    _sql_constraints = [("company_unique", "unique(company_id)", "One Zoom cockpit per company.")]

    # Opening ------------------------------------------------------------------------------------------

    @api.model
    def action_open(self):
        """The menu's action: the current company's cockpit, made on first use."""
        if not self.env.user.has_group("zoom_training.group_zoom_manager"):
            raise AccessError(_("The Zoom cockpit is for Zoom administrators."))
        cockpit = self._for_company(self.env.company)
        return {
            "type": "ir.actions.act_window",
            "name": _("Zoom cockpit"),
            "res_model": self._name,
            "res_id": cockpit.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.model
    def _for_company(self, company):
        cockpit = self.sudo().search([("company_id", "=", company.id)], limit=1)
        return (cockpit or self.sudo().create({"company_id": company.id})).with_env(self.env)

    # Figures ------------------------------------------------------------------------------------------

    def _since(self, **delta):
        return fields.Datetime.now() - timedelta(**delta)

    def _count(self, model, domain):
        return self.env[model].sudo().search_count(domain)

    def _compute_connection(self):
        for cockpit in self:
            account = (
                self.env["zoom.account"].sudo().search([("company_id", "=", cockpit.company_id.id)], limit=1)
            )
            cockpit.account_id = account
            cockpit.connection_state = account.connection_state or "unknown"
            cockpit.connection_message = account.connection_message
            cockpit.connection_checked_at = account.connection_checked_at
            cockpit.token_expires_at = _zoom_token_expiry(account) if account else False

    def _compute_breaker(self):
        for cockpit in self:
            breaker = (
                self.env["zoom.breaker"].sudo().search([("company_id", "=", cockpit.company_id.id)], limit=1)
            )
            cockpit.breaker_failures = breaker.failures
            now = fields.Datetime.now()
            cockpit.breaker_open_until = (
                breaker.open_until if breaker.open_until and breaker.open_until > now else False
            )

    def _compute_quota(self):
        for cockpit in self:
            readings = (
                self.env["zoom.quota.reading"].sudo().search([("company_id", "=", cockpit.company_id.id)])
            )
            cockpit.quota_reading_ids = readings
            cockpit.quota_spent = any(readings.mapped("spent"))

    def _compute_host_budgets(self):
        today = fields.Datetime.now().date()
        for cockpit in self:
            budgets = (
                self.env["zoom.host.budget"]
                .sudo()
                .search([("company_id", "=", cockpit.company_id.id), ("day", "=", today)], order="used desc")
            )
            cockpit.host_budget_count = len(budgets)
            busiest = budgets[:1]
            cockpit.host_budget_busiest = (
                _(
                    "%(host)s: %(used)s creates and updates of %(limit)s",
                    host=busiest.host_email,
                    used=busiest.used,
                    limit=busiest._daily_limit(),
                )
                if busiest
                else False
            )

    def _compute_webhooks(self):
        hour, day = self._since(hours=1), self._since(days=1)
        for cockpit in self:
            company = [("company_id", "=", cockpit.company_id.id)]
            for endpoint in ("meeting", "webinar"):
                received = [*company, ("endpoint", "=", endpoint)]
                cockpit[f"webhook_{endpoint}_hour"] = self._count(
                    "zoom.webhook.event", [*received, ("received_at", ">=", hour)]
                )
                cockpit[f"webhook_{endpoint}_day"] = self._count(
                    "zoom.webhook.event", [*received, ("received_at", ">=", day)]
                )
            cockpit.webhook_last_at = cockpit.company_id.zoom_last_webhook_at
            cockpit.webhook_failed = self._count("zoom.webhook.event", [*company, ("state", "=", "error")])
            rejections = self.env["zoom.webhook.rejection"].sudo().search([])
            cockpit.rejection_count = sum(rejections.mapped("count"))
            cockpit.rejection_last_at = max(rejections.mapped("last_at"), default=False)
            cockpit.webhooks_silent = bool(cockpit._silent_meetings())

    def _silent_meetings(self):
        """Meetings in progress for longer than the company's silence alert, with no delivery since."""
        company = self.company_id
        limit = self._since(minutes=company.zoom_webhook_silence_minutes or 15)
        last = company.zoom_last_webhook_at
        if last and last >= limit:
            return self.env["zoom.meeting"]
        running = (
            self.env["zoom.meeting"]
            .sudo()
            .search([("company_id", "=", company.id), ("zoom_status", "=", "started")])
        )
        return running.filtered(lambda meeting: (meeting.actual_start or fields.Datetime.now()) <= limit)

    def _job_domain(self, states):
        return [
            ("channel", "=like", f"{ZOOM_CHANNEL}%"),
            ("state", "in", list(states)),
            ("company_id", "in", [False, self.company_id.id]),
        ]

    def _compute_jobs(self):
        for cockpit in self:
            cockpit.job_waiting = self._count("queue.job", cockpit._job_domain(WAITING_JOB_STATES))
            cockpit.job_running = self._count("queue.job", cockpit._job_domain(["started"]))
            cockpit.job_failed = self._count("queue.job", cockpit._job_domain(["failed"]))

    def _compute_unsynced(self):
        meeting_labels = dict(SYNC_STATES)
        participant_labels = dict(PARTICIPANT_STATES)
        for cockpit in self:
            meetings = cockpit._count_by_state("zoom.meeting", cockpit._meeting_domain(), MEETING_UNSYNCED)
            participants = {}
            for model in PARTICIPANT_MODELS:
                counts = cockpit._count_by_state(
                    model, cockpit._participant_domain(model), PARTICIPANT_UNSYNCED, "zoom_sync_state"
                )
                for state, count in counts.items():
                    participants[state] = participants.get(state, 0) + count
            cockpit.meeting_unsynced = sum(meetings.values())
            cockpit.meeting_unsynced_summary = _summary(meetings, meeting_labels)
            cockpit.participant_unsynced = sum(participants.values())
            cockpit.participant_unsynced_summary = _summary(participants, participant_labels)
            cockpit.api_failures_day = self._count(
                "zoom.audit.event",
                [*cockpit._api_failure_domain(), ("create_date", ">=", self._since(days=1))],
            )

    def _count_by_state(self, model, domain, states, field="sync_state"):
        groups = (
            self.env[model].sudo()._read_group([*domain, (field, "in", list(states))], [field], ["__count"])
        )
        return dict(groups)

    def _meeting_domain(self):
        return [("company_id", "=", self.company_id.id), ("active", "=", True)]

    def _participant_domain(self, model):
        return [
            ("event_id.zoom_meeting_id.company_id", "=", self.company_id.id),
            ("event_id.zoom_meeting_id.active", "=", True),
        ]

    def _api_failure_domain(self):
        return [("company_id", "=", self.company_id.id), ("event_type", "=", "api_failure")]

    def _compute_reconciliation(self):
        for cockpit in self:
            report = (
                self.env["zoom.reconciliation"]
                .sudo()
                .search(
                    [("company_id", "=", cockpit.company_id.id), ("state", "=", "done")],
                    order="finished_at desc, id desc",
                    limit=1,
                )
            )
            cockpit.reconciliation_id = report
            cockpit.reconciliation_finished_at = report.finished_at
            cockpit.reconciliation_repaired = report.repaired_count
            cockpit.reconciliation_failed = report.failed_count

    def _compute_red_reasons(self):
        for cockpit in self:
            cockpit.red_reasons = "\n".join(cockpit._red_reasons()) or False

    def _red_reasons(self):
        self.ensure_one()
        reasons = []
        if self.breaker_open_until:
            reasons.append(
                _("Calls to Zoom are paused until %s UTC (circuit breaker).", self.breaker_open_until)
            )
        for reading in self.quota_reading_ids.filtered("spent"):
            reasons.append(
                _(
                    "Zoom's daily %(category)s quota is used up until %(reset)s UTC.",
                    category=reading.category,
                    reset=reading.reset_at,
                )
            )
        if self.webhooks_silent and self.webhook_last_at:
            reasons.append(
                _("Meetings are running but no Zoom delivery arrived since %s.", self.webhook_last_at)
            )
        elif self.webhooks_silent:
            reasons.append(_("Meetings are running but no Zoom delivery has ever arrived."))
        if self.job_failed:
            reasons.append(_("Failed Zoom jobs: %s.", self.job_failed))
        return reasons

    # Tiles' links -------------------------------------------------------------------------------------

    def _open(self, name, model, domain, context=None, views="list,form"):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": domain,
            "view_mode": views,
            "context": context or {},
            "target": "current",
        }

    def action_open_audit(self):
        return self._open(
            _("Zoom audit trail"), "zoom.audit.event", [("company_id", "=", self.company_id.id)]
        )

    def action_open_api_failures(self):
        return self._open(
            _("Zoom API failures"),
            "zoom.audit.event",
            self._api_failure_domain(),
            {"search_default_by_code": 1},
        )

    def action_open_breaker(self):
        return self._open(_("Circuit breaker"), "zoom.breaker", [("company_id", "=", self.company_id.id)])

    def action_open_quota(self):
        return self._open(
            _("Zoom daily quotas"),
            "zoom.quota.reading",
            [("company_id", "=", self.company_id.id)],
            views="list",
        )

    def action_open_host_budgets(self):
        today = fields.Datetime.now().date()
        return self._open(
            _("Hosts' budgets today"),
            "zoom.host.budget",
            [("company_id", "=", self.company_id.id), ("day", "=", today)],
        )

    def action_open_webhooks(self):
        return self._open(
            _("Zoom webhook inbox"), "zoom.webhook.event", [("company_id", "=", self.company_id.id)]
        )

    def action_open_webhook_failures(self):
        return self._open(
            _("Deliveries that failed processing"),
            "zoom.webhook.event",
            [("company_id", "=", self.company_id.id), ("state", "=", "error")],
        )

    def action_open_rejections(self):
        return self._open(_("Refused webhook deliveries"), "zoom.webhook.rejection", [])

    def action_open_jobs_waiting(self):
        return self._open(_("Zoom jobs waiting"), "queue.job", self._job_domain(WAITING_JOB_STATES))

    def action_open_jobs_running(self):
        return self._open(_("Zoom jobs running"), "queue.job", self._job_domain(["started"]))

    def action_open_jobs_failed(self):
        return self._open(_("Zoom jobs failed"), "queue.job", self._job_domain(["failed"]))

    def action_open_meetings_unsynced(self):
        return self._open(
            _("Meetings not in sync"),
            "zoom.meeting",
            [*self._meeting_domain(), ("sync_state", "in", list(MEETING_UNSYNCED))],
            {"group_by": "sync_state"},
        )

    def action_open_registrations_unsynced(self):
        return self._open_participants("event.registration", _("Registrations not in Zoom"))

    def action_open_attendees_unsynced(self):
        return self._open_participants("calendar.attendee", _("Attendees not in Zoom"))

    def _open_participants(self, model, name):
        domain = [*self._participant_domain(model), ("zoom_sync_state", "in", list(PARTICIPANT_UNSYNCED))]
        action = self._open(name, model, domain)
        tag = model.replace(".", "_")
        action["views"] = [
            (self.env.ref(f"zoom_training.{tag}_view_list_zoom_unsynced").id, "list"),
            (self.env.ref(f"zoom_training.{tag}_view_form_zoom_unsynced").id, "form"),
        ]
        return action

    def action_open_reconciliation(self):
        if not self.reconciliation_id:
            return self._open(
                _("Reconciliations"), "zoom.reconciliation", [("company_id", "=", self.company_id.id)]
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "zoom.reconciliation",
            "res_id": self.reconciliation_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_test_connection(self):
        if not self.account_id:
            raise UserError(_("Enter the Zoom credentials in Settings first."))
        return self.account_id.action_test_connection()

    # The one alert ------------------------------------------------------------------------------------

    @api.model
    def _cron_zoom_cockpit_alert(self):
        """Red (breaker open, quota spent, no webhook while meetings run, failed jobs): one activity on the
        company's cockpit for its Zoom alert recipient, its note kept current; green again: marked done."""
        for account in self.env["zoom.account"].sudo().search([("account_id", "!=", False)]):
            self._for_company(account.company_id).sudo()._raise_or_clear_alert()

    def _raise_or_clear_alert(self):
        self.ensure_one()
        self.invalidate_recordset()  # the figures of now, not of an earlier run in this transaction
        reasons = self._red_reasons()
        summary = _("Zoom needs attention")
        open_alerts = self.activity_ids.filtered(lambda activity: activity.summary == summary)
        if not reasons:
            if open_alerts:
                open_alerts.action_feedback(feedback=_("Back to normal."))
            return
        note = "<br/>".join(reasons)
        if open_alerts:
            open_alerts[:1].note = note
            return
        recipient = self._alert_recipient()
        if recipient:
            self.activity_schedule(
                "mail.mail_activity_data_warning", summary=summary, note=note, user_id=recipient.id
            )

    def _alert_recipient(self):
        company = self.company_id
        if company.zoom_alert_user_id:
            return company.zoom_alert_user_id
        administrators = self.env.ref("zoom_training.group_zoom_manager").users.filtered(
            lambda user: not user.share
            and user.active
            and company in user.company_ids
            and not user._is_superuser()
        )
        return administrators.sorted("id")[:1]


def _summary(counts, labels):
    return (
        "\n".join(f"{labels.get(state, state)}: {count}" for state, count in sorted(counts.items())) or False
    )


def _zoom_token_expiry(account):
    try:
        key = account._token_store().key
    except (UserError, ZoomError, EncryptionKeyError):
        return False
    token = account.env["zoom.token"].sudo().search([("key", "=", key)], order="expires_at desc", limit=1)
    return token.expires_at or False
