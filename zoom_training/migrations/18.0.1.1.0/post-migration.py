"""18.0.1.1.0: Zoom identities are set by Zoom administrators, no longer typed by users.

Hosting used to fall back to a user's Odoo email; every internal user without a Zoom email gets that email as
their Zoom identity once, so meetings keep their hosts after the upgrade.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    users = env["res.users"].with_context(active_test=False).search([("share", "=", False)])
    users._zoom_identity_from_email()
