"""The table pages and their CSV exports: one Listing each."""

from django.http import HttpRequest, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .. import listings
from ..exports.cache import answered_from_memory
from ..exports.writer import stream_csv
from ..listings import InvalidFilters, Listing
from ..listings.tables import PAGE_SIZE, TablePaginator


class ListingView(SingleTableMixin, FilterView):
    """A listing's table page with its filters and a link to the same rows as CSV."""

    # Set by a subclass or by as_view(listing=…), which takes only names the class already has.
    listing: Listing = None  # type: ignore[assignment]
    # The table paginates (and falls back to the nearest page on a bad ?page=);
    # paginate_by would make ListView paginate too, and 404 instead.
    table_pagination = {"per_page": PAGE_SIZE, "paginator_class": TablePaginator}

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
        export_url = reverse(self.listing.export_url_name)
        context["export_url"] = f"{export_url}?{query.urlencode()}" if query else export_url
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


@method_decorator(answered_from_memory, name="get")
class ListingExportView(View):
    """A listing's rows, with the page's filters and sort, streamed as CSV (a repeat
    download, from memory while the data is unchanged)."""

    # Set by a subclass or by as_view(listing=…), which takes only names the class already has.
    listing: Listing = None  # type: ignore[assignment]

    def get(self, request: HttpRequest) -> HttpResponseBase:
        try:
            rows = self.listing.export_rows(request.GET)
        except InvalidFilters as invalid:
            message = render_to_string("commitments/export_error.txt", {"errors": invalid.errors}, request=request)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return stream_csv(
            columns=self.listing.columns(absolute_url=request.build_absolute_uri),
            rows=rows,
            filename_stem=self.listing.name,
        )
