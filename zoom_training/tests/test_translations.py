from odoo.tests import tagged
from odoo.tools.translate import code_translations

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.zoom_plain import zoom_plain
from ..utils.errors import ZoomScopeError, ZoomServerError
from .test_meetings import ZoomMeetingCase

SCOPES_EN = (
    "The Zoom app lacks the scopes %(scopes)s: add them to your Server-to-Server OAuth app in the Zoom App "
    "Marketplace, then test the connection again."
)
SCOPES_FR = (
    "Il manque à l'application Zoom les autorisations %(scopes)s : ajoutez-les à votre application "
    "Server-to-Server OAuth dans le Zoom App Marketplace, puis testez à nouveau la connexion."
)
TIMES_EN = "after %(count)s attempts"
TIMES_FR = "après %(count)s tentatives"


@tagged("post_install", "-at_install")
class TestTranslatedErrors(ZoomMeetingCase):
    """The plain-language errors of utils/ reach the user in the user's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        # What a fr.po of the addon would give Odoo: its code translations, as Odoo caches them.
        key = ("zoom_training", "fr_FR")
        previous = code_translations.python_translations.get(key)
        fake = dict(previous or {}, **{SCOPES_EN: SCOPES_FR, TIMES_EN: TIMES_FR})
        code_translations.python_translations[key] = fake
        cls.addClassCleanup(cls._restore_translations, key, previous)

    @staticmethod
    def _restore_translations(key, previous):
        if previous is None:
            code_translations.python_translations.pop(key, None)
        else:
            code_translations.python_translations[key] = previous

    def setUp(self):
        super().setUp()
        self.sandbox.oauth.granted_scopes.discard("meeting:write:admin")
        self.addCleanup(self.forget_tokens)
        self.addCleanup(self.sandbox.oauth.granted_scopes.add, "meeting:write:admin")

    def test_the_english_template_is_the_one_odoo_extracts(self):
        error = ZoomScopeError("", missing_scopes=["meeting:write:admin"])
        self.assertEqual(error.plain.template, SCOPES_EN)

    def test_a_zoom_error_on_a_record_reads_in_the_users_language(self):
        self.host.lang = "fr_FR"
        self.env = self.env(context=dict(self.env.context, lang="fr_FR"))  # as in the host's own requests
        with trap_jobs() as trap:
            event = self.calendar_event(name="Formation sécurité")
            self.run_jobs(trap)
        self.assertEqual(event.zoom_sync_state, "error")
        self.assertIn("Il manque à l'application Zoom les autorisations", event.zoom_sync_error)
        self.assertIn("meeting:write:admin", event.zoom_sync_error)
        self.assertNotIn("%(", event.zoom_sync_error)

    def test_an_english_user_reads_the_same_error_in_english(self):
        with trap_jobs() as trap:
            event = self.calendar_event(name="Safety training")
            self.run_jobs(trap)
        self.assertIn("The Zoom app lacks the scopes", event.zoom_sync_error)
        self.assertIn("meeting:write:admin", event.zoom_sync_error)

    def test_a_sentence_inside_a_sentence_is_translated_too(self):
        error = ZoomServerError("", status=503, attempts=4)
        text = zoom_plain(self.env(context={"lang": "fr_FR"}), error.plain)
        self.assertIn("après 4 tentatives", text)
        self.assertIn("HTTP 503", text)
