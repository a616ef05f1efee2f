"""The stack's ceiling: the same 25 commitments as /commitments/, from the same selector,
in the same order, through a plain view and a plain template loop (no FilterSet, no table
classes). Bench-only; the product never routes here."""

from django.db.models import Prefetch
from django.shortcuts import render

from commitments import selectors
from commitments.models import CommitmentQuote

# The table's ?sort= keys and the order each gives (see CommitmentTable).
ORDERS = {
    "title": ("title",),
    "theme": ("theme",),
    "pillar": ("pillar",),
    "current_status": ("current_status",),
    "target": ("target_value", "title"),
    "progress": ("current_progress", "title"),
    "made_on": ("made_on", "title"),
    "source": ("primary_source_title", "title", "id"),
}
PAGE_SIZE = 25


def commitment_rows(request):
    # What a plain view does: the quote links as model instances (the documents' full texts left out).
    links = CommitmentQuote.objects.select_related("quote__source").order_by(*selectors.LINK_ORDER)
    links = links.only("commitment_id", "quote__source_id", "quote__source__slug", "quote__source__title")
    rows = selectors.commitment_list().prefetch_related(Prefetch("quote_links", queryset=links))
    for field in ("theme", "pillar"):
        if request.GET.get(field):
            rows = rows.filter(**{field: request.GET[field]})
    if request.GET.get("status"):
        rows = rows.filter(current_status=request.GET["status"])
    sort = request.GET.get("sort", "made_on")
    descending = sort.startswith("-")
    order = ORDERS.get(sort.lstrip("-"), ORDERS["made_on"])
    rows = rows.order_by(*(f"-{field}" if descending else field for field in order))
    page = max(1, int(request.GET.get("page", "1")))
    start = (page - 1) * PAGE_SIZE
    context = {"count": rows.count(), "rows": rows[start : start + PAGE_SIZE], "page": page}
    return render(request, "bench/ceiling.html", context)
