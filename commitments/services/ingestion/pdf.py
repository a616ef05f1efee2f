"""PDF: each page's text in reading order (pypdf's layout mode keeps the blank line between
paragraphs), without the headers, footers and page numbers repeated on every page, and with
a word split by a hyphen at a line end joined again — but only when the hyphen split it."""

import re
from collections import Counter
from io import BytesIO

from django.utils.translation import gettext as _
from pypdf import PdfReader

from .reading import Block, IngestionRefused

_SPACES = re.compile(r"[ \t]{2,}")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/|de|sur)\s*\d{1,4})?$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_HYPHEN_AT_END = re.compile(r"([^\W\d_]+)-$")
_FIRST_WORD = re.compile(r"^([^\W\d_]+)")
# Left halves that make compounds, not syllables ("Fifty-seventh", "post-conflict").
_COMPOUND_LEFT = frozenset(
    "twenty thirty forty fifty sixty seventy eighty ninety non post pre self well cross co ex anti mid "
    "multi semi quasi long short high low like all half vice ill cease".split()
)
_SENTENCE_END = (".", "!", "?", ":", ";", "»", "”", '"', ")")
# A header or footer is a line at the top or bottom of at least this share of the pages.
_REPEATED_SHARE = 0.5
_EDGE_LINES = 2


# The PDF reference (WinAnsiEncoding, note 5): unused codes above 0o40 show the bullet;
# writers such as ReportLab put it at 0x7F, which pypdf passes through as DEL.
_CONTROL = str.maketrans({"\x7f": "•", **{chr(code): None for code in range(32) if chr(code) not in "\n\t"}})


def _page_lines(reader: PdfReader) -> list[list[str]]:
    pages = []
    for page in reader.pages:
        text = (page.extract_text(extraction_mode="layout") or "").translate(_CONTROL)
        pages.append([_SPACES.sub(" ", line).strip() for line in text.split("\n")])
    return pages


def _shape(line: str) -> str:
    """A header's shape: page numbers and dates change from page to page, the rest does not."""
    return re.sub(r"\d+", "#", line.lower())


def _without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    def edges(lines: list[str]) -> list[int]:
        filled = [index for index, line in enumerate(lines) if line]
        return filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]

    seen = Counter(shape for lines in pages for shape in {_shape(lines[i]) for i in edges(lines)})
    repeated = {
        shape for shape, count in seen.items() if len(pages) >= 2 and count >= max(2, _REPEATED_SHARE * len(pages))
    }
    cleaned = []
    for lines in pages:
        drop = {i for i in edges(lines) if _shape(lines[i]) in repeated or _PAGE_NUMBER.match(lines[i])}
        cleaned.append([line if i not in drop else "" for i, line in enumerate(lines)])
    return cleaned


def _vocabulary(pages: list[list[str]]) -> tuple[set[str], set[str]]:
    """Words of the document, and its hyphenated words, as written inside lines."""
    words: set[str] = set()
    hyphenated: set[str] = set()
    for lines in pages:
        for line in lines:
            for word in _WORD.findall(line.rstrip("-").lower()):
                (hyphenated if "-" in word else words).add(word)
    return words, hyphenated


def _joined(left: str, right: str, words: set[str], hyphenated: set[str]) -> str:
    """Join a line ending in a hyphen to the next: drop the hyphen only if it split a word."""
    end = _HYPHEN_AT_END.search(left)
    start = _FIRST_WORD.match(right)
    if end is None or start is None or not start.group(1)[0].islower():
        return left + right if end is not None else f"{left} {right}"
    head, tail = end.group(1).lower(), start.group(1).lower()
    if f"{head}-{tail}" in hyphenated:
        keep = True
    elif f"{head}{tail}" in words:
        keep = False
    else:
        keep = head in _COMPOUND_LEFT
    return left + right if keep else left[:-1] + right


def _paragraphs(lines: list[str], words: set[str], hyphenated: set[str]) -> list[str]:
    paragraphs: list[str] = []
    current = ""
    for line in [*lines, ""]:
        line = line.replace("\u00ad", "")
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
        elif not current:
            current = line
        else:
            current = _joined(current, line, words, hyphenated)
    return paragraphs


def read_pdf(content: bytes) -> tuple[list[Block], str]:
    try:
        reader = PdfReader(BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestionRefused(_("This PDF is encrypted; save an unprotected copy and upload that."))
        pages = _page_lines(reader)
        title = str(reader.metadata.title or "") if reader.metadata else ""
        if title.strip().lower() in {"untitled", "untitled document"}:
            # Writers' placeholder (ReportLab's default), not the document's title.
            title = ""
    except IngestionRefused:
        raise
    except Exception as error:  # pypdf raises many kinds on a damaged file; none may become a 500
        raise IngestionRefused(
            _("This PDF could not be read (%(error)s).") % {"error": type(error).__name__}
        ) from error
    pages = _without_running_lines(pages)
    words, hyphenated = _vocabulary(pages)
    blocks: list[Block] = []
    for number, lines in enumerate(pages, start=1):
        for index, paragraph in enumerate(_paragraphs(lines, words, hyphenated)):
            previous = blocks[-1].text if blocks else ""
            continues = (
                index == 0 and bool(previous) and not previous.endswith(_SENTENCE_END) and paragraph[:1].islower()
            )
            joiner = " "
            if continues and _HYPHEN_AT_END.search(previous):
                # A word split across the page break: its first half stays on its page.
                joiner = ""
                if _joined(previous, paragraph, words, hyphenated) == previous[:-1] + paragraph:
                    blocks[-1] = Block(previous[:-1], blocks[-1].locator, blocks[-1].continues, blocks[-1].joiner)
            blocks.append(Block(paragraph, f"page {number}", continues=continues, joiner=joiner))
    if not blocks:
        raise IngestionRefused(_("This PDF has no text; OCR it first."))
    return blocks, title
