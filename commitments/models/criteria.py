"""What a commitment is judged against (its success criteria) and what later documents
said of it (restatements)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .commitments import Commitment
from .common import DatePrecision, TimeStampedModel, date_precision_help, in_choices, start_of
from .method import CriterionAssessment
from .sources import Quote


class RestatementKind(models.TextChoices):
    REAFFIRMED = "reaffirmed", _("Reaffirmed")
    FIGURE_CHANGED = "figure_changed", _("Figure changed")
    DEADLINE_CHANGED = "deadline_changed", _("Deadline changed")
    SCOPE_CHANGED = "scope_changed", _("Scope or wording changed")


class SuccessCriterion(TimeStampedModel):
    """One thing that would count as achieved, written before the commitment is assessed,
    with its own assessment so a reader can check the verdict against it."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(
        default=1, help_text=_("Order on the page."), verbose_name=_("position")
    )
    text = models.TextField(
        help_text=_(
            "In plain words, what would count as achieved. It must follow from what the quotes commit to; "
            "write it before the first assessment."
        ),
        verbose_name=_("text"),
    )
    assessment = models.CharField(
        max_length=20,
        choices=CriterionAssessment,
        default=CriterionAssessment.NOT_ASSESSED,
        verbose_name=_("assessment"),
    )
    evidence = models.TextField(
        blank=True,
        help_text=_("Required once assessed: what shows it is met, not met or no longer applicable."),
        verbose_name=_("evidence"),
    )
    assessed_on = models.DateField(
        null=True, blank=True, help_text=_("The date the assessment describes."), verbose_name=_("assessed on")
    )

    # Every change to a criterion or its assessment is kept, so none is quietly rewritten.
    history = HistoricalRecords()

    class Meta:
        ordering = ("commitment", "position", "id")
        verbose_name = _("success criterion")
        verbose_name_plural = _("success criteria")
        constraints = (
            models.CheckConstraint(
                condition=in_choices("assessment", CriterionAssessment), name="criterion_assessment_valid"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="criterion_text_not_empty"),
            models.CheckConstraint(
                condition=Q(assessment=CriterionAssessment.NOT_ASSESSED) | ~Q(evidence=""),
                name="criterion_assessed_has_evidence",
            ),
        )

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else f"{self.text[:77]}…"

    def get_absolute_url(self) -> str:
        return f"{reverse('commitments:commitment-detail', kwargs={'slug': self.commitment.slug})}#criteria-heading"

    def clean(self) -> None:
        if self.assessment != CriterionAssessment.NOT_ASSESSED and not self.evidence.strip():
            raise ValidationError({"evidence": _("Give the evidence for this assessment.")})


class Restatement(TimeStampedModel):
    """A later document restating or changing a commitment. The original wording stays as it
    was; the restatement carries its own quote and date, and the page shows the lineage."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="restatements")
    # PROTECT: a restatement rests on its words; they cannot vanish from under it.
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="restatements", verbose_name=_("quote"))
    kind = models.CharField(
        max_length=20, choices=RestatementKind, default=RestatementKind.REAFFIRMED, verbose_name=_("kind")
    )
    stated_on = models.DateField(help_text=_("When the restatement was made."), verbose_name=_("stated on"))
    stated_on_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=date_precision_help(_("it")),
        verbose_name=_("precision of the date stated"),
    )
    change = models.TextField(
        blank=True,
        help_text=_("What it changes (a smaller figure, a new deadline); empty for a reaffirmation."),
        verbose_name=_("change"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("commitment", "stated_on", "id")
        verbose_name = _("restatement")
        verbose_name_plural = _("restatements")
        constraints = (
            models.CheckConstraint(condition=in_choices("kind", RestatementKind), name="restatement_kind_valid"),
            models.CheckConstraint(
                condition=in_choices("stated_on_precision", DatePrecision), name="restatement_precision_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=RestatementKind.REAFFIRMED) | ~Q(change=""), name="restatement_change_described"
            ),
            models.UniqueConstraint(fields=("commitment", "quote"), name="restatement_quote_unique"),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.stated_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return f"{reverse('commitments:commitment-detail', kwargs={'slug': self.commitment.slug})}#lineage-heading"

    def clean(self) -> None:
        errors = {}
        if self.kind != RestatementKind.REAFFIRMED and not self.change.strip():
            errors["change"] = _("Say what the restatement changes.")
        if (
            self.stated_on
            and self.commitment_id
            and self.stated_on < start_of(self.commitment.made_on, self.commitment.made_on_precision)
        ):
            errors["stated_on"] = _("A restatement cannot come before the commitment was made.")
        if errors:
            raise ValidationError(errors)
