"""Status updates: the append-only, reviewed history of each commitment's status."""

from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .commitments import Commitment
from .common import DatePrecision, HttpsURLField, date_precision_help, end_of, in_choices, start_of
from .method import METHOD_VERSION, NEEDS_REASON, ProgressStage, ReasonCode, ReviewState, Status
from .sources import Quote

# A commitment's history, newest first: by the date assessed, then by when it was recorded.
NEWEST_FIRST = ("-as_of", "-recorded_at", "-id")

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CorrectsShown(TypedDict):
    """What StatusUpdateQuerySet.public annotates (for the type checker's WithAnnotations)."""

    corrects_shown: int | None


class StatusUpdateQuerySet(models.QuerySet["StatusUpdate"]):
    def newest_first(self) -> "StatusUpdateQuerySet":
        return self.order_by(*NEWEST_FIRST)

    def approved(self) -> "StatusUpdateQuerySet":
        """Updates that passed review: the only ones that count for a commitment's status."""
        return self.filter(review_state=ReviewState.APPROVED)

    def pending(self) -> "StatusUpdateQuerySet":
        return self.filter(review_state=ReviewState.PENDING)

    def public(self) -> "StatusUpdateQuerySet":
        """The one definition of the updates the public may see, wherever it looks (pages,
        exports, API, feeds): approved, and about a published commitment.

        Each carries `corrects_shown`: the id of the update it corrects if the public may see
        that one too, else None. Public outputs show it, never `corrects`: a correction may
        only name an approved update of its commitment (StatusUpdate.clean), but a row
        recorded before that rule may name one that was then pending and since returned."""
        visible = Q(review_state=ReviewState.APPROVED, commitment__is_published=True)
        corrected_is_visible = Exists(StatusUpdate.objects.filter(visible, pk=OuterRef("corrects_id")))
        return self.filter(visible).annotate(
            corrects_shown=Case(
                When(corrected_is_visible, then=F("corrects_id")), default=None, output_field=models.BigIntegerField()
            )
        )


