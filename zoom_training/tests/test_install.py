from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_module_is_installed_with_its_dependencies(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["zoom_training", "calendar", "event", "mail", "portal", "queue_job"])]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 6)

    def test_manifest_declares_version_license_and_python_dependencies(self):
        manifest = get_manifest("zoom_training")
        self.assertEqual(manifest["version"], "18.0.1.0.0")
        self.assertEqual(manifest["license"], "LGPL-3")
        self.assertEqual(
            sorted(manifest["external_dependencies"]["python"]), ["PyJWT", "cryptography", "requests"]
        )

    def test_zoom_jobs_have_their_own_queue_channel(self):
        channel = self.env.ref("zoom_training.queue_job_channel_zoom")
        self.assertEqual(channel.complete_name, "root.zoom")
