"""Run by `make run`: connects the demo company to the local Zoom sandbox.

Usage: python scripts/configure_demo.py ODOO_CONF DB SANDBOX_URL ODOO_URL (with Odoo's source on sys.path).
The credentials are the sandbox's own defaults (python -m zoom_training.sandbox --help). They are secrets,
stored encrypted with the server's key, so they are entered here rather than in the demo data; the rest of
the demo set-up (trainings, trainees, the other hosts) is zoom_training/demo/zoom_training_demo.xml.
"""

import sys

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config


def configure(env, sandbox_url, odoo_url):
    params = env["ir.config_parameter"].sudo()
    params.set_param("web.base.url", odoo_url)
    params.set_param("zoom_training.api_url", sandbox_url)
    params.set_param("zoom_training.oauth_url", sandbox_url)
    company = env.ref("base.main_company")
    company.zoom_webinars_enabled = True
    # The sandbox's default host (licensed, with webinars) hosts what the administrator schedules; the demo
    # data says so too, but the benchmarks install without demo data, where the administrator's Zoom identity
    # is the Odoo email it was given at install (see res_users): a Zoom administrator's choice replaces it here.
    admin = env.ref("base.user_admin")
    if admin.zoom_email in (False, (admin.email or "").strip().lower()):
        admin.zoom_email = "host@example.com"
    account = env["zoom.account"]._for_company(company)
    account._update_credentials(
        "sandbox_account",
        "sandbox_client_id",
        {"client_secret": "sandbox_client_secret", "webhook_secret": "sandbox_webhook_secret"},
    )
    account.action_test_connection()
    return account.connection_message


def main(conf, db, sandbox_url, odoo_url):
    config.parse_config(["-c", conf, "--log-level=warn", "--logfile="])
    with Registry(db).cursor() as cr:
        message = configure(api.Environment(cr, SUPERUSER_ID, {}), sandbox_url, odoo_url)
    sys.stdout.write(f"zoom_training: the demo company talks to the Zoom sandbox at {sandbox_url}: ")
    sys.stdout.write(f"{message}\n")


if __name__ == "__main__":
    main(*sys.argv[1:5])
