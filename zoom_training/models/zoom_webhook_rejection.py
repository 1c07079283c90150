from datetime import datetime, timezone

from odoo import fields, models

from .zoom_webhook_intake import REJECTIONS

REASONS = [
    ("too_large", "Body above the size limit"),
    ("unreadable", "Body not received whole"),
    ("no_signature", "No signature"),
    ("no_timestamp", "No timestamp"),
    ("bad_timestamp", "Timestamp not a number"),
    ("stale", "Timestamp too old or ahead"),
    ("bad_signature", "Signature of the wrong shape"),
    ("malformed", "Body not Zoom's JSON, unsigned"),
    ("unknown_account", "Zoom account of no connection"),
    ("secret_unreadable", "Secret Token cannot be decrypted"),
    ("signature_mismatch", "Signature does not match"),
]
# One row per endpoint and reason, counts added in place: the table's size is fixed whatever the flood.
ADD_TALLY = """
    INSERT INTO zoom_webhook_rejection
        (endpoint, reason, count, last_at, last_source, last_sample, create_date, write_date)
    VALUES (%s, %s, %s, %s, %s, %s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
    ON CONFLICT (endpoint, reason) DO UPDATE SET
        count = zoom_webhook_rejection.count + EXCLUDED.count,
        last_at = GREATEST(zoom_webhook_rejection.last_at, EXCLUDED.last_at),
        last_source = EXCLUDED.last_source,
        last_sample = EXCLUDED.last_sample,
        write_date = EXCLUDED.write_date
"""


class ZoomWebhookRejection(models.Model):
    """What is kept of the deliveries refused to senders who did not prove a Secret Token: not the
    deliveries, a counter per endpoint and reason with the last one's time, source and first bytes."""

    _name = "zoom.webhook.rejection"
    _description = "Refused Zoom webhook deliveries"
    _order = "last_at desc"
    _rec_name = "reason"

    endpoint = fields.Selection(
        [("meeting", "Meeting"), ("webinar", "Webinar")], readonly=True, required=True
    )
    reason = fields.Selection(REASONS, readonly=True, required=True)
    count = fields.Integer("Refused", readonly=True)
    last_at = fields.Datetime("Last refused", readonly=True)
    last_source = fields.Char("Last source address", readonly=True)
    last_sample = fields.Char(
        "Last body (first bytes)",
        readonly=True,
        help="Escaped: control and invisible characters are shown as codes.",
    )

    _sql_constraints = [
        ("endpoint_reason_unique", "unique(endpoint, reason)", "One counter per endpoint and reason."),
    ]

    def _add_tally(self, endpoint, reason, tally):
        """Adds a tally (utils/rejections.py) to its row, in a savepoint: the trace never fails a delivery
        (a row another transaction is updating is counted again with the next tally)."""
        last_at = datetime.fromtimestamp(tally.last_at, tz=timezone.utc).replace(tzinfo=None)
        params = [endpoint, reason, tally.count, last_at, tally.last_source, tally.last_sample]
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(ADD_TALLY, params)
        except Exception:
            REJECTIONS.unwritten(self.env.cr.dbname, endpoint, reason, tally)
