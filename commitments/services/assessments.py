"""Recording and reviewing status updates, and the commitment's current status derived from them."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Commitment,
    DatePrecision,
    Quote,
    ReviewState,
    Status,
    StatusUpdate,
)
from .roles import APPROVE_STATUS_UPDATE


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
    recorded_by: User | None = None,
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
def approve_status_update(*, update: StatusUpdate, reviewer: User) -> StatusUpdate:
    """Approve a pending update: from now on it counts for the commitment's status and is public.

    Refused unless the reviewer may approve (editors) and is not the update's author.
    """
    if not reviewer.has_perm(APPROVE_STATUS_UPDATE):
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
def return_status_update(*, update: StatusUpdate, reviewer: User, note: str) -> StatusUpdate:
    """Send a pending update back to its author with the reason. It never counts or shows;
    the author records a new update instead (the history stays append-only)."""
    if not reviewer.has_perm(APPROVE_STATUS_UPDATE):
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
