# The ORM layers load only inside Odoo; utils/ and sandbox/ stay importable as plain Python.
if __name__.startswith("odoo.addons."):
    from . import controllers, models


def post_init_hook(env):
    """Users that exist when the addon is installed get their Odoo email as Zoom identity (see res_users)."""
    env["res.users"].with_context(active_test=False).search(
        [("share", "=", False)]
    )._zoom_identity_from_email()
