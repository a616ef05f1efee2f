"""What every reader returns: the document's text, built from blocks, with where each passage is."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .language import detect_language, settle_languages

PARAGRAPH_BREAK = "\n\n"
_MAX_HEADING_IN_LOCATOR = 80


class IngestionRefused(ValueError):
    """The file cannot become a document; the message says why, for the analyst."""


@dataclass(frozen=True)
class Block:
    """One paragraph as a reader found it, and its place in the original."""

    text: str
    locator: str
    # A paragraph that runs on across a page break is one block per page, the later ones
    # continuing it (no paragraph break between them in the text, one language).
    continues: bool = False
    # What joins a continuing block to the one before: a space, or nothing when a word was
    # split across the page break.
    joiner: str = " "


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    locator: str
    language: str


@dataclass
class Extracted:
    text: str
    spans: list[Span] = field(default_factory=list)
    title: str = ""

    @property
    def languages(self) -> set[str]:
        return {span.language for span in self.spans}


def assemble(blocks: list[Block], *, title: str = "", default_language: str = "en") -> Extracted:
    """Join the blocks into the full text (paragraphs apart by a blank line) and record where
    each one lies, in which language. Refused when no block has a word in it."""
    blocks = [block for block in blocks if block.text.strip()]
    if not blocks:
        raise IngestionRefused(_("No text was found in this file."))
    # A paragraph's language is decided on the whole paragraph, across page breaks.
    paragraphs: list[list[Block]] = []
    for block in blocks:
        if block.continues and paragraphs:
            paragraphs[-1].append(block)
        else:
            paragraphs.append([block])
    languages = settle_languages(
        [detect_language(" ".join(block.text for block in paragraph)) for paragraph in paragraphs],
        default_language,
    )
    pieces: list[str] = []
    spans: list[Span] = []
    position = 0
    for paragraph, language in zip(paragraphs, languages, strict=True):
        if pieces:
            pieces.append(PARAGRAPH_BREAK)
            position += len(PARAGRAPH_BREAK)
        for index, block in enumerate(paragraph):
            text = block.text.strip()
            if index:
                pieces.append(block.joiner)
                position += len(block.joiner)
            pieces.append(text)
            spans.append(Span(position, position + len(text), block.locator, language))
            position += len(text)
    full_text = "".join(pieces)
    first_line = full_text.split("\n", 1)[0]
    return Extracted(full_text, spans, (title or first_line).strip()[:300])


def numbered_paragraphs(items: list[tuple[str, bool]]) -> list[Block]:
    """Locators are data, in English like the quotes' own (never the reader's language).
    Blocks for a document without pages: each heading starts a section, and each paragraph
    is numbered within the section it is in ("heading “X”, paragraph 2"; "paragraph 3"
    before the first heading)."""
    blocks: list[Block] = []
    heading = ""
    number = 0
    for text, is_heading in items:
        text = text.strip()
        if not text:
            continue
        if is_heading:
            heading = " ".join(text.split())
            if len(heading) > _MAX_HEADING_IN_LOCATOR:
                heading = heading[: _MAX_HEADING_IN_LOCATOR - 1] + "…"
            number = 0
            blocks.append(Block(text, f"heading “{heading}”"))
            continue
        number += 1
        if heading:
            locator = f"heading “{heading}”, paragraph {number}"
        else:
            locator = f"paragraph {number}"
        blocks.append(Block(text, locator))
    return blocks
