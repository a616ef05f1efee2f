"""Plain functions the tests share: reading responses, forms and exports, and the environment.

No test module imports another test module: what two of them use lives here, fixtures live
in conftest.py, and rows are built in factories.py. This module touches no model, so it
imports without Django being set up (bench/load_and_faults.py reads forms with it).
tests/test_layout.py checks both.
"""

import csv
import datetime
import http.client
import io
import os
import re
import shutil
import threading
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlencode

import openpyxl
from django.core.management import call_command
from django.urls import reverse

IN_CI = os.environ.get("CI", "").lower() == "true"

# Cell text that a spreadsheet would run, or that CSV and XML must quote or escape: the
# exports' tests write it into every text field (conftest.hostile_updates).
HOSTILE = [
    '=HYPERLINK("http://x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tlead",
    "\rlead",
    'a "quoted", comma\nline',
    "é à ç",
    "<b>&amp; a bell\x07</b>",
]


def chromium_path() -> str | None:
    return shutil.which("chromium")


def load_seed() -> None:
    """The real data set shipped in fixtures/, with its revision's corrections recorded
    through the services, as `manage.py load_seed` loads it (without its audit-trail step)."""
    # Imported here: this module imports without Django set up (bench/load_and_faults.py).
    from commitments.management.seed_revision import apply_revision

    call_command("loaddata", "fixtures/seed.json", verbosity=0)
    apply_revision()


def text_of(response) -> str:
    """The body a reader receives, for streamed and ordinary responses alike; an XLSX's
    cells, every sheet's, one per line."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        return xlsx_text(body)
    if response.get("Content-Type", "").startswith("image/"):
        # Pixels, not words (random bytes may spell anything): a card image is compared byte
        # for byte with and without a pending update (test_drafts_never_leak).
        return ""
    return body.decode("utf-8")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_csv_text(cell, header: str) -> str:
    """What the CSV writes for the value an XLSX cell holds."""
    # Here, not at the top: importing the app needs Django set up, and this module must not.
    from commitments.exports.cells import spreadsheet_safe

    value = cell.value
    if value is None:
        return ""
    if header.endswith("_percent"):
        assert cell.number_format == "0%"
        return str(round(value * 100))
    if isinstance(value, datetime.datetime):
        if header == "recorded_at":
            return value.replace(tzinfo=datetime.UTC).isoformat()
        assert value.time() == datetime.time(0), header  # a date column, read back by openpyxl
        return value.date().isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        assert cell.data_type == "n"
        return spreadsheet_safe(Decimal(str(value)), numeric=True)
    assert cell.data_type == "s", (header, value)  # text is text: never a formula
    return spreadsheet_safe(value)


def xlsx_text(body: bytes) -> str:
    """Every cell of every sheet of a workbook, as text, one per line."""
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


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


def new_status_update(form: dict, **fields) -> dict:
    """A commitment's admin form (form_fields) with these fields in its blank "record a new
    status update" form (the status updates' inline that takes one)."""
    prefix = next(
        k[: -len("-TOTAL_FORMS")]
        for k in form
        if k.endswith("-TOTAL_FORMS") and "status_updates" in k and form.get(k.replace("TOTAL", "MAX_NUM")) == "1"
    )
    return {**form, **{f"{prefix}-0-{name}": value for name, value in fields.items()}}


def change_url(obj) -> str:
    """The admin's change page for a model instance."""
    return reverse(f"admin:commitments_{obj._meta.model_name}_change", args=[obj.pk])


class Browser:
    """One keep-alive HTTP connection with cookies, like one person's browser tab, for a
    server running in another process (gunicorn on loopback)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, bytes]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # gunicorn closed an idle keep-alive connection: open a new one, once.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), content

    def sign_in(self, username: str, password: str) -> None:
        _status, _headers, page = self.request("GET", "/admin/login/")
        form = form_fields(page.decode(), "login-form")
        form.update(username=username, password=password)
        status, _headers, _page = self.request("POST", "/admin/login/", form)
        if status != 302:
            raise RuntimeError(f"{username} could not sign in: HTTP {status}")


def admin_change_page(browser: Browser, slug: str) -> tuple[str, dict[str, str]]:
    """A commitment's change page in the admin, found by its slug: its path and its form."""
    status, _headers, page = browser.request("GET", f"/admin/commitments/commitment/?q={slug}")
    assert status == 200, status
    html = page.decode()
    marker = "/admin/commitments/commitment/"
    start = html.index(marker, html.index('class="field-title"'))
    path = html[start : html.index('"', start)]
    status, _headers, page = browser.request("GET", path)
    assert status == 200, status
    return path, form_fields(page.decode(), "commitment_form")


def save_together(path: str, saves: dict[str, tuple[Browser, dict[str, str]]]) -> dict[str, tuple]:
    """Every browser posts its form to `path` at the same instant; their answers by name."""
    barrier = threading.Barrier(len(saves))
    answers: dict[str, tuple] = {}

    def save(name: str, browser: Browser, form: dict[str, str]) -> None:
        barrier.wait()
        try:
            answers[name] = browser.request("POST", path, {**form, "_continue": "Save and continue editing"})
        except OSError as error:
            browser.connection = None
            answers[name] = (0, {}, str(error).encode())

    threads = [threading.Thread(target=save, args=(name, *pair)) for name, pair in saves.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@dataclass(frozen=True)
class Race:
    """One round of two analysts saving one commitment at once, and what became of it."""

    statuses: list[int]  # the two saves' answers, sorted: [200, 302] is one conflict form, one save
    conflict_shown: bool  # the loser's page says "Not saved" and still holds the loser's edit
    resaved: int  # the loser's answer on saving the form shown again
    both_kept: bool  # afterwards both edits are stored


def race(first: Browser, second: Browser, slug: str, label: str) -> Race:
    """`first` edits the responsible body and `second` the summary of commitment `slug`,
    both from the page as loaded, and both press Save at the same instant; the one refused
    saves the form it is shown again."""
    path, first_form = admin_change_page(first, slug)
    _path, second_form = admin_change_page(second, slug)
    first_edit, second_edit = f"Department of National Defence ({label})", f"{second_form['summary']} ({label})"
    first_form["responsible_body"], second_form["summary"] = first_edit, second_edit
    answers = save_together(path, {"first": (first, first_form), "second": (second, second_form)})
    statuses = sorted(answer[0] for answer in answers.values())
    losers = [name for name, answer in answers.items() if answer[0] == 200]
    conflict_shown, resaved = False, 0
    if len(losers) == 1:
        loser = first if losers[0] == "first" else second
        page = answers[losers[0]][2].decode()
        shown = form_fields(page, "commitment_form")
        own_edit = first_edit if loser is first else second_edit
        conflict_shown = "Not saved:" in page and own_edit in (shown["responsible_body"], shown["summary"])
        resaved = loser.request("POST", path, {**shown, "_continue": "Save"})[0]
    _path, stored = admin_change_page(first, slug)
    both_kept = stored["responsible_body"] == first_edit and stored["summary"] == second_edit
    return Race(statuses, conflict_shown, resaved, both_kept)
