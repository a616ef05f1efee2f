"""Public pages. Thin: querysets come from selectors, rows from the FilterSet and Table."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import selectors
from .exports import commitment_columns, stream_csv
from .filters import CommitmentFilter
from .highlighting import highlighted_paragraphs
from .models import Commitment, SourceDocument
from .tables import CommitmentTable

PAGE_SIZE = 25


class HomeView(TemplateView):
    template_name = "commitments/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = selectors.status_counts()
        context["status_counts"] = counts
        context["total"] = sum(row["count"] for row in counts)
        context["recent_updates"] = selectors.recent_updates()
        return context


class CommitmentListView(SingleTableMixin, FilterView):
    model = Commitment
    table_class = CommitmentTable
    filterset_class = CommitmentFilter
    template_name = "commitments/commitment_list.html"
    # The table paginates (and falls back to the nearest page on a bad ?page=);
    # paginate_by would make ListView paginate too, and 404 instead.
    table_pagination = {"per_page": PAGE_SIZE}

    def get_queryset(self):
        return selectors.commitment_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        export_url = reverse("commitments:commitment-export")
        context["export_url"] = f"{export_url}?{query.urlencode()}" if query else export_url
        return context


def commitment_export(request: HttpRequest) -> HttpResponse:
    """The table's rows, with the same filters and sort, as CSV."""
    filterset = CommitmentFilter(request.GET, queryset=selectors.commitment_list())
    if not filterset.is_valid():
        message = render_to_string("commitments/export_error.txt", {"errors": filterset.errors}, request=request)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    # The table orders its data exactly as the page would for the same ?sort=.
    table = CommitmentTable(filterset.qs, order_by=request.GET.get("sort"))
    rows = table.data.data.iterator(chunk_size=500)
    return stream_csv(
        columns=commitment_columns(absolute_url=request.build_absolute_uri),
        rows=rows,
        filename_stem="commitments",
    )


class CommitmentDetailView(DetailView):
    template_name = "commitments/commitment_detail.html"
    context_object_name = "commitment"

    def get_queryset(self):
        return selectors.commitment_detail()


class SourceListView(ListView):
    template_name = "commitments/source_list.html"
    context_object_name = "documents"

    def get_queryset(self):
        return selectors.source_list()


class SourceDetailView(DetailView):
    template_name = "commitments/source_detail.html"
    context_object_name = "document"

    def get_queryset(self):
        return selectors.source_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document: SourceDocument = self.object
        context["paragraphs"] = highlighted_paragraphs(document.full_text, list(document.quotes.all()))
        return context
