"""Word (DOCX): the body's paragraphs and tables in order; Heading and Title styles start sections."""

from io import BytesIO

import docx
from django.utils.translation import gettext as _
from docx.table import Table
from docx.text.paragraph import Paragraph

from .reading import Block, IngestionRefused, numbered_paragraphs


def _is_heading(paragraph: Paragraph) -> bool:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    return style.startswith(("Heading", "Title", "Titre"))


def read_docx(content: bytes) -> tuple[list[Block], str]:
    try:
        document = docx.Document(BytesIO(content))
    except Exception as error:  # python-docx raises many kinds (KeyError, XMLSyntaxError, …) on a broken file
        raise IngestionRefused(
            _("This Word file could not be read (%(error)s).") % {"error": type(error).__name__}
        ) from error
    items: list[tuple[str, bool]] = []
    for part in document.iter_inner_content():
        if isinstance(part, Table):
            for row in part.rows:
                for cell in row.cells:
                    items.extend((paragraph.text, False) for paragraph in cell.paragraphs)
        else:
            items.append((part.text.replace("\n", " "), _is_heading(part)))
    title = document.core_properties.title or next((text for text, heading in items if heading and text), "")
    return numbered_paragraphs(items), title
