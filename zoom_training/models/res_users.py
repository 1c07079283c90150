from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    zoom_email = fields.Char(
        "Zoom email", help="The email of this user's Zoom account, when it differs from their Odoo email."
    )

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "zoom_email"]

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "zoom_email"]
