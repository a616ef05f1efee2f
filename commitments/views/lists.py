"""The table pages and their CSV exports: one Listing each."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .. import listings, search
from ..exports.cache import answered_from_cache
from ..exports.writer import stream_csv
from ..exports.xlsx import Sheet, stream_xlsx
from ..formatting import TRACKER_NAME
from ..listings import InvalidFilters, Listing
from ..listings.rendering import PAGE_SIZE, TablePaginator
from ..models import SearchKind
from .follow import filters_of


class ListingView(SingleTableMixin, FilterView):
    """A listing's table page with its filters and a link to the same rows as CSV."""

    # Set by a subclass or by as_view(listing=…), which takes only names the class already has.
    listing: Listing = None  # type: ignore[assignment]
    # The table paginates (and falls back to the nearest page on a bad ?page=);
    # paginate_by would make ListView paginate too, and 404 instead.
    table_pagination = {"per_page": PAGE_SIZE, "paginator_class": TablePaginator}

    def get(self, request, *args, **kwargs):
        # The filter form sends every field, filled or not: an address to share or bookmark
        # keeps only those filled in (one redirect, no JavaScript needed).
        filled = [(name, value) for name, values in request.GET.lists() for value in values if value != ""]
        if len(filled) < sum(len(values) for _name, values in request.GET.lists()):
            return HttpResponseRedirect(f"{request.path}?{urlencode(filled)}" if filled else request.path)
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and self.filterset.errors:
            # The page with the form's messages, no rows, and a status saying the request was
            # refused (as the CSV and the API refuse it), so no client takes it for a result.
            response.status_code = 400
        return response

    def get_queryset(self):
        return self.listing.rows()

    def get_filterset_class(self):
        return self.listing.filterset_class

    def get_table_class(self):
        return self.listing.table_class

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        suffix = f"?{query.urlencode()}" if query else ""
        context["export_url"] = reverse(self.listing.export_url_name) + suffix
        context["xlsx_url"] = reverse(self.listing.xlsx_url_name) + suffix
        if self.listing.feed_url_name:
            context["feed_url"] = reverse(self.listing.feed_url_name) + filters_of(self.request.GET)
        return context


class CommitmentListView(ListingView):
    listing = listings.COMMITMENTS
    template_name = "commitments/commitment_list.html"

    def get_queryset(self):
        return super().get_queryset().only(*self.listing.table_class.record_fields)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        context["as_of"] = form.cleaned_data.get("as_of") if form.is_valid() else None
        text = form.cleaned_data.get("q") if form.is_valid() else None
        if text and context["table"].paginator.count < search.FEW_RESULTS:
            # "Did you mean troops?": the same filters with the search spelt as the index spells it.
            context["suggestion_urls"] = []
            # Spellings that find commitments, by their own words or their quotes' (as the table).
            kinds = (SearchKind.COMMITMENT, SearchKind.QUOTE)
            for suggested in search.suggestions(text, search.parse(text), kinds=kinds):
                query = self.request.GET.copy()
                query.pop("page", None)
                query["q"] = suggested
                context["suggestion_urls"].append((suggested, f"?{query.urlencode()}"))
        if context["as_of"]:
            query = self.request.GET.copy()
            for name in ("as_of", "page"):
                query.pop(name, None)
            context["today_url"] = f"{self.request.path}?{query.urlencode()}" if query else self.request.path
        return context


class StatusUpdateListView(ListingView):
    listing = listings.STATUS_UPDATES
    template_name = "commitments/update_list.html"


class QuoteListView(ListingView):
    listing = listings.QUOTES
    template_name = "commitments/quote_list.html"


@method_decorator(answered_from_cache, name="get")
class ListingExportView(View):
    """A listing's rows, with the page's filters and sort, streamed as CSV or XLSX (a
    repeat download, from the shared cache while the public data is unchanged)."""

    # Set by a subclass or by as_view(listing=…), which takes only names the class already has.
    listing: Listing = None  # type: ignore[assignment]
    file_format = "csv"  # or "xlsx"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        try:
            rows = self.listing.export_rows(request.GET)
        except InvalidFilters as invalid:
            message = render_to_string("commitments/export_error.txt", {"errors": invalid.errors}, request=request)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        columns = self.listing.columns(absolute_url=request.build_absolute_uri)
        if self.file_format == "xlsx":
            return stream_xlsx(
                sheets=[Sheet(self.listing.name, columns, rows)],
                readme=download_readme(request, self.listing),
                filename_stem=self.listing.name,
            )
        return stream_csv(columns=columns, rows=rows, filename_stem=self.listing.name)


def download_readme(request: HttpRequest, listing: Listing) -> list[tuple[str, str]]:
    """The XLSX's README sheet: what the rows are, how they were chosen, when and where
    they were downloaded, the licence, and how to cite them."""
    filters = "; ".join(f"{name}={value}" for name, value in request.GET.items() if value) or _("none: every row")
    today = timezone.localdate().isoformat()
    address = request.build_absolute_uri()
    table = _("%(tracker)s: %(table)s") % {"tracker": TRACKER_NAME, "table": listing.name}
    return [
        (_("Title"), table),
        (_("Filters and sort"), filters),
        (_("Downloaded on"), today),
        (_("Address"), address),
        (
            _("Columns"),
            _("Each column is described at %(url)s") % {"url": request.build_absolute_uri(reverse("commitments:data"))},
        ),
        (_("Licence"), _(settings.DATA_LICENCE)),  # noqa: INT001 (the default is in the catalogue)
        (
            _("Citation"),
            _("%(table)s (filters: %(filters)s). %(address)s (accessed %(date)s).")
            % {"table": table, "filters": filters, "address": address, "date": today},
        ),
        (
            _("Note"),
            _("Live data: these rows may change. To cite figures that never change, use a dated data release."),
        ),
    ]
