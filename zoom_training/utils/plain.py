"""Sentences for Odoo users, written in plain Python and translated by the model layer.

utils/ may not import Odoo, so it cannot translate. Its sentences are built with `_lt(template, **params)`:
the result is the English text (a `str`, usable as is in logs and tests) that also keeps its template and
parameters, so that `models/zoom_plain.py` renders it again through Odoo's `_()` in the user's language.
Odoo's term extractor collects the first argument of every `_lt(...)` call in the addon's Python files,
this module's included, so the templates land in the .pot like any other code term. Templates use
`%(name)s` placeholders (an f-string could not be extracted); a parameter may itself be a `_lt` sentence.
"""


class PlainText(str):
    """English text that remembers its template and parameters."""

    template: str
    params: dict

    def __new__(cls, template, **params):
        text = super().__new__(cls, template % params if params else template)
        text.template = template
        text.params = params
        return text

    def __reduce__(self):
        # queue_job pickles exceptions and results: rebuild from the template, not from the text
        return _rebuild, (self.template, self.params)

    def render(self, translate):
        """The text again, with `translate(template, **params)` applied to it and to each parameter."""
        params = {
            name: value.render(translate) if isinstance(value, PlainText) else value
            for name, value in self.params.items()
        }
        return translate(self.template, **params) if params else translate(self.template)


def _rebuild(template, params):
    return PlainText(template, **params)


def _lt(template, **params):
    """Marks a translatable sentence of utils/ (see the module's docstring)."""
    return PlainText(template, **params)
