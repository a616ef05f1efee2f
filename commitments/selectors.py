"""Read-side querysets: the one place that knows what each page fetches.

Each function returns everything its page or export shows in a constant number of
queries, whatever the number of rows.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from .models import (
    Commitment,
    CommitmentQuote,
    Quote,
    QuoteRole,
    Restatement,
    ReviewState,
    SourceDocument,
    Status,
    StatusUpdate,
)


def _quote_links_with_sources() -> Prefetch:
    return Prefetch(
        "quote_links",
        queryset=CommitmentQuote.objects.select_related("quote__source").order_by(
            "quote__source__issued_on", "quote_id"
        ),
    )


def _primary_source(field: str) -> Subquery:
    """`field` of the earliest document whose words made the commitment (for sorting)."""
    made_links = CommitmentQuote.objects.filter(commitment=OuterRef("pk"), role=QuoteRole.MADE).order_by(
        "quote__source__issued_on", "quote_id"
    )
    return Subquery(made_links.values(f"quote__source__{field}")[:1])


def commitment_list() -> QuerySet[Commitment]:
    """Published commitments for the table and its CSV export."""
    return (
        Commitment.objects.published()
        .annotate(primary_source_title=_primary_source("title"))
        .prefetch_related(_quote_links_with_sources(), "criteria")
    )


def commitment_detail() -> QuerySet[Commitment]:
    """Published commitments with their quotes (and documents), their full history, and
    `last_updated`: the latest of the audit trail's edits and the recorded status updates."""
    history = (
        StatusUpdate.objects.public()
        .select_related("evidence_quote__source", "corrects", "recorded_by", "reviewed_by")
        .order_by("-as_of", "-recorded_at", "-id")
    )
    last_edit = Commitment.history.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")[:1]
    last_assessment = (
        StatusUpdate.objects.public()
        .filter(commitment=OuterRef("pk"))
        .order_by("-recorded_at")
        .values("recorded_at")[:1]
    )
    return (
        Commitment.objects.published()
        .annotate(
            last_updated=Greatest(
                Coalesce(Subquery(last_edit), "updated_at"), Coalesce(Subquery(last_assessment), "updated_at")
            )
        )
        .prefetch_related(
            _quote_links_with_sources(),
            Prefetch("status_updates", queryset=history),
            "criteria",
            Prefetch("restatements", queryset=Restatement.objects.select_related("quote__source")),
        )
    )


def corrections() -> QuerySet[StatusUpdate]:
    """Public corrections, newest first, each with the update it corrects."""
    return (
        StatusUpdate.objects.public()
        .filter(corrects__isnull=False, corrects__review_state=ReviewState.APPROVED)
        .select_related("commitment", "corrects")
        .order_by("-recorded_at", "-id")
    )


def status_counts() -> list[dict]:
    """Every status with its number of published commitments, zeros included, in vocabulary order."""
    counted = dict(
        Commitment.objects.published()
        .order_by()
        .values_list("current_status")
        .annotate(n=Count("pk"))
        .values_list("current_status", "n")
    )
    return [{"status": status, "label": status.label, "count": counted.get(status.value, 0)} for status in Status]


def status_update_list() -> QuerySet[StatusUpdate]:
    """Status updates of published commitments, for the updates table, its export and the API."""
    # Only the commitment fields the rows show: exports stream 100,000s of these.
    own_fields = [field.name for field in StatusUpdate._meta.concrete_fields]
    return (
        StatusUpdate.objects.public()
        .select_related("commitment")
        .only(*own_fields, "commitment__slug", "commitment__title", "commitment__target_unit")
    )


def _published_links() -> Prefetch:
    return Prefetch(
        "commitment_links",
        queryset=CommitmentQuote.objects.filter(commitment__is_published=True)
        .select_related("commitment")
        .order_by("commitment__made_on", "commitment_id"),
    )


def quote_list() -> QuerySet[Quote]:
    """Quotes that at least one published commitment rests on, with their documents and
    those commitments (never a draft: a quote shared with a draft lists only the others)."""
    published = CommitmentQuote.objects.filter(quote=OuterRef("pk"), commitment__is_published=True)
    return Quote.objects.filter(Exists(published)).select_related("source").prefetch_related(_published_links())


def recent_updates(*, limit: int = 5) -> QuerySet[StatusUpdate]:
    return StatusUpdate.objects.public().select_related("commitment").order_by("-recorded_at", "-as_of", "-id")[:limit]


def source_list() -> QuerySet[SourceDocument]:
    # Aggregating queries ignore Meta.ordering, so the order is stated.
    return SourceDocument.objects.order_by(*SourceDocument._meta.ordering).annotate(
        quote_count=Count("quotes", distinct=True),
        commitment_count=Count(
            "quotes__commitment_links__commitment",
            filter=Q(quotes__commitment_links__commitment__is_published=True),
            distinct=True,
        ),
    )


def source_detail() -> QuerySet[SourceDocument]:
    """Documents with the quotes that published commitments rest on, and those commitments."""
    return SourceDocument.objects.prefetch_related(Prefetch("quotes", queryset=quote_list()))
