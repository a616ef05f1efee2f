"""Recording and reviewing status updates, and the commitment's current status derived from them."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    ALLOWED_FOR_KIND,
    JUDGED,
    Commitment,
    DatePrecision,
    ProgressStage,
    Quote,
    ReviewState,
    StatementKind,
    Status,
    StatusUpdate,
    stage_family,
)
from . import roles
from .method import criteria_errors
from .roles import APPROVE_STATUS_UPDATE, Actor, require


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
    recorded_by: Actor | None = None,
    recorded_at: datetime.datetime | None = None,
) -> StatusUpdate:
    """Append an assessment, pending review: it counts only once another person approves it
    (approve_status_update).

    The row's own rules are StatusUpdate.clean's; the rules about the commitment's history
    (history_errors) are checked here with the commitment locked, so two analysts recording
    at once cannot both pass them.

    `recorded_at` is for the system alone (recorded_by None: the data set's own entries keep
    the day they were made); a person's update is dated when they record it."""
    require(recorded_by, roles.RECORD_STATUS_UPDATE, _("You may not record status updates."))
    if recorded_at is not None and recorded_by is not None:
        raise ValueError("Only the system's own entries (recorded_by=None) give their recorded_at.")
    if commitment.pk is not None:
        Commitment.objects.select_for_update().filter(pk=commitment.pk).first()
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
        **({"recorded_at": recorded_at} if recorded_at is not None else {}),
    )
    errors: dict[str, list[str]] = {}
    try:
        update.full_clean()
    except ValidationError as invalid:
        errors = invalid.message_dict
    for field, message in history_errors(commitment=commitment, status=status, progress_stage=progress_stage).items():
        errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)
    update.save()
    return update


def history_errors(*, commitment: Commitment, status: str, progress_stage: str) -> dict[str, str]:
    """What a new update with this status and stage would break in the commitment's history:
    its readings keep to one family of stages (money or people), a verdict needs the success
    criteria saved first and must agree with their assessments (services.method), and only
    an undertaking takes a verdict. Field name -> message; the admin's form asks this too, to
    show the message beside the field before saving."""
    errors = {}
    if commitment.pk is None:
        return errors  # a commitment being created has no history and no saved criteria yet
    if progress_stage in ProgressStage.values:
        other = (
            StatusUpdate.objects.filter(commitment=commitment)
            .exclude(progress_stage="")
            .exclude(progress_stage__in=stage_family(progress_stage))
            .values_list("progress_stage", flat=True)
            .first()
        )
        if other:
            errors["progress_stage"] = _(
                "This commitment's readings are counted as %(other)s: money is announced, allocated or "
                "disbursed; people are pledged or deployed. Use a stage of the same kind."
            ) % {"other": ProgressStage(other).label.lower()}
    criteria = list(commitment.criteria.all())
    if status in JUDGED and not criteria:
        errors["status"] = _(
            "Write the commitment's success criteria, and save them, before assessing it. If it is too "
            "vague ever to assess, record “not verifiable” with the reason."
        )
    elif status in Status.values and (
        problem := kind_error(commitment.kind, status) or criteria_errors(status, criteria)
    ):
        errors["status"] = problem
    return errors


def kind_error(kind: str, status: str) -> str:
    """Why a statement of this kind cannot take this status ("" when it can)."""
    allowed = ALLOWED_FOR_KIND.get(StatementKind(kind)) if kind in StatementKind.values else None
    if allowed is None or status in allowed:
        return ""
    if kind == StatementKind.PAST_ACTION:
        return _(
            "This is a past action Canada reports having done: it is recorded as background, not judged as "
            "a promise delivered. Leave it not yet assessed, or record what it promises as an undertaking."
        )
    return _(
        "This is a %(kind)s, not an undertaking: it is assessed only as “not verifiable” or left unassessed. "
        "If it carries something Canada itself can be checked on, record that as an undertaking."
    ) % {"kind": StatementKind(kind).label.lower()}


@transaction.atomic
def approve_status_update(*, update: StatusUpdate, reviewer: Actor | None) -> StatusUpdate:
    """Approve a pending update: from now on it counts for the commitment's status and is public.

    Refused unless the reviewer may approve (editors) and is not the update's author, or if
    its status now contradicts the criteria. reviewer=None is the system publishing the data
    set's own entry (recorded_by None): it is public with no review record, and says so.
    """
    require(reviewer, APPROVE_STATUS_UPDATE, _("Only an editor may approve a status update."))
    # Lock the commitment so two approvals at once both land in its current status.
    locked = Commitment.objects.select_for_update().get(pk=update.commitment_id)
    current = StatusUpdate.objects.select_for_update().get(pk=update.pk)
    if reviewer is None and current.recorded_by_id is not None:
        # Only the data set's own entries are published without a reviewer; pages say so.
        raise ValidationError(_("A person's update is approved by an editor."), code="no_reviewer")
    if reviewer is not None and current.recorded_by_id is not None and current.recorded_by_id == reviewer.pk:
        raise ValidationError(_("You recorded this update, so someone else must approve it."), code="own_work")
    if current.review_state != ReviewState.PENDING:
        raise ValidationError(
            _("This update is no longer pending review (%(state)s).")
            % {"state": ReviewState(current.review_state).label.lower()},
            code="not_pending",
        )
    # The criteria may have been reassessed since the update was recorded.
    if problem := kind_error(locked.kind, current.status) or criteria_errors(current.status, locked.criteria.all()):
        raise ValidationError(problem, code="contradicts_criteria")
    current.review_state = ReviewState.APPROVED
    current.reviewed_by = reviewer
    # No review record for the data set's own entries: none took place.
    current.reviewed_at = timezone.now() if reviewer is not None else None
    current.full_clean()
    current.save(update_fields=["review_state", "reviewed_by", "reviewed_at"])
    refresh_current_status(locked)
    update.refresh_from_db()
    return current


@transaction.atomic
def return_status_update(*, update: StatusUpdate, reviewer: Actor, note: str) -> StatusUpdate:
    """Send a pending update back to its author with the reason. It never counts or shows;
    the author records a new update instead (the history stays append-only)."""
    require(reviewer, APPROVE_STATUS_UPDATE, _("Only an editor may review a status update."))
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


def current_status_of(commitment: Commitment) -> dict:
    """The commitment's derived fields (DERIVED_FIELDS) as the approved history gives them.

    The status is the latest approved update's. Progress is the latest reading that has a
    value, so an update that changes only the status does not blank the meter; where the
    criteria count one stage (deployed, disbursed), the latest reading at that stage only,
    so a pledge never fills a "deploy" meter.
    """
    history = StatusUpdate.objects.approved().filter(commitment=commitment).newest_first()
    latest = history.first()
    readings = history.filter(progress_value__isnull=False)
    counted = Commitment.objects.filter(pk=commitment.pk).values_list("counted_stage", flat=True).first()
    if counted:
        readings = readings.filter(progress_stage=counted)
    latest_reading = readings.first()
    return {
        "current_status": latest.status if latest else Status.NOT_ASSESSED,
        "status_as_of": latest.as_of if latest else None,
        "status_as_of_precision": latest.as_of_precision if latest else DatePrecision.DAY,
        "current_reason": latest.reason_code if latest else "",
        "current_progress": latest_reading.progress_value if latest_reading else None,
        "current_progress_stage": latest_reading.progress_stage if latest_reading else "",
    }


def refresh_current_status(commitment: Commitment) -> None:
    """Copy status and progress from the approved history onto the commitment's indexed columns."""
    Commitment.objects.filter(pk=commitment.pk).update(**current_status_of(commitment))
