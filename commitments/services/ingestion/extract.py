"""From a file's bytes to the document's text with its passages: check it, then read it."""

from ...models import MediaType
from .files import checked_type
from .pdf import read_pdf
from .plain import read_markdown, read_text
from .reading import Extracted, assemble
from .web import read_html
from .word import read_docx


def extract(*, name: str, content: bytes, language: str | None = None) -> tuple[str, Extracted]:
    """The media type the file was read as, and its text. Raises IngestionRefused with the
    reason when the file cannot become a document; nothing is written either way."""
    media_type = checked_type(name=name, content=content)
    default = language if language in ("en", "fr") else "en"
    title = ""
    if media_type == MediaType.PDF:
        blocks, title = read_pdf(content)
    elif media_type == MediaType.DOCX:
        blocks, title = read_docx(content)
    elif media_type == MediaType.HTML:
        blocks, title = read_html(content)
    elif media_type == MediaType.MARKDOWN:
        blocks = read_markdown(content)
    else:
        blocks = read_text(content)
    extracted = assemble(blocks, title=title, default_language=default)
    if language in ("en", "fr"):
        # The analyst said which language the whole document is in: that overrides the guess.
        extracted.spans = [span.__class__(span.start, span.end, span.locator, language) for span in extracted.spans]
    return media_type, extracted
