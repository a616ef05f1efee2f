"""Documents built in the tests from the five source texts: PDF (reportlab), DOCX
(python-docx) and HTML (a page with navigation and scripts around the main content)."""

import io
import json
from html import escape
from pathlib import Path

from .sourcetext import strip_conversion_marks

SOURCES = Path(__file__).resolve().parents[2] / "shared" / "sources"
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed.json"
# The seed's document ids and the files their text came from.
FILES = {
    1: "2002-08-14-canada-letter-transmitting-iciss-report.txt",
    2: "2005-canada-international-policy-statement-diplomacy-excerpt.txt",
    3: "2011-07-12-canada-statement-unga-r2p-regional-dialogue.txt",
    4: "2016-09-06-canada-statement-unga-r2p-dialogue.txt",
    5: "canada-foreign-affairs-r2p-page.txt",
}


def blocks_of(filename: str) -> list[tuple[str, bool]]:
    """(text, is heading) of each paragraph of a source file, conversion marks removed."""
    raw = (SOURCES / filename).read_text(encoding="utf-8")
    blocks = []
    for chunk in raw.split("\n\n"):
        if not chunk.strip():
            continue
        heading = chunk.lstrip().startswith("#")
        text = " ".join(strip_conversion_marks(chunk).split())
        blocks.append((text, heading))
    return blocks


def seed_quotes() -> dict[int, list[tuple[str, str]]]:
    """Each seed document's quotes: (text, role of its first link)."""
    data = json.loads(SEED.read_text(encoding="utf-8"))
    quotes = {row["pk"]: row["fields"] for row in data if row["model"] == "commitments.quote"}
    roles: dict[int, str] = {}
    for row in data:
        if row["model"] == "commitments.commitmentquote":
            fields = row["fields"]
            if roles.get(fields["quote"]) != "made":
                roles[fields["quote"]] = fields["role"]
    by_document: dict[int, list[tuple[str, str]]] = {}
    for pk, fields in quotes.items():
        by_document.setdefault(fields["source"], []).append((fields["text"], roles.get(pk, "")))
    return by_document


def wrapped(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters. A word that does not fit at a line end is split
    with a hyphen as a typesetter would: at its own hyphen when it has one ("Fifty-" /
    "seventh"), else between letters ("respon-" / "sibility") when it is long enough."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line = candidate
            continue
        room = width - len(line) - (1 if line else 0)
        own = word.find("-")
        if 0 < own < room - 1 and word[own + 1 :][:1].isalpha():
            lines.append(f"{line} {word[: own + 1]}".strip())
            line = word[own + 1 :]
        elif word.isalpha() and len(word) >= 8 and room >= 5:
            cut = min(room - 1, len(word) - 3)
            lines.append(f"{line} {word[:cut]}-".strip())
            line = word[cut:]
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def pdf_bytes(
    blocks: list[tuple[str, bool]], *, header: str = "", lines_per_page: int = 40, width: int = 80
) -> tuple[bytes, dict[str, int]]:
    """A PDF of the blocks, with a running header and "Page N" footer on every page; and
    the page each block starts on (by its first 60 characters)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pages: dict[str, int] = {}
    page, line_count = 1, 0

    def start_page():
        pdf.setFont("Helvetica", 9)
        if header:
            pdf.drawString(72, 800, header)
        pdf.drawString(280, 40, f"Page {page}")
        pdf.setFont("Helvetica", 11)

    start_page()
    for text, heading in blocks:
        lines = wrapped(text, width)
        if line_count + 2 > lines_per_page:
            pdf.showPage()
            page, line_count = page + 1, 0
            start_page()
        pages.setdefault(text[:60], page)
        for line in lines:
            if line_count >= lines_per_page:
                pdf.showPage()
                page, line_count = page + 1, 0
                start_page()
            pdf.setFont("Helvetica-Bold" if heading else "Helvetica", 11)
            pdf.drawString(72, 770 - 17 * line_count, line)
            line_count += 1
        line_count += 1  # the blank line between paragraphs
    pdf.showPage()
    pdf.save()
    return buffer.getvalue(), pages


def docx_bytes(blocks: list[tuple[str, bool]]) -> bytes:
    import docx

    document = docx.Document()
    for text, heading in blocks:
        if heading:
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def html_bytes(blocks: list[tuple[str, bool]], title: str = "Statement") -> bytes:
    body = "\n".join(f"<h2>{escape(text)}</h2>" if heading else f"<p>{escape(text)}</p>" for text, heading in blocks)
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<script>var tracking = "Canada will never appear";</script><style>p {{ color: red; }}</style></head>
<body><header><nav><a href="/">Home</a> <a href="/fr/">Français</a></nav></header>
<main>{body}</main>
<footer><p>Date modified: 2016-09-07. Canada will report problems on this page.</p></footer></body></html>"""
    return page.encode("utf-8")
