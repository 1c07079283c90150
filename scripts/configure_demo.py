"""Run by `make run` inside `odoo-bin shell`: points the demo database at the local Zoom sandbox."""

import os

sandbox_url = os.environ["SANDBOX_URL"]
params = env["ir.config_parameter"].sudo()  # noqa: F821 (`env` is given by odoo-bin shell)
params.set_param("web.base.url", os.environ["ODOO_URL"])
params.set_param("zoom_training.api_url", sandbox_url)
params.set_param("zoom_training.oauth_url", sandbox_url)
env.cr.commit()  # noqa: F821
print(f"zoom_training: the demo database now talks to the Zoom sandbox at {sandbox_url}")
