import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, new_test_user, tagged


def _load_migration(version, name):
    path = Path(__file__).parents[1] / "migrations" / version / name
    spec = importlib.util.spec_from_file_location(f"zoom_training_migration_{version}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_module_is_installed_with_its_dependencies(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["zoom_training", "calendar", "event", "mail", "portal", "queue_job"])]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 6)

    def test_the_upgrade_gives_each_internal_user_their_email_as_zoom_identity_once(self):
        migration = _load_migration("18.0.1.1.0", "post-migration.py")
        internal = new_test_user(self.env, login="upgraded_user", email="Upgraded@Example.com")
        chosen = new_test_user(self.env, login="chosen_user", email="chosen@example.com")
        portal = new_test_user(
            self.env, login="upgraded_portal", email="p@example.com", groups="base.group_portal"
        )
        (internal | portal).sudo().zoom_email = False  # as before the upgrade: nothing set
        chosen.sudo().zoom_email = "chosen.zoom@example.com"
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(internal.zoom_email, "upgraded@example.com")
        self.assertEqual(chosen.zoom_email, "chosen.zoom@example.com", "a set identity is kept")
        self.assertFalse(portal.zoom_email, "portal users host nothing")

    def test_the_upgrade_drops_the_per_process_rate_share(self):
        """Since 18.0.1.2.0 every process paces on the account's one budget in the database."""
        migration = _load_migration("18.0.1.2.0", "post-migration.py")
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("zoom_training.rate_share", "0.5")
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.assertFalse(params.get_param("zoom_training.rate_share"))

    def test_zoom_jobs_have_their_own_queue_channel(self):
        channel = self.env.ref("zoom_training.queue_job_channel_zoom")
        self.assertEqual(channel.complete_name, "root.zoom")
