from datetime import datetime, timedelta, timezone

from odoo import api, fields, models

from ..utils.errors import ZoomRateLimited
from ..utils.plain import _lt
from ..utils.ratelimit import DAILY, next_utc_midnight

LIMIT_PARAM = "zoom_training.host_daily_limit"
DEFAULT_LIMIT = 100  # Zoom: meeting (and webinar) creates and updates a host may make per UTC day


class ZoomHostBudget(models.Model):
    """How many of a host's daily Zoom creates and updates Odoo has used today (UTC).

    Each create or update reserves one before it goes out, on a committed cursor of its own, so that all
    workers share the count and a job rolled back after its call still counts it. A reservation refused
    means the work waits for 00:00 UTC instead of collecting Zoom's 429."""

    _name = "zoom.host.budget"
    _description = "Zoom host daily create/update budget"
    _order = "day desc, used desc"
    _rec_name = "host_email"

    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    host_email = fields.Char("Host", required=True, readonly=True)
    day = fields.Date("Day (UTC)", required=True, readonly=True)
    used = fields.Integer("Creates and updates", readonly=True)

    _sql_constraints = [
        ("host_day_unique", "unique(company_id, host_email, day)", "One count per host and day."),
    ]

    @api.model
    def _daily_limit(self):
        value = self.env["ir.config_parameter"].sudo().get_param(LIMIT_PARAM)
        return int(value) if value and value.isdigit() else DEFAULT_LIMIT

    @api.model
    def _reserve(self, company, host_email):
        """One of the host's calls for today, or ZoomRateLimited (daily) until 00:00 UTC."""
        limit = self._daily_limit()
        with self.env.registry.cursor() as cr:
            cr.execute(
                """
                INSERT INTO zoom_host_budget (company_id, host_email, day, used, create_date, write_date)
                     VALUES (%(company)s, %(host)s, %(day)s, 1,
                             now() at time zone 'UTC', now() at time zone 'UTC')
                ON CONFLICT (company_id, host_email, day)
                  DO UPDATE SET used = zoom_host_budget.used + 1, write_date = EXCLUDED.write_date
                      WHERE zoom_host_budget.used < %(limit)s
                  RETURNING used
                """,
                {"company": company.id, "host": _normal(host_email), "day": _utc_today(), "limit": limit},
            )
            if cr.fetchone():
                return
        raise ZoomRateLimited(
            "host daily budget used up in Odoo",
            limit_type=DAILY,
            retry_at=next_utc_midnight(),
            category="Host",
            plain=_lt(
                "%(host)s has made the %(limit)s meeting creations and updates Zoom allows a host each day; "
                "this one waits until 00:00 UTC.",
                host=host_email,
                limit=limit,
            ),
        )

    @api.model
    def _use_up(self, company, host_email):
        """Zoom said the host's limit is reached: nothing more is sent for this host today."""
        limit = self._daily_limit()
        with self.env.registry.cursor() as cr:
            cr.execute(
                """
                INSERT INTO zoom_host_budget (company_id, host_email, day, used, create_date, write_date)
                     VALUES (%(company)s, %(host)s, %(day)s, %(limit)s,
                             now() at time zone 'UTC', now() at time zone 'UTC')
                ON CONFLICT (company_id, host_email, day)
                  DO UPDATE SET used = GREATEST(zoom_host_budget.used, %(limit)s)
                """,
                {"company": company.id, "host": _normal(host_email), "day": _utc_today(), "limit": limit},
            )

    @api.model
    def _spent_today(self, company):
        """{host email: calls used today} for Settings, read on a fresh cursor (other workers' counts)."""
        with self.env.registry.cursor() as cr:
            cr.execute(
                "SELECT host_email, used FROM zoom_host_budget"
                " WHERE company_id = %s AND day = %s ORDER BY used DESC",
                [company.id, _utc_today()],
            )
            return dict(cr.fetchall())

    @api.autovacuum
    def _gc_old_days(self):
        self.search([("day", "<", _utc_today() - timedelta(days=7))]).unlink()


def _normal(email):
    return (email or "").strip().lower()


def _utc_today():
    return datetime.now(timezone.utc).date()
