"""Run by `make run` inside `odoo-bin shell`: connects the demo company to the local Zoom sandbox.

The credentials are the sandbox's own defaults (python -m zoom_training.sandbox --help).
"""

import os

sandbox_url = os.environ["SANDBOX_URL"]
params = env["ir.config_parameter"].sudo()  # noqa: F821 (`env` is given by odoo-bin shell)
params.set_param("web.base.url", os.environ["ODOO_URL"])
params.set_param("zoom_training.api_url", sandbox_url)
params.set_param("zoom_training.oauth_url", sandbox_url)
company = env.ref("base.main_company")  # noqa: F821
company.zoom_webinars_enabled = True
account = env["zoom.account"]._for_company(company)  # noqa: F821
account._update_credentials(
    "sandbox_account",
    "sandbox_client_id",
    {"client_secret": "sandbox_client_secret", "webhook_secret": "sandbox_webhook_secret"},
)
account.action_test_connection()
env.cr.commit()  # noqa: F821
print(f"zoom_training: the demo company talks to the Zoom sandbox at {sandbox_url}: {account.connection_message}")
