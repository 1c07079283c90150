"""Adds translations to the .po files from a table {msgid: [fr, de, es]}, copying each term's occurrences and
flags from the .pot; drops the terms the .pot no longer has; lists the .pot's terms still untranslated.
A maintainer's tool, not part of the build.

    .venv/bin/python scripts/po_add.py table.py [addon]   (a Python file defining T = {...}; zoom_training)
"""

import runpy
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("fr", "de", "es")
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
}


def po_file(path, language, pot):
    """The language's .po, or a new one with the .pot's header for that language."""
    if path.exists():
        return polib.pofile(str(path))
    po = polib.POFile()
    po.metadata = dict(pot.metadata, Language=language, **{"Plural-Forms": PLURAL_FORMS[language]})
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save(str(path))
    return polib.pofile(str(path))


def add(table, addon="zoom_training"):
    i18n = ROOT / addon / "i18n"
    pot = polib.pofile(str(i18n / f"{addon}.pot"))
    for index, language in enumerate(LANGUAGES):
        po = po_file(i18n / f"{language}.po", language, pot)
        current = {template.msgid for template in pot}
        for obsolete in [entry for entry in po if entry.msgid not in current]:
            po.remove(obsolete)
        known = {entry.msgid: entry for entry in po}
        for template in pot:
            translations = table.get(template.msgid)
            if not translations:
                continue
            entry = known.get(template.msgid)
            if entry is None:
                entry = polib.POEntry(msgid=template.msgid)
                po.append(entry)
            entry.msgstr = translations[index]
            entry.occurrences = template.occurrences
            entry.flags = list(template.flags)
            entry.comment = template.comment
        po.save()
        missing = [
            template.msgid
            for template in pot
            if not (known.get(template.msgid) or polib.POEntry()).msgstr and template.msgid not in table
        ]
        print(f"{language}: {len(missing)} terms of the .pot still untranslated")


if __name__ == "__main__":
    add(runpy.run_path(sys.argv[1])["T"], *sys.argv[2:3])
