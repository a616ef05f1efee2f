"""The filters' widgets, written in Python: a <select> for long lists (1,000 documents a
page) and a text box, each a template render in Django (a millisecond for the search box)."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..formatting import escaped

MARK = {True: " selected", False: ""}


class QuickSelect(forms.Select):
    """A <select> for long, flat option lists, rendered in Python.

    Django renders a template for every <option>: with 1,000 source documents that was
    most of the commitments page's time. No option groups, no per-option attributes.
    (html.escape is what django.utils.html.escape calls, without its lazy-string check.)
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        choices = list(self.choices)
        keys = [str(key) for key, _label in choices]
        texts = _escaped(keys)
        labels = _escaped([str(label) for _key, label in choices])
        options = "".join(
            f'<option value="{text}"{MARK[key in selected]}{_lang(choice[1])}>{label}</option>'
            for key, text, label, choice in zip(keys, texts, labels, choices, strict=True)
        )
        attributes = flatatt({"name": name, **self.build_attrs(self.attrs, attrs)})
        return format_html("<select{}>{}</select>", attributes, mark_safe(options))  # each part escaped above


class QuickTextInput(forms.TextInput):
    """A text box (any <input> type) rendered in Python as Django's input.html writes it."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        own = {"type": self.input_type, "name": name} | ({} if value is None else {"value": value})
        attributes = {**own, **self.build_attrs(self.attrs, attrs)}
        # As attrs.html writes them: in order, True as the bare name, False not at all, None as
        # "None" (Django's own quirk), safe text as it is.
        written = "".join(
            f" {key}" if given is True else f' {key}="{escaped(given)}"'
            for key, given in attributes.items()
            if given is not False
        )
        return mark_safe(f"<input{written}>")  # each value escaped above


def _escaped(texts: list[str]) -> list[str]:
    """Each text escaped, in one pass over them all (html.escape leaves NUL alone): a
    thousand documents' titles one call each were a tenth of a table page."""
    joined = "\0".join(texts)
    if joined.count("\0") != max(len(texts) - 1, 0):  # a text holding a NUL itself
        return [escape(text) for text in texts]
    return escape(joined).split("\0") if texts else []


class Titled(str):
    """An option's label that says its language (a document's title, in English on a French
    page); a str, so Django's validation and the cache treat it as the label it is."""

    language = ""

    def __new__(cls, text: str, language: str):
        label = super().__new__(cls, text)
        label.language = language
        return label

    def __reduce__(self):
        return Titled, (str(self), self.language)


def _lang(label) -> str:
    language = getattr(label, "language", "")
    return _LANG_ATTRIBUTES.get(language) or (f' lang="{escape(language)}"' if language else "")


_LANG_ATTRIBUTES = {"en": ' lang="en"', "fr": ' lang="fr"'}
