"""Public pages. Thin: querysets come from selectors, rows from the FilterSet and Table."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView, TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import dictionary, listings, methodology, selectors
from .charts import progress_chart
from .citation import suggested_citation
from .export_cache import answered_from_memory
from .exports import stream_csv
from .highlighting import highlighted_paragraphs
from .listings import InvalidFilters, Listing
from .models import JUDGED, Commitment, SourceDocument, Status
from .pagination import PAGE_SIZE, TablePaginator
from .stages import readings_by_stage
from .timeline import timeline_entries


class HomeView(TemplateView):
    """The dashboard: headline figures, numeric targets, the latest changes, ways into the table."""

    template_name = "commitments/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts, numeric_total = selectors.status_counts()
        total = sum(row["count"] for row in counts)
        achieved = next(row["count"] for row in counts if row["status"] == Status.ACHIEVED)
        context["status_counts"] = counts
        context["total"] = total
        context["achieved"] = achieved
        context["achieved_percent"] = round(achieved * 100 / total) if total else 0
        context["assessed"] = total - next(row["count"] for row in counts if row["status"] == Status.NOT_ASSESSED)
        context["theme_counts"] = selectors.theme_counts()
        context["numeric"] = selectors.numeric_commitments()
        context["numeric_total"] = numeric_total
        context["recent_updates"] = selectors.recent_updates()
        return context


class ListingView(SingleTableMixin, FilterView):
    """A listing's table page with its filters and a link to the same rows as CSV."""

    listing: Listing | None = None  # set by a subclass or as_view(listing=…)
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

    listing: Listing | None = None  # set by a subclass or as_view(listing=…)

    def get(self, request: HttpRequest) -> HttpResponse:
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


class DataDictionaryView(TemplateView):
    template_name = "commitments/data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["exports"] = dictionary.export_sections()
        context["api"] = dictionary.api_sections()
        context["vocabularies"] = dictionary.vocabularies()
        context["licence"] = settings.DATA_LICENCE
        return context


class CommitmentDetailView(DetailView):
    template_name = "commitments/commitment_detail.html"
    context_object_name = "commitment"

    def get_queryset(self):
        return selectors.commitment_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        commitment: Commitment = self.object
        history = list(commitment.status_updates.all())  # prefetched, public (approved) only
        if commitment.has_target:
            context["chart"] = progress_chart(
                target=commitment.target_value,
                unit=commitment.target_unit,
                since=commitment.made_on,
                since_precision=commitment.made_on_precision,
                updates=history,
            )
        # Each entry written in Python: the template's loop over 100 updates was most of the page.
        context["timeline"] = timeline_entries(history, unit=commitment.target_unit)
        context["stage_readings"] = readings_by_stage(history, target=commitment.target_value)
        context["current_update"] = history[0] if history else None
        # A criterion written after the first verdict is marked, so readers can tell.
        judged = [update.recorded_at for update in history if update.status in JUDGED]
        context["first_assessed_at"] = min(judged) if judged else None
        context["citation"] = suggested_citation(
            commitment,
            url=self.request.build_absolute_uri(commitment.get_absolute_url()),
            accessed_on=timezone.localdate(),
        )
        return context


class CorrectionListView(ListView):
    template_name = "commitments/corrections.html"
    context_object_name = "corrections"
    paginate_by = 50

    def get_queryset(self):
        return selectors.corrections()


class MethodologyView(TemplateView):
    template_name = "commitments/methodology.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["vocabularies"] = methodology.vocabularies()
        context["evidence_rules"] = methodology.EVIDENCE_RULES
        context["method_version"] = methodology.version()
        return context


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
