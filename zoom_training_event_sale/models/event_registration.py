from odoo import _, models


class EventRegistration(models.Model):
    _inherit = "event.registration"

    def _zoom_access_requirements(self):
        """A sold seat waits for its order: the Join page says so rather than 'not confirmed'."""
        missing = super()._zoom_access_requirements()
        if self.sale_order_id and self.sale_status == "to_pay" and self.state == "draft":
            missing.append(_("Your order is not paid yet: your place is confirmed with the payment."))
        return missing
