"""Writes to documents and quotes: a quote is always found verbatim in its document."""

from django.db import transaction

from ..models import Commitment, Quote, SourceDocument
from .commitments import refresh_primary_source


@transaction.atomic
def save_document(*, document: SourceDocument) -> SourceDocument:
    """Save a document; refused if its text would no longer contain one of its quotes."""
    document.full_clean()
    document.save()
    # Its title or date may change which commitments it heads in the source sort.
    refresh_primary_source(Commitment.objects.filter(quote_links__quote__source=document))
    return document


@transaction.atomic
def save_quote(*, quote: Quote) -> Quote:
    """Save a quote; refused unless it occurs verbatim in its document."""
    quote.full_clean()
    quote.save()
    # It may have moved to another document.
    refresh_primary_source(Commitment.objects.filter(quote_links__quote=quote))
    return quote
