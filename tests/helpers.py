"""Plain functions the tests share: reading responses, forms and exports, and the environment.

No test module imports another test module: what two of them use lives here, fixtures live
in conftest.py, and rows are built in factories.py. This module touches no model, so it
imports without Django being set up (bench/load_and_faults.py reads forms with it).
tests/test_layout.py checks both.
"""

import csv
import io
import os
import re
import shutil
from html.parser import HTMLParser

from django.core.management import call_command
from django.urls import reverse

IN_CI = os.environ.get("CI", "").lower() == "true"


def chromium_path() -> str | None:
    return shutil.which("chromium")


def load_seed() -> None:
    """The real data set shipped in fixtures/."""
    call_command("loaddata", "fixtures/seed.json", verbosity=0)


def text_of(response) -> str:
    """The body a reader receives, for streamed and ordinary responses alike."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def form_fields(html: str, form_id: str) -> dict[str, str]:
    """The values a browser would submit for the form `form_id`, read from the page."""

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.inside = False
            self.values: dict[str, str] = {}
            self.textarea: str | None = None
            self.select: str | None = None
            self.first_option: str | None = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and attrs.get("id") == form_id:
                self.inside = True
            if not self.inside:
                return
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
                if attrs.get("type") in ("checkbox", "radio"):
                    if "checked" in attrs:
                        self.values[name] = attrs.get("value", "on")
                else:
                    self.values[name] = attrs.get("value", "")
            elif tag == "textarea" and name:
                self.textarea = name
                self.values[name] = ""
            elif tag == "select" and name:
                self.select = name
                self.first_option = None
            elif tag == "option" and self.select:
                value = attrs.get("value", "")
                if self.first_option is None:
                    self.first_option = value
                if "selected" in attrs:
                    self.values[self.select] = value

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "textarea":
                self.textarea = None
            elif tag == "select" and self.select:
                self.values.setdefault(self.select, self.first_option or "")
                self.select = None

        def handle_data(self, data):
            if self.textarea:
                self.values[self.textarea] += data

    reader = Reader()
    reader.feed(html)
    # A browser drops the leading newline Django writes after <textarea>.
    return {k: (v[1:] if v.startswith("\n") else v) for k, v in reader.values.items()}


def csv_rows(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, text_of(response)
    body = text_of(response)
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:], newline="")))


def titles_in(response) -> list[str]:
    """Commitment titles in table order, as a reader sees them."""
    html = response.content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return re.findall(r'<th scope="row"[^>]*><a href="/commitments/[^"]+/">([^<]+)</a>', body)


def change_url(obj) -> str:
    """The admin's change page for a model instance."""
    return reverse(f"admin:commitments_{obj._meta.model_name}_change", args=[obj.pk])
