"""A seat sold for a training held on Zoom: the trainee is registered in Zoom when the payment confirms the
order, never before; a cancelled order cancels them in Zoom."""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.zoom_training.tests.test_registrants import ZoomRegistrantCase


@tagged("post_install", "-at_install")
class TestSoldSeats(ZoomRegistrantCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seat = cls.env["product.product"].create(
            {"name": "Training seat", "type": "service", "service_tracking": "event", "list_price": 120.0}
        )
        cls.buyer = cls.env["res.partner"].create({"name": "Bea Buyer", "email": "bea.buyer@example.com"})
        cls.provider = cls.env["payment.provider"].create(
            {
                "name": "Test provider",
                "code": "none",
                "state": "test",
                "payment_method_ids": [Command.set([cls.env.ref("payment.payment_method_unknown").id])],
            }
        )
        cls.env.ref("payment.payment_method_unknown").active = True

    def sold_training(self, topic):
        training = self.zoom_training(topic)
        ticket = self.env["event.event.ticket"].create(
            {"name": "Seat", "event_id": training.id, "product_id": self.seat.id, "price": 120.0}
        )
        return training, ticket

    def cart(self, training, ticket):
        """What the online shop holds before the payment: a quotation and a draft registration."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.buyer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.seat.id,
                            "event_id": training.id,
                            "event_ticket_id": ticket.id,
                            "product_uom_qty": 1,
                        }
                    )
                ],
            }
        )
        registration = self.sync(
            lambda: self.env["event.registration"].create(
                {
                    "event_id": training.id,
                    "event_ticket_id": ticket.id,
                    "partner_id": self.buyer.id,
                    "sale_order_id": order.id,
                    "sale_order_line_id": order.order_line.id,
                }
            )
        )
        return order, registration

    def pay(self, order, state="done"):
        transaction = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": self.buyer.id,
                    "reference": f"ZT-{order.id}-{state}",
                    "operation": "online_redirect",
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
        )
        getattr(transaction, f"_set_{state}")()
        self.sync(transaction._check_amount_and_confirm_order)
        return transaction

    def test_the_payment_registers_the_trainee_in_zoom_never_before(self):
        training, ticket = self.sold_training("Sold seat, paid")
        order, registration = self.cart(training, ticket)
        self.assertEqual((registration.state, registration.sale_status), ("draft", "to_pay"))
        self.assertEqual(self.zoom_registrants(training), [], "no Zoom registrant for an unpaid seat")
        self.assertFalse(registration.zoom_join_url)

        self.pay(order, "pending")  # a transfer announced, not received
        self.assertEqual(registration.state, "draft")
        self.assertEqual(self.zoom_registrants(training), [])

        self.pay(order)
        self.assertEqual(order.state, "sale")
        self.assertEqual((registration.state, registration.sale_status), ("open", "sold"))
        registrants = self.zoom_registrants(training, "approved")
        self.assertEqual([r.email for r in registrants], ["bea.buyer@example.com"])
        self.assertEqual(registration.zoom_sync_state, "synced")
        self.assertEqual(registration.zoom_registrant_id, registrants[0].id)
        self.assertTrue(registration.zoom_join_url)

    def test_a_cancelled_order_cancels_the_zoom_registrant(self):
        training, ticket = self.sold_training("Sold seat, cancelled")
        order, registration = self.cart(training, ticket)
        self.pay(order)
        self.assertEqual(registration.zoom_sync_state, "synced")
        self.sync(lambda: order._action_cancel())
        self.assertEqual(registration.state, "cancel")
        self.assertEqual([r.status for r in self.zoom_registrants(training)], ["cancelled"])

    def test_the_join_page_says_the_order_is_not_paid(self):
        training, ticket = self.sold_training("Sold seat, access")
        training.zoom_access_validation = "on"
        _order, registration = self.cart(training, ticket)
        self.assertIn("Your order is not paid yet", "\n".join(registration._zoom_access_requirements()))
