import time
from datetime import timezone

from odoo import fields, models

CACHE_SECONDS = 2  # a worker re-reads the shared state at most this often


class ZoomBreaker(models.Model):
    """The circuit breaker's state per company, shared by every worker (see utils/breaker.py)."""

    _name = "zoom.breaker"
    _description = "Zoom circuit breaker"

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    failures = fields.Integer("Failures in a row")
    open_until = fields.Datetime("Calls paused until")

    _sql_constraints = [("company_unique", "unique(company_id)", "One circuit breaker per company.")]


class ZoomBreakerStore:
    """`utils.breaker` store on `zoom.breaker`, read and written on a cursor of its own and committed at
    once, so that a job rolling back does not forget a failure and every worker sees the pause."""

    def __init__(self, registry, company_id):
        self.registry = registry
        self.company_id = company_id
        self._cached = None
        self._cached_at = 0.0

    def load(self):
        if self._cached is not None and time.monotonic() - self._cached_at < CACHE_SECONDS:
            return self._cached
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT failures, open_until FROM zoom_breaker WHERE company_id = %s", [self.company_id]
            )
            row = cr.fetchone()
        failures, open_until = row or (0, None)
        return self._remember(failures or 0, open_until.replace(tzinfo=timezone.utc) if open_until else None)

    def save(self, failures, open_until):
        naive_until = open_until.astimezone(timezone.utc).replace(tzinfo=None) if open_until else None
        with self.registry.cursor() as cr:
            cr.execute(
                """INSERT INTO zoom_breaker (company_id, failures, open_until, create_uid, write_uid,
                                             create_date, write_date)
                   VALUES (%s, %s, %s, 1, 1, now() at time zone 'UTC', now() at time zone 'UTC')
                   ON CONFLICT (company_id) DO UPDATE SET failures = EXCLUDED.failures,
                       open_until = EXCLUDED.open_until, write_date = EXCLUDED.write_date""",
                [self.company_id, failures, naive_until],
            )
        self._remember(failures, open_until)

    def _remember(self, failures, open_until):
        self._cached = (failures, open_until)
        self._cached_at = time.monotonic()
        return self._cached
