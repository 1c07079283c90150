"""The French, German and Spanish translations cover every term of the .pot, and each translation keeps
its term's placeholders: a lost `%(name)s` or `{{ ... }}` breaks the message at run time, a lost tag or
`t-out` breaks the page or the mail. When the .pot gains terms, the failure lists them per language."""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

REPOSITORY = Path(__file__).resolve().parents[3]
# each addon of the repository, with the fewest terms its .pot may hold to be trusted
ADDONS = {"zoom_training": 500, "zoom_training_website_event": 5, "zoom_training_event_sale": 2}
LANGUAGES = ("fr", "de", "es")
CASES = [(addon, language) for addon in ADDONS for language in LANGUAGES]

PRINTF = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
JINJA = re.compile(r"\{\{.*?\}\}", re.S)
TAG = re.compile(r"<[^>]*>")
# Attributes a translator translates inside a tag; every other attribute (t-out, t-att-*, class,
# invisible, style, href...) is code and must come back unchanged.
TRANSLATED_ATTRIBUTE = re.compile(r'\s(?:title|alt|placeholder|aria-label|string|help)="[^"]*"')


def placeholders(text):
    """What a translation must carry over from its term, whatever the language."""
    tags = [TRANSLATED_ATTRIBUTE.sub("", tag) for tag in TAG.findall(text)]
    return Counter(PRINTF.findall(text)) + Counter(JINJA.findall(text)) + Counter(tags)


def po_of(addon, language):
    return polib.pofile(str(REPOSITORY / addon / "i18n" / f"{language}.po"))


def template_terms(addon):
    found = [entry.msgid for entry in polib.pofile(str(REPOSITORY / addon / "i18n" / f"{addon}.pot"))]
    assert len(found) >= ADDONS[addon], f"{addon}.pot holds too few terms to be trusted"
    return found


def untranslated(po, terms):
    translated = {entry.msgid for entry in po if entry.msgstr.strip() and "fuzzy" not in entry.flags}
    return [term for term in terms if term not in translated]


def placeholder_mismatches(po):
    return [
        f"{entry.msgid!r}\n  -> {entry.msgstr!r}"
        for entry in po
        if entry.msgstr and placeholders(entry.msgid) != placeholders(entry.msgstr)
    ]


@pytest.mark.parametrize(("addon", "language"), CASES)
def test_every_term_of_the_pot_is_translated(addon, language):
    missing = untranslated(po_of(addon, language), template_terms(addon))
    listing = "\n".join(f"  msgid {term!r}" for term in missing)
    assert (
        not missing
    ), f"{addon} {language}.po lacks {len(missing)} of the .pot's terms (or has them fuzzy):\n{listing}"


@pytest.mark.parametrize(("addon", "language"), CASES)
def test_translations_keep_the_placeholders_of_their_term(addon, language):
    mismatches = placeholder_mismatches(po_of(addon, language))
    assert not mismatches, (
        f"{addon} {language}.po changes placeholders, tags or t-* attributes:\n" + "\n".join(mismatches)
    )


@pytest.mark.parametrize(("addon", "language"), CASES)
def test_po_header_names_the_language_and_its_plural_forms(addon, language):
    metadata = po_of(addon, language).metadata
    assert metadata.get("Language") == language
    assert metadata.get("Plural-Forms", "").startswith("nplurals=")
    assert "charset=UTF-8" in metadata.get("Content-Type", "")


def test_placeholder_check_sees_what_a_translator_can_break():
    term = '<p>Hello <t t-out="object.name">you</t>, %(count)s of %s for {{ object.x }}</p>'
    kept = '<p>Bonjour <t t-out="object.name">vous</t>, %(count)s sur %s pour {{ object.x }}</p>'
    broken = (
        '<p>Bonjour <t t-out="object.nom">vous</t>, %(count)s sur %s {{ object.x }}</p>',
        '<p>Hallo <t t-out="object.name">Sie</t>, %(anzahl)s von %s {{ object.x }}</p>',
        '<p>Hola <t t-out="object.name">usted</t>, %(count)s de {{ object.x }}</p>',
        '<p>Hola <t t-out="object.name">usted</t>, %(count)s de %s {{ object.y }}</p>',
        "<p>Hola <t>usted</t>, %(count)s de %s {{ object.x }}</p>",
    )
    assert placeholders(term) == placeholders(kept)
    for translation in broken:
        assert placeholders(term) != placeholders(translation), translation
