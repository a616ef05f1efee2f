"""Commitments and the quotes they rest on (their criteria and restatements: criteria.py)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import (
    DatePrecision,
    TimeStampedModel,
    Year,
    date_precision_help,
    end_of,
    in_choices,
    percent_of,
    wholly_before,
)
from .method import FINAL, DateBasis, ProgressStage, ReasonCode, StatementKind, Status
from .sorting import TITLE_SORT_INDEXES, french_twin
from .sources import LINK_ORDER, Quote
from .vocabularies import Pillar, QuoteRole, Theme


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def published(self) -> "CommitmentQuerySet":
        return self.filter(is_published=True)

    def undertakings(self) -> "CommitmentQuerySet":
        return self.filter(kind=StatementKind.UNDERTAKING)

    def past_deadline(self, today: datetime.date) -> "CommitmentQuerySet":
        return self.filter(past_deadline(today))

    def assessment_due(self, today: datetime.date, max_age: datetime.timedelta) -> "CommitmentQuerySet":
        return self.filter(assessment_due(today, max_age))


def past_deadline(today: datetime.date) -> Q:
    """Commitments whose deadline (the whole period it stands for) has passed without a final verdict."""
    return wholly_before("deadline", "deadline_precision", today) & ~Q(current_status__in=FINAL)


def assessment_due(today: datetime.date, max_age: datetime.timedelta) -> Q:
    """Undertakings without a final verdict whose latest assessment is older than `max_age`,
    or which were made longer ago than that and never assessed."""
    cutoff = today - max_age
    stale = Q(status_as_of__isnull=False) & wholly_before("status_as_of", "status_as_of_precision", cutoff)
    never = Q(status_as_of__isnull=True) & wholly_before("made_on", "made_on_precision", cutoff)
    return Q(kind=StatementKind.UNDERTAKING) & ~Q(current_status__in=FINAL) & (stale | never)


class Commitment(TimeStampedModel):
    slug = models.SlugField(
        max_length=120, unique=True, help_text=_("Used in the commitment's URL."), verbose_name=_("slug")
    )
    title = models.CharField(max_length=200, help_text=_("Short and in plain words."), verbose_name=_("title"))
    summary = models.TextField(help_text=_("What Canada said it would do, in plain words."), verbose_name=_("summary"))
    # French beside English (paired fields): the two official languages are fixed, and a
    # blank French field falls back to the English one on French pages.
    title_fr = models.CharField(
        max_length=200, blank=True, verbose_name=_("title (French)"), help_text=_("The title in French.")
    )
    summary_fr = models.TextField(
        blank=True,
        verbose_name=_("summary (French)"),
        help_text=_("The summary in French. Quotes stay in their own language."),
    )
    kind = models.CharField(
        max_length=20,
        choices=StatementKind,
        default=StatementKind.UNDERTAKING,
        verbose_name=_("kind of statement"),
        help_text=_(
            "Undertaking: Canada says it will do something or pledges resources. Position: Canada supports, "
            "welcomes or commends what others do. Call to others: a collective “we must”. Past action: what "
            "Canada reports having done. Only undertakings take a verdict."
        ),
    )
    theme = models.CharField(max_length=20, choices=Theme, verbose_name=_("theme"))
    pillar = models.CharField(max_length=20, choices=Pillar, verbose_name=_("R2P pillar"))
    made_on = models.DateField(help_text=_("When the commitment was first made."), verbose_name=_("made on"))
    made_on_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=date_precision_help(_("the commitment")),
        verbose_name=_("precision of the date made"),
    )
    made_on_basis = models.CharField(
        max_length=15,
        choices=DateBasis,
        default=DateBasis.DATED,
        verbose_name=_("basis of the date made"),
        help_text=_(
            "Dated by the source: the document's own date. Stated later: a later document's claim "
            "(“Since 1997”). Inferred: worked out from the document's subject; pages say so."
        ),
    )
    made_by = models.CharField(
        max_length=200,
        help_text=_(
            "Who made it: office, minister or delegation, in English. Names in the tracker's list of bodies "
            "(Government of Canada, Global Affairs Canada, …) are shown in French on French pages; others are "
            "shown as written, marked as English."
        ),
        verbose_name=_("made by"),
    )
    responsible_body = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "E.g. Department of National Defence, Global Affairs Canada. As for “made by”, a name in the list of "
            "bodies is shown in French on French pages."
        ),
        verbose_name=_("responsible body"),
    )
    target_value = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Only for a numeric target, e.g. 600 for “up to 600 troops”."),
        verbose_name=_("target value"),
    )
    target_unit = models.CharField(
        max_length=30,
        blank=True,
        help_text=_(
            "Unit of the target and of progress values: troops, police, officers, people trained, CAD, USD "
            "(shown in French on French pages); another unit is shown as written, marked as English."
        ),
        verbose_name=_("target unit"),
    )
    target_text = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The target in the source's words, e.g. “$1 billion over 10 years”."),
        verbose_name=_("target in words"),
    )
    target_text_fr = models.CharField(
        max_length=300,
        blank=True,
        verbose_name=_("target text (French)"),
        help_text=_("The target in French, e.g. « 1 milliard de dollars sur 10 ans »."),
    )
    counted_stage = models.CharField(
        max_length=10,
        choices=ProgressStage,
        blank=True,
        verbose_name=_("stage the criteria count"),
        help_text=_(
            "The one stage of a reading the success criteria count (e.g. deployed, disbursed). The headline "
            "meter then shows only readings at that stage; other stages are shown apart."
        ),
    )
    period_start = models.DateField(null=True, blank=True, verbose_name=_("period start"))
    deadline = models.DateField(
        null=True, blank=True, help_text=_("End of the commitment's period, if any."), verbose_name=_("deadline")
    )
    deadline_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=date_precision_help(_("the deadline")),
        verbose_name=_("precision of the deadline"),
    )
    quotes = models.ManyToManyField(Quote, through="CommitmentQuote", related_name="commitments")
    is_published = models.BooleanField(
        default=False,
        db_index=True,
        verbose_name=_("published"),
        help_text=_("Drafts are never shown on public pages or in exports."),
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text=_("Incremented on every save; a save based on an older version is refused."),
        verbose_name=_("version"),
    )
    # Denormalised from the latest status update by services.record_status_update,
    # so lists sort and filter on an indexed column. Never typed by hand.
    current_status = models.CharField(
        max_length=20, choices=Status, default=Status.NOT_ASSESSED, editable=False, verbose_name=_("current status")
    )
    current_progress = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, editable=False, verbose_name=_("current progress")
    )
    status_as_of = models.DateField(null=True, blank=True, editable=False, verbose_name=_("status as of"))
    status_as_of_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        editable=False,
        verbose_name=_("precision of the status date"),
    )
    current_reason = models.CharField(
        max_length=30, choices=ReasonCode, blank=True, db_index=True, editable=False, verbose_name=_("reason")
    )
    current_progress_stage = models.CharField(
        max_length=10,
        choices=ProgressStage,
        blank=True,
        editable=False,
        verbose_name=_("stage of the current progress"),
    )
    # The title of the earliest document whose words made the commitment, which the table's
    # source column sorts by: a subquery per row cost twice the default sort. Kept by
    # services.refresh_primary_source whenever a quote link, quote or document changes.
    # Left out of the audit trail: it copies documents' titles, which have their own. NULL
    # (not "") without a quote that made it, so such a commitment sorts where it always did.
    primary_source_title = models.CharField(max_length=300, null=True, blank=True, editable=False)  # noqa: DJ001

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["primary_source_title"])

    class Meta:
        ordering = ("made_on", "title")
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = (
            models.CheckConstraint(condition=in_choices("theme", Theme), name="commitment_theme_valid"),
            models.CheckConstraint(condition=in_choices("pillar", Pillar), name="commitment_pillar_valid"),
            models.CheckConstraint(condition=in_choices("kind", StatementKind), name="commitment_kind_valid"),
            models.CheckConstraint(
                condition=in_choices("made_on_basis", DateBasis), name="commitment_made_on_basis_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("deadline_precision", DatePrecision), name="commitment_deadline_precision_valid"
            ),
            models.CheckConstraint(
                condition=Q(counted_stage="")
                | (in_choices("counted_stage", ProgressStage) & Q(target_value__isnull=False)),
                name="commitment_counted_stage_with_target",
            ),
            models.CheckConstraint(condition=in_choices("current_status", Status), name="commitment_status_valid"),
            models.CheckConstraint(
                condition=Q(current_reason="") | in_choices("current_reason", ReasonCode),
                name="commitment_reason_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("made_on_precision", DatePrecision),
                name="commitment_made_on_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0),
                name="commitment_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | ~Q(target_unit=""),
                name="commitment_target_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(deadline__isnull=True)
                | Q(period_start__lte=models.F("deadline")),
                name="commitment_period_ordered",
            ),
        )
        # One per sortable or filterable column of the table, ending in its tie-breaker: pages read in index order.
        indexes = (
            # With is_published, the dashboard counts themes from the index alone.
            models.Index(fields=("theme", "is_published"), name="commitment_theme_idx"),
            models.Index(fields=("pillar",), name="commitment_pillar_idx"),
            # The dashboard counts by kind; the table filters by it.
            models.Index(fields=("kind", "current_status", "is_published"), name="commitment_kind_idx"),
            # Filter by status; the dashboard counts statuses and numeric targets from it alone.
            models.Index(fields=("current_status", "is_published", "target_value"), name="commitment_pub_status_idx"),
            # An unfiltered list's count (each table page, API list) reads this alone: 0.17 ms, not 0.5.
            models.Index(fields=["is_published"], name="commitment_published_idx", condition=Q(is_published=True)),
            # The filter form's lists of years and of bodies: read from an index, not every row.
            models.Index(Year("made_on"), "is_published", name="commitment_year_idx"),
            models.Index(fields=["responsible_body"], name="commitment_pub_body_idx", condition=Q(is_published=True)),
            # The sorts that end with the title (each language's: selectors.localized_title).
            *TITLE_SORT_INDEXES,
            *map(french_twin, TITLE_SORT_INDEXES),
            # The dashboard's latest-assessed numeric targets (selectors.numeric_commitments).
            models.Index(
                fields=("status_as_of", "made_on", "title"),
                condition=Q(target_value__isnull=False, status_as_of__isnull=False),
                name="commitment_numeric_recent_idx",
            ),
        )
        permissions = (("publish_commitment", "Can publish and unpublish commitments"),)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commitments:commitment-detail", kwargs={"slug": self.slug})

    @property
    def localized_title(self) -> str:
        """The title in the reader's language (French pages fall back to English)."""
        return self.title_fr if self.title_fr and get_language() == "fr" else self.title

    @property
    def localized_summary(self) -> str:
        return self.summary_fr if self.summary_fr and get_language() == "fr" else self.summary

    @property
    def localized_target_text(self) -> str:
        return self.target_text_fr if self.target_text_fr and get_language() == "fr" else self.target_text

    @property
    def target_text_is_english(self) -> bool:
        """True when a French page shows the English words (no French given): marked lang="en"."""
        return get_language() == "fr" and bool(self.target_text) and not self.target_text_fr

    @property
    def has_target(self) -> bool:
        return self.target_value is not None

    @property
    def progress_percent(self) -> int | None:
        """Share of the numeric target reached, 0–100, or None without target or reading."""
        return self.percent_of_target(self.current_progress)

    @property
    def progress_percent_shown(self) -> int | None:
        """As progress_percent, for the reading a list shows (selectors.with_status_shown)."""
        return self.percent_of_target(getattr(self, "progress_shown", self.current_progress))

    @property
    def is_undertaking(self) -> bool:
        return self.kind == StatementKind.UNDERTAKING

    def is_past_deadline(self, today: datetime.date) -> bool:
        """As CommitmentQuerySet.past_deadline, for one commitment."""
        return (
            self.deadline is not None
            and end_of(self.deadline, self.deadline_precision) < today
            and self.current_status not in FINAL
        )

    def is_assessment_due(self, today: datetime.date, max_age: datetime.timedelta) -> bool:
        """As CommitmentQuerySet.assessment_due, for one commitment."""
        if not self.is_undertaking or self.current_status in FINAL:
            return False
        cutoff = today - max_age
        if self.status_as_of is not None:
            return end_of(self.status_as_of, self.status_as_of_precision) < cutoff
        return end_of(self.made_on, self.made_on_precision) < cutoff

    def percent_of_target(self, value: Decimal | None) -> int | None:
        """`value` as a whole percentage of the target, at most 100; None without either."""
        return percent_of(value, self.target_value)

    def clean(self) -> None:
        errors = {}
        if self.target_value is not None and not self.target_unit:
            errors["target_unit"] = _("A numeric target needs a unit (troops, CAD, …).")
        if self.period_start and self.deadline and self.period_start > self.deadline:
            errors["deadline"] = _("The deadline cannot be before the start of the period.")
        if self.counted_stage and self.target_value is None:
            errors["counted_stage"] = _("Only a commitment with a numeric target counts a stage of its readings.")
        if errors:
            raise ValidationError(errors)


class CommitmentQuote(models.Model):
    """Links a commitment to a quote and records what the quote does for it."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="quote_links", verbose_name=_("commitment")
    )
    # PROTECT: removing a quote must not silently strip a commitment of its basis.
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="commitment_links", verbose_name=_("quote"))
    role = models.CharField(max_length=12, choices=QuoteRole, default=QuoteRole.MADE, verbose_name=_("role"))

    history = HistoricalRecords()

    class Meta:
        ordering = ("commitment", *LINK_ORDER)
        verbose_name = _("quote of the commitment")
        verbose_name_plural = _("quotes of the commitment")
        constraints = (
            models.UniqueConstraint(fields=("commitment", "quote"), name="commitment_quote_unique"),
            models.CheckConstraint(condition=in_choices("role", QuoteRole), name="commitment_quote_role_valid"),
        )

    def __str__(self) -> str:
        return f"{self.get_role_display()}: quote {self.quote_id}"
