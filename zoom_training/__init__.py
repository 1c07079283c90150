# The ORM layers load only inside Odoo; utils/ and sandbox/ stay importable as plain Python.
if __name__.startswith("odoo.addons."):
    from . import controllers, models
