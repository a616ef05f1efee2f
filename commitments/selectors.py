"""Read-side querysets: the one place that knows what each page fetches. Each function
returns everything its page or export shows in a constant number of queries."""

import datetime
import functools
from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import get_language

from .models import (
    DOCUMENT_ORDER,
    LINK_ORDER,
    Body,
    Commitment,
    CommitmentQuote,
    DatePrecision,
    FrenchTitle,
    Pillar,
    Quote,
    Restatement,
    SourceDocument,
    StatementKind,
    Status,
    StatusUpdate,
    Theme,
    assessment_due,
    compiled_rows,
    past_deadline,
    percent_of,
)


def _quote_links_with_counterparts() -> Prefetch:
    """As above, plus each quote's same passage in the document's other language."""
    return Prefetch(
        "quote_links",
        queryset=CommitmentQuote.objects.select_related("quote__source", "quote__translation_of__source")
        .prefetch_related(Prefetch("quote__translations", queryset=Quote.objects.select_related("source")))
        .order_by(*LINK_ORDER),
    )


def localized_title() -> FrenchTitle | F:
    """The title readers see in the active language, which each language's sorts end with."""
    return FrenchTitle() if get_language() == "fr" else F("title")


class StatusShown(TypedDict):
    """The names with_status_shown and status_as_of annotate (for the type checker's WithAnnotations)."""

    status_shown: str
    status_shown_as_of: datetime.date | None
    status_shown_as_of_precision: str
    progress_shown: Decimal | None
    reason_shown: str
    progress_stage_shown: str


def with_status_shown(queryset: QuerySet[Commitment]) -> QuerySet[Commitment]:
    """`status_shown` and its companions: the current status, which `status_as_of` may replace."""
    return queryset.annotate(
        status_shown=F("current_status"),
        status_shown_as_of=F("status_as_of"),
        status_shown_as_of_precision=F("status_as_of_precision"),
        progress_shown=F("current_progress"),
        reason_shown=F("current_reason"),
        progress_stage_shown=F("current_progress_stage"),
    )


def status_as_of(queryset: QuerySet[Commitment], day: datetime.date) -> QuerySet[Commitment]:
    """Commitments made by `day`, each with its status as it stood then: that of the latest
    update dated on or before `day` (not yet assessed if none). Subqueries, so one query.

    It re-annotates the names with_status_shown gave, so filters and sorts applied after it
    see the statuses of `day`."""
    # Approved updates only: a pending or returned one never counted for the status.
    history = StatusUpdate.objects.approved().filter(commitment=OuterRef("pk"), as_of__lte=day).newest_first()
    # As refresh_current_status: the counted stage's readings only, where the criteria count one.
    latest_reading = history.filter(progress_value__isnull=False).filter(
        Q(commitment__counted_stage="") | Q(progress_stage=OuterRef("counted_stage"))
    )
    return queryset.filter(made_on__lte=day).annotate(
        status_shown=Coalesce(Subquery(history.values("status")[:1]), Value(Status.NOT_ASSESSED.value)),
        status_shown_as_of=Subquery(history.values("as_of")[:1]),
        status_shown_as_of_precision=Coalesce(
            Subquery(history.values("as_of_precision")[:1]), Value(DatePrecision.DAY.value)
        ),
        progress_shown=Subquery(latest_reading.values("progress_value")[:1]),
        reason_shown=Coalesce(Subquery(history.values("reason_code")[:1]), Value("")),
        progress_stage_shown=Coalesce(Subquery(latest_reading.values("progress_stage")[:1]), Value("")),
    )


def commitment_list() -> QuerySet[Commitment]:
    """Published commitments for the table and its CSV export (filters may move `status_shown`
    to another date with `status_as_of`): a copy, as a view copies its queryset, of one built once."""
    return _published_list(get_language() == "fr").all()


@functools.cache  # one per language (localized_title's), never run, only copied
def _published_list(french: bool) -> QuerySet[Commitment]:
    # Their documents are read as plain values (documents_by_commitment), not prefetched.
    return with_status_shown(Commitment.objects.published().annotate(title_shown=localized_title()))


