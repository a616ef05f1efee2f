"""Documents and quotes in the admin."""

import re
from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .. import services
from ..formatting import format_partial_date
from ..models import DOCUMENT_ORDER, Quote, SourceDocument
from .autocomplete import LabelledChoices
from .common import ReadOnlyHistoryAdmin, SingleQuotationMarks, YearLookupGuard
from .ingestion import IngestionUrls

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


# A word of a search that may be the year a document was issued.
_YEAR = re.compile(r"(1[89]|2[01])\d\d")


class QuoteTotal(TypedDict):
    """What SourceDocumentAdmin.get_queryset annotates (for the type checker's WithAnnotations)."""

    quote_total: int


@admin.register(SourceDocument)
class SourceDocumentAdmin(IngestionUrls, YearLookupGuard, ReadOnlyHistoryAdmin):
    list_display = ("title", "kind", "symbol", "issued", "language", "quote_count")
    list_filter = ("kind", "language")
    search_fields = ("title", "symbol", "author", "venue")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "short_title", "slug", "kind", "symbol", "author", "venue")}),
        (_("Date and language"), {"fields": ("issued_on", "issued_on_precision", "language", "url")}),
        (_("Text"), {"fields": ("full_text", "notes", "suggestions_link")}),
    )
    readonly_fields = ("suggestions_link",)

    def get_queryset(self, request):
        # Aggregating drops Meta.ordering; the quotes' document autocomplete pages through this.
        return super().get_queryset(request).annotate(quote_total=Count("quotes")).order_by(*DOCUMENT_ORDER)

    def save_model(self, request, obj, form, change):
        services.save_document(document=obj, actor=request.user)

    def get_search_results(self, request, queryset, search_term):
        """A year among the words also finds the documents issued that year: an analyst picking
        a quote's document types "2016 statement", and a title seldom says its year."""
        words = search_term.split()
        years = [word for word in words if _YEAR.fullmatch(word)]
        if not years or any(mark in search_term for mark in "\"'"):  # a quoted phrase: Django's own search
            return super().get_search_results(request, queryset, search_term)
        others = " ".join(word for word in words if word not in years)
        results, may_have_duplicates = super().get_search_results(request, queryset, others)
        for year in years:
            in_text = Q()
            for field in self.search_fields:
                in_text |= Q(**{f"{field}__icontains": year})
            results = results.filter(in_text | Q(issued_on__year=int(year)))
        return results, may_have_duplicates

    @admin.display(description=_("issued"), ordering="issued_on")
    def issued(self, document: SourceDocument) -> str:
        return format_partial_date(document.issued_on, document.issued_on_precision)

    @staticmethod
    def autocomplete_label(document: SourceDocument) -> str:
        """A document in a picker (admin.autocomplete): its title and when it was issued."""
        return f"{document.title} ({format_partial_date(document.issued_on, document.issued_on_precision)})"

    @admin.display(description=_("quotes"), ordering="quote_total")
    def quote_count(self, document: "WithAnnotations[SourceDocument, QuoteTotal]") -> int:
        return document.quote_total


@admin.register(Quote)
class QuoteAdmin(LabelledChoices, SingleQuotationMarks, YearLookupGuard, ReadOnlyHistoryAdmin):
    list_display = ("short_text", "source", "language", "locator")
    list_filter = ("language", "source")
    list_select_related = ("source",)
    search_fields = ("text", "source__title", "locator")
    autocomplete_fields = ("source", "translation_of")

    def save_model(self, request, obj, form, change):
        services.save_quote(quote=obj, actor=request.user)

    @admin.display(description=_("quote"), ordering="text")
    def short_text(self, quote: Quote) -> str:
        return str(quote)
