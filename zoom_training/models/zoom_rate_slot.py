from odoo import fields, models


class ZoomRateSlot(models.Model):
    """The next free per-second slot of one Zoom account's rate-limit category, shared by every process and
    server of the database (see utils/budget.py, `SqlPacer`): one budget per account, not one per process."""

    _name = "zoom.rate.slot"
    _description = "Zoom per-second rate slot"
    _log_access = False  # written on every Zoom call: one small row, no bookkeeping columns

    account_key = fields.Char("Zoom account", required=True, readonly=True)
    category = fields.Char("Rate-limit category", required=True, readonly=True)
    next_at = fields.Float("Next free slot (epoch seconds)", readonly=True)

    _sql_constraints = [
        (
            "account_category_unique",
            "unique(account_key, category)",
            "One slot row per account and category.",
        ),
    ]
