"""Is the file what it claims, and safe to open? Checked before any reader touches it."""

import re
import zipfile
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ...models import MediaType
from .reading import IngestionRefused

_CLAIMS = {
    ".pdf": MediaType.PDF,
    ".docx": MediaType.DOCX,
    ".html": MediaType.HTML,
    ".htm": MediaType.HTML,
    ".xhtml": MediaType.HTML,
    ".txt": MediaType.TEXT,
    ".text": MediaType.TEXT,
    ".md": MediaType.MARKDOWN,
    ".markdown": MediaType.MARKDOWN,
}
_TEXT_TYPES = (MediaType.TEXT, MediaType.MARKDOWN)
_HTML_TAG = re.compile(rb"<(?:!doctype\s+html|html|head|body|p|div|h[1-6]|article|main)\b", re.IGNORECASE)
# A DOCX is a ZIP: its declared sizes bound what reading it can inflate to (zipfile never
# inflates an entry past its declared size), so they are checked before python-docx opens it.
DOCX_MAX_ENTRIES = 2000
DOCX_MAX_INFLATED_BYTES = 100 * 1024 * 1024
DOCX_MAX_RATIO = 100


def claimed_type(name: str) -> str | None:
    return _CLAIMS.get(PurePath(name).suffix.lower())


def sniff(content: bytes) -> str | None:
    """The media type the content itself shows, or None for a binary file we do not read."""
    head = content[:8192]
    if b"%PDF-" in head[:1024]:
        return MediaType.PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        return MediaType.DOCX if "word/document.xml" in names else None
    if b"\x00" in head:
        return None
    if _HTML_TAG.search(head):
        return MediaType.HTML
    return MediaType.TEXT


def _described(media_type: str | None) -> str:
    return str(MediaType(media_type).label) if media_type else _("a binary file of another kind")


def checked_type(*, name: str, content: bytes) -> str:
    """The media type to read the file as; refused if it is empty, too big, or not what its
    name claims."""
    limit = settings.DOCUMENT_UPLOAD_MAX_BYTES
    if not content:
        raise IngestionRefused(_("This file is empty (0 bytes)."))
    if len(content) > limit:
        raise IngestionRefused(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(len(content)), "limit": filesizeformat(limit)}
        )
    found = sniff(content)
    claim = claimed_type(name)
    if found is None:
        raise IngestionRefused(_("This file is not a PDF, Word (DOCX), HTML, Markdown or plain-text document."))
    if found == MediaType.DOCX:
        check_archive(content)
    if claim is None:
        return found
    if claim in _TEXT_TYPES and found in (MediaType.TEXT, MediaType.HTML):
        # Markdown and plain text may hold a tag or two; the name decides how to read them.
        return claim
    if claim != found:
        raise IngestionRefused(
            _("This file is named as %(claim)s but its content is %(found)s.")
            % {"claim": MediaType(claim).label, "found": _described(found)}
        )
    return found


def check_archive(content: bytes) -> None:
    """Refuse a DOCX that would inflate far beyond its size (a zip bomb)."""
    with zipfile.ZipFile(BytesIO(content)) as archive:
        entries = archive.infolist()
    inflated = sum(entry.file_size for entry in entries)
    too_dense = any(
        entry.file_size > 1024 * 1024 and entry.file_size > DOCX_MAX_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if len(entries) > DOCX_MAX_ENTRIES or inflated > DOCX_MAX_INFLATED_BYTES or too_dense:
        raise IngestionRefused(
            _(
                "This Word file would expand to %(size)s when opened (a “zip bomb”); it was not opened. "
                "Save it again from Word, without embedded files."
            )
            % {"size": filesizeformat(inflated)}
        )
