"""Writes to documents and quotes: a quote is always found verbatim in its document."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Commitment, Quote, SourceDocument
from ..models.textmatch import in_document_characters
from . import roles
from .commitments import refresh_primary_source
from .roles import Actor, require


@transaction.atomic
def save_document(*, document: SourceDocument, actor: Actor | None = None) -> SourceDocument:
    """Save a document; refused if its text would no longer contain one of its quotes."""
    if document.pk is None or not SourceDocument.objects.filter(pk=document.pk).exists():
        require(actor, roles.ADD_DOCUMENT, _("You may not add documents."))
    else:
        require(actor, roles.CHANGE_DOCUMENT, _("You may not change documents."))
    document.full_clean()
    document.save()
    # Its title or date may change which commitments it heads in the source sort.
    refresh_primary_source(Commitment.objects.filter(quote_links__quote__source=document))
    return document


@transaction.atomic
def save_quote(*, quote: Quote, actor: Actor | None = None) -> Quote:
    """Save a quote; refused unless it occurs verbatim in its document."""
    if quote.pk is None or not Quote.objects.filter(pk=quote.pk).exists():
        require(actor, roles.ADD_QUOTE, _("You may not add quotes."))
    else:
        require(actor, roles.CHANGE_QUOTE, _("You may not change quotes."))
    quote.full_clean()
    # Typed with ' where the document has ’: stored with the document's own characters.
    quote.text = in_document_characters(quote.source.full_text, quote.text)
    quote.save()
    # It may have moved to another document.
    refresh_primary_source(Commitment.objects.filter(quote_links__quote=quote))
    return quote