def documents_by_commitment(commitment_ids, fields: tuple[str, ...] = ("slug", "title")) -> dict[int, list[tuple]]:
    """These `fields` of each commitment's documents, once each, earliest first, as plain values in
    one query (compiled once for a list of ids). `commitment_ids`: a list, or an expression."""
    documents: dict[int, dict[int, tuple]] = {}
    links = compiled_rows(CommitmentQuote, document_links, commitment_ids, tuple(fields))
    for commitment_id, document_id, *values in links:
        documents.setdefault(commitment_id, {}).setdefault(document_id, tuple(values))
    return {commitment_id: list(by_id.values()) for commitment_id, by_id in documents.items()}


def document_links(commitment_ids, fields: tuple[str, ...]) -> QuerySet:
    """Each quote link as (commitment id, document id, *`fields` of the document), in LINK_ORDER."""
    links = CommitmentQuote.objects.filter(commitment_id__in=commitment_ids).order_by(*LINK_ORDER)
    return links.values_list("commitment_id", "quote__source_id", *(f"quote__source__{f}" for f in fields))


def documents_of(commitment: Commitment) -> list:
    """Distinct source documents of a commitment's quotes, from the prefetched links."""
    seen: dict[int, object] = {}
    for link in commitment.quote_links.all():
        seen.setdefault(link.quote.source_id, link.quote.source)
    return list(seen.values())


def document_slugs(commitment_ids: list[int]) -> dict[int, list[str]]:
    """Each commitment's documents' slugs, earliest first: all the API list shows of them."""
    documents = documents_by_commitment(commitment_ids, fields=("slug",))
    return {pk: [slug for (slug,) in documents.get(pk, [])] for pk in commitment_ids}


def assessment_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.ASSESSMENT_MAX_AGE_DAYS)


