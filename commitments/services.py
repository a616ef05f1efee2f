"""Writes that carry rules. Admin, management commands and tests all go through here."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Commitment,
    CommitmentQuote,
    DatePrecision,
    Quote,
    QuoteRole,
    ReviewState,
    SourceDocument,
    Status,
    StatusUpdate,
)

APPROVE_PERMISSION = "commitments.approve_statusupdate"

# Kept by refresh_current_status from the history; never written from a form.
DERIVED_FIELDS = frozenset(
    {
        "current_status",
        "current_reason",
        "current_progress",
        "current_progress_stage",
        "status_as_of",
        "status_as_of_precision",
    }
)
# Kept by refresh_primary_source from the quote links; never written from a form either.
SORT_KEY_FIELDS = frozenset({"primary_source_title"})


class StaleEditError(Exception):
    """The commitment changed since the editor loaded it; saving would overwrite that change."""

    def __init__(self, commitment_id: int, expected_version: int, current_version: int | None):
        self.commitment_id = commitment_id
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(f"Commitment {commitment_id} is at version {current_version}, not {expected_version}.")


@transaction.atomic
def record_status_update(
    *,
    commitment: Commitment,
    status: str,
    as_of: datetime.date,
    rationale: str = "",
    as_of_precision: str = DatePrecision.DAY,
    progress_value: Decimal | None = None,
    progress_stage: str = "",
    reason_code: str = "",
    reason_text: str = "",
    evidence_quote: Quote | None = None,
    evidence_url: str = "",
    corrects: StatusUpdate | None = None,
    correction_note: str = "",
    recorded_by: AbstractBaseUser | None = None,
) -> StatusUpdate:
    """Append an assessment, pending review: it counts only once another person approves it
    (approve_status_update)."""
    update = StatusUpdate(
        commitment=commitment,
        status=status,
        as_of=as_of,
        as_of_precision=as_of_precision,
        progress_value=progress_value,
        progress_stage=progress_stage,
        rationale=rationale.strip(),
        reason_code=reason_code,
        reason_text=reason_text.strip(),
        evidence_quote=evidence_quote,
        evidence_url=evidence_url,
        corrects=corrects,
        correction_note=correction_note.strip(),
        recorded_by=recorded_by,
    )
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def approve_status_update(*, update: StatusUpdate, reviewer: AbstractBaseUser) -> StatusUpdate:
    """Approve a pending update: from now on it counts for the commitment's status and is public.

    Refused unless the reviewer may approve (editors) and is not the update's author.
    """
    if not reviewer.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied(_("Only an editor may approve a status update."))
    # Lock the commitment so two approvals at once both land in its current status.
    locked = Commitment.objects.select_for_update().get(pk=update.commitment_id)
    current = StatusUpdate.objects.select_for_update().get(pk=update.pk)
    if current.recorded_by_id is not None and current.recorded_by_id == reviewer.pk:
        raise ValidationError(_("You recorded this update, so someone else must approve it."), code="own_work")
    if current.review_state != ReviewState.PENDING:
        raise ValidationError(
            _("This update is no longer pending review (%(state)s).")
            % {"state": ReviewState(current.review_state).label.lower()},
            code="not_pending",
        )
    current.review_state = ReviewState.APPROVED
    current.reviewed_by = reviewer
    current.reviewed_at = timezone.now()
    current.full_clean()
    current.save(update_fields=["review_state", "reviewed_by", "reviewed_at"])
    refresh_current_status(locked)
    update.refresh_from_db()
    return current


@transaction.atomic
def return_status_update(*, update: StatusUpdate, reviewer: AbstractBaseUser, note: str) -> StatusUpdate:
    """Send a pending update back to its author with the reason. It never counts or shows;
    the author records a new update instead (the history stays append-only)."""
    if not reviewer.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied(_("Only an editor may review a status update."))
    current = StatusUpdate.objects.select_for_update().get(pk=update.pk)
    if current.recorded_by_id is not None and current.recorded_by_id == reviewer.pk:
        raise ValidationError(_("You recorded this update, so someone else must review it."), code="own_work")
    if current.review_state != ReviewState.PENDING:
        raise ValidationError(_("Only an update pending review can be returned."), code="not_pending")
    if not note.strip():
        raise ValidationError(_("Say why the update is returned, so its author can put it right."), code="no_note")
    current.review_state = ReviewState.RETURNED
    current.reviewed_by = reviewer
    current.reviewed_at = timezone.now()
    current.review_note = note.strip()
    current.full_clean()
    current.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "review_note"])
    update.refresh_from_db()
    return current


def refresh_current_status(commitment: Commitment) -> None:
    """Copy status and progress from the approved history onto the commitment's indexed columns.

    The status is the latest approved update's. Progress is the latest reading that has a
    value, so an update that changes only the status does not blank the meter.
    """
    history = StatusUpdate.objects.approved().filter(commitment=commitment).order_by("-as_of", "-recorded_at", "-id")
    latest = history.first()
    latest_reading = history.filter(progress_value__isnull=False).first()
    Commitment.objects.filter(pk=commitment.pk).update(
        current_status=latest.status if latest else Status.NOT_ASSESSED,
        status_as_of=latest.as_of if latest else None,
        status_as_of_precision=latest.as_of_precision if latest else DatePrecision.DAY,
        current_reason=latest.reason_code if latest else "",
        current_progress=latest_reading.progress_value if latest_reading else None,
        current_progress_stage=latest_reading.progress_stage if latest_reading else "",
    )


def primary_source_title() -> Subquery:
    """The title of the earliest document whose words made the commitment (NULL when no quote
    made it). An undated document comes after dated ones, on every database (as documents
    are listed): SQLite alone used to count it as the earliest."""
    made_links = CommitmentQuote.objects.filter(commitment=OuterRef("pk"), role=QuoteRole.MADE).order_by(
        F("quote__source__issued_on").asc(nulls_last=True), "quote_id"
    )
    return Subquery(made_links.values("quote__source__title")[:1])


def refresh_primary_source(commitments: QuerySet[Commitment]) -> None:
    """Recompute the source sort's key of `commitments`, in one UPDATE. A queryset update:
    it writes no audit-trail record and leaves `version` alone, so an analyst's open form
    is not made stale by a colleague renaming a document."""
    commitments.update(primary_source_title=primary_source_title())


@transaction.atomic
def save_commitment(*, commitment: Commitment, expected_version: int | None = None) -> Commitment:
    """Create or change a commitment, refusing to overwrite an edit made since `expected_version`."""
    commitment.full_clean()
    if commitment.pk is None or not Commitment.objects.filter(pk=commitment.pk).exists():
        commitment.version = 1
        commitment.save()
        return commitment
    if expected_version is None:
        expected_version = commitment.version
    claimed = Commitment.objects.filter(pk=commitment.pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        current = Commitment.objects.filter(pk=commitment.pk).values_list("version", flat=True).first()
        raise StaleEditError(commitment.pk, expected_version, current)
    commitment.version = expected_version + 1
    editable = [
        f.attname
        for f in Commitment._meta.concrete_fields
        if not f.primary_key and f.name not in DERIVED_FIELDS | SORT_KEY_FIELDS and f.name != "created_at"
    ]
    commitment.save(update_fields=editable)
    return commitment


@transaction.atomic
def set_published(*, commitment: Commitment, published: bool) -> Commitment:
    """Publish or withdraw a commitment. A published commitment must rest on a quote."""
    if published and not commitment.quote_links.exists():
        raise ValidationError(
            _("“%(title)s” cannot be published: it has no quote from a source document yet.")
            % {"title": commitment.title}
        )
    commitment.is_published = published
    return save_commitment(commitment=commitment, expected_version=commitment.version)


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


@transaction.atomic
def attach_quote(*, commitment: Commitment, quote: Quote, role: str) -> CommitmentQuote:
    link = CommitmentQuote(commitment=commitment, quote=quote, role=role)
    link.full_clean()
    link.save()
    refresh_primary_source(Commitment.objects.filter(pk=commitment.pk))
    return link