class StatusUpdate(models.Model):
    """One dated assessment of a commitment. Append-only: a correction is a new row."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="status_updates", verbose_name=_("commitment")
    )
    status = models.CharField(max_length=20, choices=Status, verbose_name=_("status"))
    as_of = models.DateField(
        help_text=_("The date the assessment describes, not the day it was typed."), verbose_name=_("as of")
    )
    as_of_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=date_precision_help(_("the assessment")),
        verbose_name=_("precision of the date"),
    )
    progress_value = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Progress in the target's unit (e.g. troops deployed). Leave empty if none."),
        verbose_name=_("reading"),
    )
    progress_stage = models.CharField(
        max_length=10,
        choices=ProgressStage,
        blank=True,
        help_text=_(
            "What the reading measures. Money: announced, allocated or disbursed; people: pledged or "
            "deployed. Required with a reading: a pledge is never shown as a deployment."
        ),
        verbose_name=_("stage"),
    )
    rationale = models.TextField(
        blank=True,
        help_text=_("Why this status, in your own words. Required unless not yet assessed."),
        verbose_name=_("rationale"),
    )
    evidence_quote = models.ForeignKey(
        Quote,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_for",
        help_text=_("A quote from a source document that shows this status."),
        verbose_name=_("evidence quote"),
    )
    evidence_url = HttpsURLField(
        max_length=500,
        blank=True,
        help_text=_("A public record that shows this status."),
        verbose_name=_("evidence address"),
    )
    reason_code = models.CharField(
        max_length=30,
        choices=ReasonCode,
        blank=True,
        help_text=_("Required for stalled, abandoned and partially achieved: why. Leave empty otherwise."),
        verbose_name=_("reason"),
    )
    reason_text = models.TextField(
        blank=True,
        help_text=_("The reason in plain words, e.g. which body did not act, and what the record shows."),
        verbose_name=_("reason in words"),
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text=_("The earlier update this one corrects, if any."),
        verbose_name=_("corrects"),
    )
    correction_note = models.TextField(
        blank=True,
        help_text=_("With a correction: what was wrong in the update it corrects. Shown on /corrections/."),
        verbose_name=_("what was wrong"),
    )
    method_version = models.CharField(
        max_length=10,
        default=METHOD_VERSION,
        editable=False,
        help_text=_("The version of the published method (/methodology/) this assessment followed."),
        verbose_name=_("method version"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(default=timezone.now, verbose_name=_("recorded at"))
    review_state = models.CharField(
        max_length=10, choices=ReviewState, default=ReviewState.PENDING, editable=False, verbose_name=_("review")
    )
    # PROTECT: the review trail names who approved; that person's account cannot vanish from it.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("reviewed at"))
    review_note = models.TextField(
        blank=True,
        editable=False,
        help_text=_("Why a reviewer returned the update to its author."),
        verbose_name=_("review note"),
    )

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = NEWEST_FIRST
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        get_latest_by = ("as_of", "recorded_at", "id")
        constraints = (
            models.CheckConstraint(condition=in_choices("status", Status), name="status_update_status_valid"),
            models.CheckConstraint(
                condition=in_choices("as_of_precision", DatePrecision),
                name="status_update_as_of_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress_value__isnull=True) | Q(progress_value__gte=0),
                name="status_update_progress_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.NOT_ASSESSED)
                | (~Q(rationale="") & (Q(evidence_quote__isnull=False) | ~Q(evidence_url=""))),
                name="status_update_assessed_has_evidence",
            ),
            models.CheckConstraint(
                condition=in_choices("review_state", ReviewState), name="status_update_review_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(reason_code="")
                | (in_choices("reason_code", ReasonCode) & Q(status__in=[status.value for status in NEEDS_REASON])),
                name="status_update_reason_fits_status",
            ),
            models.CheckConstraint(
                condition=Q(progress_stage="")
                | (in_choices("progress_stage", ProgressStage) & Q(progress_value__isnull=False)),
                name="status_update_stage_with_reading",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_note=""),
                name="status_update_correction_says_what_was_wrong",
            ),
            # The database itself refuses an author approving their own update.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True)
                | Q(recorded_by__isnull=True)
                | ~Q(reviewed_by=models.F("recorded_by")),
                name="status_update_reviewer_is_not_author",
            ),
            models.CheckConstraint(
                condition=~Q(review_state=ReviewState.PENDING) | Q(reviewed_by__isnull=True, reviewed_at__isnull=True),
                name="status_update_pending_is_unreviewed",
            ),
            models.CheckConstraint(
                condition=~Q(review_state=ReviewState.RETURNED) | (Q(reviewed_by__isnull=False) & ~Q(review_note="")),
                name="status_update_returned_says_why",
            ),
        )
        indexes = (
            models.Index(fields=("commitment", "as_of"), name="status_update_timeline_idx"),
            # The updates table's sorts and filters, and the dashboard's latest updates.
            models.Index(fields=("as_of", "recorded_at", "id"), name="status_update_as_of_idx"),
            models.Index(fields=("status",), name="status_update_status_idx"),
            models.Index(fields=("progress_value",), name="status_update_progress_idx"),
            models.Index(fields=("recorded_at", "as_of", "id"), name="status_update_recorded_idx"),
            # The review queue only. An index on every update's state (nearly all "approved")
            # led the planners to read 100,000 approved updates and sort them rather than walk
            # the date indexes above: 47 ms for the dashboard's five latest changes.
            models.Index(
                fields=("recorded_at",), condition=Q(review_state="pending"), name="status_update_pending_idx"
            ),
        )
        permissions = (("approve_statusupdate", "Can approve status updates recorded by others"),)

    def __str__(self) -> str:
        return f"{self.get_status_display()} as of {self.as_of:%Y-%m-%d}"

    def _known_commitment(self) -> "Commitment | None":
        # On the admin's add page the commitment is not saved yet, but the formset hands over
        # the unsaved instance with its posted values, so the same rules apply there.
        if self.commitment_id is None and not StatusUpdate.commitment.is_cached(self):
            return None
        return self.commitment

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.status and self.status != Status.NOT_ASSESSED:
            if not self.rationale.strip():
                errors["rationale"] = _("Say why: a rationale is required for any assessed status.")
            if self.evidence_quote_id is None and not self.evidence_url:
                errors["evidence_url"] = _(
                    "Give the evidence: a quote from a source document or a URL of a public record."
                )
        commitment = self._known_commitment()
        if self.as_of:
            if self.as_of > timezone.localdate():
                errors["as_of"] = _("The as-of date cannot be in the future.")
            elif (
                commitment is not None
                and commitment.made_on
                # Both dates stand for periods at their precisions: they may overlap.
                and end_of(self.as_of, self.as_of_precision)
                < start_of(commitment.made_on, commitment.made_on_precision)
            ):
                errors["as_of"] = _("The as-of date cannot be before the commitment was made (%(made)s).") % {
                    "made": commitment.made_on.isoformat()
                }
        if self.progress_value is not None and commitment is not None and not commitment.has_target:
            errors["progress_value"] = _("This commitment has no numeric target, so it takes no progress value.")
        if commitment is not None and self.corrects is not None and self.corrects.commitment_id != commitment.pk:
            errors["corrects"] = _("A correction must be to an update of the same commitment.")
        elif self.corrects is not None and self.corrects.review_state != ReviewState.APPROVED:
            # A pending update is approved or returned, not corrected; a returned one never
            # counted or showed. Approval is final, so a correction's target stays public.
            state = ReviewState(self.corrects.review_state).label.lower()
            errors["corrects"] = _(
                "Only an approved update can be corrected; the update as of %(date)s is %(state)s."
            ) % {"date": self.corrects.as_of.isoformat(), "state": state}
        if self.corrects_id and not self.correction_note.strip():
            errors["correction_note"] = _("Say what was wrong in the update this one corrects.")
        if not self.corrects_id and self.correction_note.strip():
            errors["corrects"] = _("Choose the update this one corrects, or leave the correction note empty.")
        if self.status in NEEDS_REASON:
            if not self.reason_code:
                errors["reason_code"] = _("A %(status)s commitment needs a reason code.") % {
                    "status": Status(self.status).label.lower()
                }
            if not self.reason_text.strip():
                errors["reason_text"] = _("Explain the reason in plain words.")
        elif self.reason_code:
            errors["reason_code"] = _("Only stalled, abandoned or partially achieved commitments take a reason code.")
        if self.progress_value is not None and not self.progress_stage:
            errors["progress_stage"] = _("Say what the reading measures (e.g. pledged or deployed).")
        if self.progress_value is None and self.progress_stage:
            errors["progress_stage"] = _("A stage describes a reading: give the reading, or leave the stage empty.")
        if self.status == Status.NOT_VERIFIABLE and self.progress_value is not None:
            errors["progress_value"] = _("A commitment too vague to verify takes no progress reading.")
        if self.reviewed_by_id is not None and self.reviewed_by_id == self.recorded_by_id:
            errors["reviewed_by"] = _("An update must be approved by someone other than its author.")
        if errors:
            raise ValidationError(errors)
