"""Form widgets for the public filter forms."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

MARK = {True: " selected", False: ""}


class QuickSelect(forms.Select):
    """A <select> for long, flat option lists, rendered in Python.

    Django renders a template for every <option>: with 1,000 source documents that was
    most of the commitments page's time. No option groups, no per-option attributes.
    (html.escape is what django.utils.html.escape calls, without its lazy-string check.)
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(str(key))}"{MARK[str(key) in selected]}>{escape(str(label))}</option>'
            for key, label in self.choices
        )
        attributes = flatatt({"name": name, **self.build_attrs(self.attrs, attrs)})
        return format_html("<select{}>{}</select>", attributes, mark_safe(options))  # each part escaped above