def commitment_detail(*, drafts: bool = False) -> QuerySet[Commitment]:
    """Published commitments (drafts too, `drafts=True`, for the admin's preview) with
    their quotes (and documents), their full history, and
    `last_updated`: the latest change a person made (an edit in the audit trail by a signed-in
    user, a public status update), not the day the data set was loaded (the history's first
    entries, written by load_seed, name no user): without such a change, the record's own date."""
    # The page and the API show an update's own fields, its evidence quote's words with their
    # document's title and address, and the date of the update it corrects: not who recorded
    # or reviewed it, nor the full texts (a third of the 100-update page's reading time).
    history = (
        StatusUpdate.objects.public()
        .select_related("evidence_quote__source", "corrects")
        .only(
            *(field.name for field in StatusUpdate._meta.concrete_fields),
            "evidence_quote__text",
            "evidence_quote__language",
            "evidence_quote__source__slug",
            "evidence_quote__source__title",
            "evidence_quote__source__language",  # the title's language (SourceDocument.title_language)
            "corrects__as_of",
            "corrects__as_of_precision",
        )
        .newest_first()
    )
    last_edit = (
        Commitment.history.filter(id=OuterRef("pk"), history_user__isnull=False)
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    last_assessment = (
        StatusUpdate.objects.public()
        .filter(commitment=OuterRef("pk"))
        .order_by("-recorded_at")
        .values("recorded_at")[:1]
    )
    return with_status_shown(
        (Commitment.objects.all() if drafts else Commitment.objects.published())
        .annotate(
            last_updated=Greatest(
                Coalesce(Subquery(last_edit), "updated_at"), Coalesce(Subquery(last_assessment), "updated_at")
            )
        )
        .prefetch_related(
            _quote_links_with_counterparts(),
            Prefetch("status_updates", queryset=history),
            "criteria",
            Prefetch("restatements", queryset=Restatement.objects.select_related("quote__source")),
        )
    )


def corrections() -> QuerySet[StatusUpdate]:
    """Public corrections, newest first, each with the update it corrects."""
    return (
        StatusUpdate.objects.public()
        .filter(Q(corrects_shown__isnull=False))  # (a Q: the type checker knows no annotation)
        .select_related("commitment", "corrects")
        .order_by("-recorded_at", "-id")
    )


def breakdowns() -> dict[str, list[tuple[str, str, int]]]:
    """Published commitments counted by theme, by R2P pillar and by responsible body: each
    a list of (code, label, count), vocabularies in their order, bodies by count then name
    (those without a body left out). One query."""
    themes: dict[str, int] = {}
    pillars: dict[str, int] = {}
    bodies: dict[str, int] = {}
    for theme, pillar, body, n in (
        Commitment.objects.published()
        .order_by()
        .values_list("theme", "pillar", "responsible_body")
        .annotate(n=Count("pk"))
        .values_list("theme", "pillar", "responsible_body", "n")
    ):
        themes[theme] = themes.get(theme, 0) + n
        pillars[pillar] = pillars.get(pillar, 0) + n
        if body:
            bodies[body] = bodies.get(body, 0) + n
    body_labels = dict(Body.choices)
    return {
        "theme": [(t.value, str(t.label), themes[t.value]) for t in Theme if t.value in themes],
        "pillar": [(p.value, str(p.label), pillars[p.value]) for p in Pillar if p.value in pillars],
        # A body in the vocabulary by its label in the page's language (« Affaires étrangères
        # Canada »); one not listed yet as written.
        "body": [
            (body, str(body_labels.get(body, body)), n)
            for body, n in sorted(bodies.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


DASHBOARD_TARGETS = 6


def numeric_commitments() -> QuerySet[Commitment]:
    """The dashboard's progress meters: the published commitments with a numeric target
    assessed most recently (a government's thousands are in the table, ?target=numeric).
    Read from commitment_numeric_recent_idx: sorting them all was most of the dashboard."""
    return (
        Commitment.objects.published()
        .filter(target_value__isnull=False, status_as_of__isnull=False)
        .order_by("-status_as_of", "-made_on", "-title")[:DASHBOARD_TARGETS]
    )


def status_counts() -> tuple[list[dict], int, list[dict]]:
    """Every status with its number of published undertakings (the headline's), zeros
    included, in vocabulary order; how many of those have a numeric target; and every kind of
    statement with its number of published commitments. One query."""
    by_kind: dict[str, int] = {}
    undertakings: dict[str, int] = {}
    numeric_total = 0
    for kind, status, total, numeric in (
        Commitment.objects.published()
        .order_by()
        .values_list("kind", "current_status")
        .annotate(n=Count("pk"), numeric=Count("pk", filter=Q(target_value__isnull=False)))
        .values_list("kind", "current_status", "n", "numeric")
    ):
        by_kind[kind] = by_kind.get(kind, 0) + total
        if kind == StatementKind.UNDERTAKING:
            undertakings[status] = total
            numeric_total += numeric
    rows = [{"status": status, "label": status.label, "count": undertakings.get(status.value, 0)} for status in Status]
    kinds = [{"kind": kind, "label": kind.label, "count": by_kind.get(kind.value, 0)} for kind in StatementKind]
    return rows, numeric_total, kinds


def dashboard_figures() -> dict:
    """The dashboard's headline figures and lists, under the names its template reads. The
    headline counts undertakings only; the other kinds are counted apart."""
    counts, numeric_total, kinds = status_counts()
    total = sum(row["count"] for row in counts)
    by_status = {row["status"]: row["count"] for row in counts}
    today = timezone.localdate()
    attention = Commitment.objects.published().aggregate(
        past=Count("pk", filter=past_deadline(today)),
        due=Count("pk", filter=assessment_due(today, assessment_max_age())),
    )
    return {
        "status_counts": counts,
        "total": total,
        "achieved": by_status[Status.ACHIEVED],
        "achieved_percent": percent_of(by_status[Status.ACHIEVED], total) or 0,
        "partially_achieved": by_status[Status.PARTIALLY_ACHIEVED],
        "assessed": total - by_status[Status.NOT_ASSESSED],
        "other_kinds": [row for row in kinds if row["kind"] != StatementKind.UNDERTAKING],
        "all_total": sum(row["count"] for row in kinds),
        "past_deadline": attention["past"],
        "assessment_due": attention["due"],
        "breakdowns": breakdowns(),
        "numeric": numeric_commitments(),
        "numeric_total": numeric_total,
        "recent_updates": recent_updates(),
    }


def status_update_list() -> QuerySet[StatusUpdate]:
    """Status updates of published commitments, for the updates table, its export and the API."""
    # Only the commitment fields the rows show: exports stream 100,000s of these.
    own_fields = [field.name for field in StatusUpdate._meta.concrete_fields]
    return (
        StatusUpdate.objects.public()
        .select_related("commitment", "evidence_quote__source")
        .only(
            *own_fields,
            "commitment__slug",
            "commitment__title",
            "commitment__title_fr",
            "commitment__target_unit",
            # The evidence quote's words and where they are (public: a public update cites it).
            *(f"evidence_quote__{name}" for name in ("text", "language", "locator", "source")),
            *(f"evidence_quote__source__{name}" for name in ("slug", "title", "short_title", "language")),
        )
    )


def _published_links() -> Prefetch:
    return Prefetch(
        "commitment_links",
        queryset=CommitmentQuote.objects.filter(commitment__is_published=True)
        .select_related("commitment")
        .order_by("commitment__made_on", "commitment_id"),
    )


def public_quotes() -> QuerySet[Quote]:
    """The one definition of the quotes the public may see, wherever it looks: documents'
    pages and their #quote-N anchors, the quotes table, its filters, search and CSV, the
    documents' counts, and so which documents are public (public_documents). A quote is
    public when a published commitment rests on it, a restatement of a published commitment
    quotes it, a public status update cites it as evidence, or it is the same passage in the
    other language as words a published commitment rests on: a published commitment's page
    shows each of them and links it to its place in its document."""
    published_links = CommitmentQuote.objects.filter(commitment__is_published=True)
    restated = Restatement.objects.filter(quote=OuterRef("pk"), commitment__is_published=True)
    evidence = StatusUpdate.objects.public().filter(evidence_quote=OuterRef("pk"))
    return Quote.objects.filter(
        Exists(published_links.filter(quote=OuterRef("pk")))
        | Exists(restated)
        | Exists(evidence)
        | Exists(published_links.filter(quote=OuterRef("translation_of")))
        | Exists(published_links.filter(quote__translation_of=OuterRef("pk")))
    )


def quote_list() -> QuerySet[Quote]:
    """Public quotes with their documents and the published commitments resting on them
    (never a draft: a quote shared with a draft lists only the others)."""
    return public_quotes().select_related("source").prefetch_related(_published_links())


def recent_updates(*, limit: int = 5, where: Q | None = None) -> QuerySet[StatusUpdate]:
    """The latest public status updates, corrections included (dashboard and feeds); `where`
    narrows them (one commitment's, or a filtered table's)."""
    return (
        StatusUpdate.objects.public()
        .filter(where or Q())
        .select_related("commitment", "corrects", "evidence_quote__source")
        .order_by("-recorded_at", "-as_of", "-id")[:limit]
    )


def public_documents() -> QuerySet[SourceDocument]:
    """The one definition of the documents the public may see, wherever it looks (/sources/,
    a document's page, the API, the filters' lists of documents, exports): those holding a
    public quote (public_quotes), that is while a published commitment rests on them. Derived,
    not a flag an editor sets: publishing or withdrawing a commitment publishes or withdraws
    its documents, with no step to forget and nothing to drift."""
    return SourceDocument.objects.filter(Exists(public_quotes().filter(source=OuterRef("pk"))))


def source_list() -> QuerySet[SourceDocument]:
    """Public documents, each with its number of public quotes and of published commitments
    resting on it."""
    # Aggregating queries ignore Meta.ordering, so the order is stated.
    counted = public_quotes().filter(source=OuterRef("pk")).order_by().values("source").annotate(n=Count("pk"))
    # A subquery per document shown, not a join of all documents' links grouped first (1.4 s
    # over 1,000 documents; 20 ms a page). The slug breaks ties, so pages never overlap.
    links = CommitmentQuote.objects.filter(quote__source=OuterRef("pk"), commitment__is_published=True)
    resting = links.order_by().values("quote__source").annotate(n=Count("commitment", distinct=True))
    return (
        public_documents()
        .order_by(*DOCUMENT_ORDER, "slug")
        .annotate(
            quote_count=Coalesce(Subquery(counted.values("n")), 0),
            commitment_count=Coalesce(Subquery(resting.values("n")), 0),
        )
    )


def source_detail() -> QuerySet[SourceDocument]:
    """Documents with their public quotes, and the published commitments resting on them."""
    return public_documents().prefetch_related(Prefetch("quotes", queryset=quote_list()))
