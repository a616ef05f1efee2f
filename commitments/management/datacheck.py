"""What `manage.py check_data` checks: the published record against the method's rules.

Problems fail the check (the command exits non-zero); notices are listed for an analyst to
act on (a deadline passed without a final verdict is a fact about the world, not an error
in the data)."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from .. import selectors, services
from ..formatting import format_partial_date
from ..models import LINK_ORDER, Commitment, CommitmentQuote, CommitmentSourceText, Quote, Status, StatusUpdate
from ..models.textmatch import find_passage


@dataclass(frozen=True)
class Finding:
    subject: str  # the slug of a commitment, or "quote 12"
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def verdict_problems() -> list[Finding]:
    """Every published verdict consistent with its kind and with its criteria's assessments."""
    found = []
    for commitment in Commitment.objects.published().prefetch_related("criteria").order_by("slug"):
        status = commitment.current_status
        problem = services.kind_error(commitment.kind, status) or services.criteria_errors(
            status, commitment.criteria.all()
        )
        if problem:
            found.append(Finding(commitment.slug, f"“{Status(status).label}”: {problem}"))
    return found


def evidence_problems() -> list[Finding]:
    """Every public assessment (any status but "not yet assessed") gives a rationale and evidence."""
    missing = (
        StatusUpdate.objects.public()
        .exclude(status=Status.NOT_ASSESSED)
        .filter(Q(rationale="") | (Q(evidence_quote__isnull=True) & Q(evidence_url="")))
        .select_related("commitment")
        .order_by("commitment__slug", "as_of")
    )
    return [
        Finding(update.commitment.slug, f"the update as of {update.as_of.isoformat()} lacks its rationale or evidence")
        for update in missing
    ]


def meter_problems() -> list[Finding]:
    """No headline meter shows a stage the criteria do not count, and none is a hand-typed copy."""
    found = []
    for commitment in Commitment.objects.published().filter(target_value__isnull=False).order_by("slug"):
        if commitment.counted_stage and commitment.current_progress_stage not in ("", commitment.counted_stage):
            found.append(
                Finding(
                    commitment.slug,
                    f"the headline meter shows a {commitment.current_progress_stage} reading; "
                    f"the criteria count {commitment.counted_stage} only",
                )
            )
        elif not commitment.counted_stage and commitment.status_updates.filter(progress_value__isnull=False).exists():
            found.append(
                Finding(
                    commitment.slug, "has readings but no stage its criteria count (set “stage the criteria count”)"
                )
            )
    return found


def derived_problems() -> list[Finding]:
    """Each current status is what the service computes from the approved history."""
    fields = sorted(services.DERIVED_FIELDS)
    shown = {row["pk"]: row for row in Commitment.objects.values("pk", "slug", *fields)}
    found = []
    for commitment in Commitment.objects.order_by("slug"):
        stored = shown[commitment.pk]
        expected = services.current_status_of(commitment)
        differing = [name for name in fields if expected[name] != stored[name]]
        if differing:
            found.append(Finding(commitment.slug, f"{', '.join(differing)} differ from the approved history"))
    return found


def source_text_problems() -> list[Finding]:
    """Each commitment's documents and criteria as the export reads them, kept by the
    database's triggers (models.sourcetext), are what its links and criteria say."""
    links = CommitmentQuote.objects.select_related("quote__source").order_by(*LINK_ORDER)
    commitments = Commitment.objects.prefetch_related(Prefetch("quote_links", queryset=links), "criteria")
    kept = {
        row.commitment_id: (row.document_titles, row.document_symbols, row.criteria)
        for row in CommitmentSourceText.objects.all()
    }
    found = []
    for commitment in commitments.order_by("slug"):
        documents = selectors.documents_of(commitment)
        expected = (
            "; ".join(document.title for document in documents),
            "; ".join(document.symbol for document in documents if document.symbol),
            " | ".join(criterion.text for criterion in commitment.criteria.all()),
        )
        if kept.get(commitment.pk, ("", "", "")) != expected:
            found.append(Finding(commitment.slug, "the export's text of its documents or criteria is out of step"))
    return found


def quote_problems() -> list[Finding]:
    quotes = Quote.objects.select_related("source").order_by("source__slug", "pk")
    return [
        Finding(f"quote {quote.pk}", f"not found verbatim in {quote.source.slug}")
        for quote in quotes.iterator(chunk_size=500)
        if find_passage(quote.source.full_text, quote.text) is None
    ]


def problems() -> list[Finding]:
    return (
        verdict_problems()
        + evidence_problems()
        + meter_problems()
        + derived_problems()
        + source_text_problems()
        + quote_problems()
    )


def past_deadline_notices() -> list[Finding]:
    today = timezone.localdate()
    return [
        Finding(
            commitment.slug,
            f"past its deadline ({format_partial_date(commitment.deadline, commitment.deadline_precision)}) "
            f"without a final verdict: {Status(commitment.current_status).label.lower()}",
        )
        for commitment in Commitment.objects.published().past_deadline(today).order_by("deadline", "slug")
    ]
