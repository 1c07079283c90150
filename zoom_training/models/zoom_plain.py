"""The sentences of utils/ (`_lt` in utils/plain.py) in the language of the Odoo user."""

from ..utils.plain import PlainText


def zoom_plain(env, text):
    """`text` translated through `env._` when it is a utils/ sentence; any other text as it is."""
    if isinstance(text, PlainText):
        return text.render(lambda template, **params: env._(template, **params))
    return text
