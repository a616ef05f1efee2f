"""Bring in a new document from a file, and turn what an analyst confirms into quotes and
draft commitments. The admin's upload page and `manage.py ingest_document` both call
`ingest_document`; nothing is written unless the whole file was read."""

import hashlib
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ...models import (
    Commitment,
    CommitmentQuote,
    DocumentFile,
    DocumentKind,
    Language,
    MediaType,
    Passage,
    Quote,
    QuoteRole,
    SourceDocument,
    Suggestion,
    SuggestionState,
)
from ...models.textmatch import find_passage
from .. import roles
from ..commitments import attach_quote, save_commitment
from ..roles import Actor, require
from ..sources import save_document, save_quote
from .extract import extract
from .reading import IngestionRefused
from .suggestions import describe, suggest

__all__ = [
    "IngestionRefused",
    "describe",
    "dismiss_suggestion",
    "draft_commitment",
    "ingest_document",
    "locator_of",
    "quote_from_passage",
    "quote_from_suggestion",
]


def _unique_slug(model, text: str) -> str:
    base = slugify(text)[:100].strip("-") or "document"
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def ingest_document(
    *,
    name: str,
    content: bytes,
    title: str = "",
    language: str | None = None,
    kind: str | None = None,
    actor: Actor | None = None,
) -> SourceDocument:
    """Read the file, then create the document (a draft until a published commitment quotes
    it), its passages and suggestions, and keep the original. Raises IngestionRefused, with
    the reason, before anything is written."""
    require(actor, roles.ADD_DOCUMENT, _("You may not add documents."))
    media_type, extracted = extract(name=name, content=content, language=language)
    if language not in Language.values:
        languages = extracted.languages
        language = Language.BILINGUAL if len(languages) > 1 else next(iter(languages))
    title = (title or extracted.title or PurePath(name).stem)[:300]
    document = SourceDocument(
        slug=_unique_slug(SourceDocument, title),
        title=title,
        kind=kind or (DocumentKind.WEB_PAGE if media_type == MediaType.HTML else DocumentKind.STATEMENT),
        issued_on=None,
        language=language,
        full_text=extracted.text,
        notes=_("Brought in from the file “%(name)s”; check the title, date and kind.") % {"name": name},
    )
    save_document(document=document, actor=actor)
    Passage.objects.bulk_create(
        Passage(document=document, start=span.start, end=span.end, locator=span.locator, language=span.language)
        for span in extracted.spans
    )
    known = list(
        CommitmentQuote.objects.filter(role=QuoteRole.MADE).values_list("commitment_id", "quote__text").order_by("pk")
    )
    Suggestion.objects.bulk_create(
        Suggestion(
            document=document,
            start=item.start,
            end=item.end,
            text=item.text,
            language=item.language,
            kind=item.kind,
            reasons=",".join(item.reasons)[:200],
            figure=item.figure[:100],
            score=item.score,
            restatement_of_id=item.restatement_of,
        )
        for item in suggest(extracted.text, extracted.spans, known)
    )
    original = DocumentFile(
        document=document,
        original_name=PurePath(name).name[:255],
        media_type=media_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    # A random name: the storage is never served, and a name must not tell what a draft holds.
    original.file.save(f"{uuid.uuid4().hex}{PurePath(name).suffix.lower()[:10]}", ContentFile(content), save=False)
    try:
        original.full_clean(exclude=["document"])
        original.save()
    except Exception:
        original.file.delete(save=False)
        raise
    return document


def locator_of(document: SourceDocument, start: int, end: int) -> str:
    """Where start:end lies in the original, read from the document's passages."""
    passages = list(document.passages.filter(start__lt=max(end, start + 1), end__gt=start).order_by("start"))
    if not passages:
        return ""
    first, last = passages[0].locator, passages[-1].locator
    if first == last:
        return first
    if first.startswith("page ") and last.startswith("page "):
        return f"pages {first.removeprefix('page ')}–{last.removeprefix('page ')}"
    return f"{first} to {last}"[:200]


def _language_at(document: SourceDocument, start: int) -> str:
    passage = document.passages.filter(start__lte=start).order_by("-start").first()
    if passage is not None:
        return passage.language
    return "fr" if document.language == Language.FRENCH else "en"


@transaction.atomic
def _quote_span(*, document: SourceDocument, start: int, end: int, actor: Actor | None) -> Quote:
    quote = Quote(
        source=document,
        text=document.full_text[start:end],
        language=_language_at(document, start),
        locator=locator_of(document, start, end),
    )
    return save_quote(quote=quote, actor=actor)


@transaction.atomic
def quote_from_suggestion(*, suggestion: Suggestion, actor: Actor | None = None) -> Quote:
    """The suggested sentence as a quote: its words are a slice of the text, its locator derived."""
    document = suggestion.document
    if document.full_text[suggestion.start : suggestion.end] != suggestion.text:
        raise ValidationError(_("The document's text has changed since this sentence was suggested."))
    if suggestion.quote_id is not None:
        return suggestion.quote  # type: ignore[return-value]
    quote = _quote_span(document=document, start=suggestion.start, end=suggestion.end, actor=actor)
    suggestion.quote = quote
    suggestion.state = SuggestionState.QUOTED
    suggestion.save(update_fields=["quote", "state"])
    return quote


@transaction.atomic
def quote_from_passage(*, document: SourceDocument, text: str, actor: Actor | None = None) -> Quote:
    """Any passage the analyst selected in the text (white space may differ) as a quote."""
    span = find_passage(document.full_text, text)
    if span is None:
        raise ValidationError(_("This passage does not occur word for word in the document's text."))
    return _quote_span(document=document, start=span[0], end=span[1], actor=actor)


@transaction.atomic
def dismiss_suggestion(*, suggestion: Suggestion, actor: Actor | None = None) -> Suggestion:
    require(actor, roles.CHANGE_DOCUMENT, _("You may not change documents."))
    suggestion.state = SuggestionState.DISMISSED
    suggestion.save(update_fields=["state"])
    return suggestion


@transaction.atomic
def draft_commitment(*, quote: Quote, commitment: Commitment, actor: Actor | None = None) -> Commitment:
    """A draft commitment made by `quote` (its fields as the analyst wrote them)."""
    commitment.slug = commitment.slug or _unique_slug(Commitment, commitment.title)
    commitment.is_published = False
    save_commitment(commitment=commitment, actor=actor)
    attach_quote(commitment=commitment, quote=quote, role=QuoteRole.MADE, actor=actor)
    return commitment
