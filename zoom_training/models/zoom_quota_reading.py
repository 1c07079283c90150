import time
from datetime import timezone

from odoo import fields, models

from ..utils.budget import DailyReading

CACHE_SECONDS = 2  # a worker re-reads the shared readings at most this often
WRITE_SECONDS = 5  # and writes a category's reading at most this often, unless the quota is spent


class ZoomQuotaReading(models.Model):
    """What Zoom's headers last said of a daily quota, per company and category, shared by every worker."""

    _name = "zoom.quota.reading"
    _description = "Zoom daily quota, as last read"
    _order = "company_id, category"
    _rec_name = "category"

    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    category = fields.Char("Rate-limit category", required=True, readonly=True)
    remaining = fields.Integer("Left today", readonly=True)
    daily_limit = fields.Integer("Daily limit", readonly=True)
    reset_at = fields.Datetime("Resets", readonly=True)
    read_at = fields.Datetime("Read from Zoom", readonly=True)
    spent = fields.Boolean(compute="_compute_spent", string="Used up")

    _sql_constraints = [
        ("company_category_unique", "unique(company_id, category)", "One reading per company and category.")
    ]

    def _compute_spent(self):
        now = fields.Datetime.now()
        for reading in self:
            reading.spent = reading.remaining <= 0 and bool(reading.reset_at) and reading.reset_at > now


def _naive_utc(moment):
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment else None


def _aware_utc(moment):
    return moment.replace(tzinfo=timezone.utc) if moment else None


class ZoomQuotaStore:
    """`utils.budget` daily store on `zoom.quota.reading`: a quota spent in one worker stops the others,
    and the cockpit shows what Zoom last said. Read and written on a cursor of its own, committed at once."""

    def __init__(self, registry, company_id):
        self.registry = registry
        self.company_id = company_id
        self._cached = None
        self._cached_at = 0.0
        self._written_at = {}

    def load(self):
        if self._cached is not None and time.monotonic() - self._cached_at < CACHE_SECONDS:
            return self._cached
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT category, remaining, daily_limit, reset_at, read_at
                     FROM zoom_quota_reading WHERE company_id = %s""",
                [self.company_id],
            )
            rows = cr.fetchall()
        self._cached = {
            category: DailyReading(remaining, limit, _aware_utc(reset_at), _aware_utc(read_at))
            for category, remaining, limit, reset_at, read_at in rows
        }
        self._cached_at = time.monotonic()
        return self._cached

    def save(self, category, reading):
        readings = dict(self.load())
        readings[category] = reading
        self._cached = readings
        if self._needs_writing(category, reading):
            self._write(category, reading)

    def _needs_writing(self, category, reading):
        spent = reading.remaining is not None and reading.remaining <= 0
        return spent or time.monotonic() - self._written_at.get(category, -WRITE_SECONDS) >= WRITE_SECONDS

    def _write(self, category, reading):
        with self.registry.cursor() as cr:
            cr.execute(
                """INSERT INTO zoom_quota_reading (company_id, category, remaining, daily_limit, reset_at,
                                                   read_at, create_uid, write_uid, create_date, write_date)
                   SELECT company.id, %s, %s, %s, %s, %s,
                          1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
                     FROM res_company company WHERE company.id = %s
                   ON CONFLICT (company_id, category) DO UPDATE SET remaining = EXCLUDED.remaining,
                       daily_limit = EXCLUDED.daily_limit, reset_at = EXCLUDED.reset_at,
                       read_at = EXCLUDED.read_at, write_date = EXCLUDED.write_date""",
                [
                    category,
                    reading.remaining,
                    reading.limit,
                    _naive_utc(reading.reset_at),
                    _naive_utc(reading.read_at),
                    self.company_id,
                ],
            )
        self._written_at[category] = time.monotonic()

    def clear(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM zoom_quota_reading WHERE company_id = %s", [self.company_id])
        self._cached = None
        self._written_at.clear()
