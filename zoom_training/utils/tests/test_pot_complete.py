"""The translation template holds every sentence the Python code marks as translatable (`_`, `_lt`,
`env._`): a sentence added without exporting the .pot again fails here."""

import ast
import re
from pathlib import Path

ADDON = Path(__file__).resolve().parents[2]
MARKERS = {"_", "_lt"}


def marked_sentences():
    found = {}
    for path in ADDON.rglob("*.py"):
        if "tests" in path.relative_to(ADDON).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            first = node.args[0]
            if name in MARKERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, f"{path.relative_to(ADDON)}:{node.lineno}")
    return found


def pot_msgids():
    text = (ADDON / "i18n" / "zoom_training.pot").read_text(encoding="utf-8")
    ids = set()
    for block in re.findall(r'^msgid ((?:".*"\n)+)', text, flags=re.M):
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
        ids.add("".join(parts).encode("latin-1", "backslashreplace").decode("unicode_escape"))
    return ids


def test_every_marked_sentence_is_in_the_pot():
    sentences = marked_sentences()
    assert len(sentences) > 100, "the scan found too few sentences to be trusted"
    missing = {text: where for text, where in sentences.items() if text not in pot_msgids()}
    assert not missing, f"not in i18n/zoom_training.pot (export it again): {missing}"
