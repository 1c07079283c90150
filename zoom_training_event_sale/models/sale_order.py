from odoo import models


class SaleOrder(models.Model):
    """event_sale opens or cancels a sold registration by recomputing its state when the order is
    confirmed (by the payment, online) or cancelled: no write reaches the registration, so the Zoom sync
    is asked for here."""

    _inherit = "sale.order"

    def action_confirm(self):
        result = super().action_confirm()
        self._zoom_sync_registrations()
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self._zoom_sync_registrations()
        return result

    def _zoom_sync_registrations(self):
        registrations = self.env["event.registration"].sudo().search([("sale_order_id", "in", self.ids)])
        registrations.flush_recordset(["state"])
        registrations._zoom_schedule_registrant_sync()
