"""Adds translations to the .po files from a table {msgid: [fr, de, es]}, copying each term's occurrences and
flags from the .pot; drops the terms the .pot no longer has; lists the .pot's terms still untranslated.
A maintainer's tool, not part of the build.

    .venv/bin/python scripts/po_add.py table.py   (a Python file defining T = {...})
"""

import runpy
import sys
from pathlib import Path

import polib

I18N = Path(__file__).resolve().parents[1] / "zoom_training" / "i18n"
LANGUAGES = ("fr", "de", "es")


def add(table):
    pot = polib.pofile(str(I18N / "zoom_training.pot"))
    for index, language in enumerate(LANGUAGES):
        po = polib.pofile(str(I18N / f"{language}.po"))
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
    add(runpy.run_path(sys.argv[1])["T"])
