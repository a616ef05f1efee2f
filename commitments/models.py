"""The tracker's records: documents, the quotes taken from them, the commitments
those quotes make, and the append-only status history of each commitment."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .functions import Year
from .textmatch import closest_passage, find_passage

# The version of the published method (/methodology/). Raise it when the rules change;
# each status update records the version it followed.
METHOD_VERSION = "1"


class HttpsURLField(models.URLField):
    """A URL field whose form assumes https:// when the scheme is left out (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class DocumentKind(models.TextChoices):
    UN_LETTER = "un_letter", _("UN letter")
    STATEMENT = "statement", _("statement")
    POLICY_PAPER = "policy_paper", _("policy paper")
    WEB_PAGE = "web_page", _("web page")
    REPORT = "report", _("report")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    BILINGUAL = "bilingual", _("English and French")


class QuoteLanguage(models.TextChoices):
    """A quote is one passage, so it is in one language (bilingual is for documents)."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class Theme(models.TextChoices):
    PEACEKEEPING = "peacekeeping", _("Peacekeeping")
    PREVENTION = "prevention", _("Prevention and mediation")
    UN_REFORM = "un_reform", _("UN reform")
    REGIONAL = "regional", _("Regional organisations")
    NON_PROLIFERATION = "non_proliferation", _("Non-proliferation and security")
    ACCOUNTABILITY = "accountability", _("Accountability")
    NORM_PROMOTION = "norm_promotion", _("Norm promotion")


class Pillar(models.TextChoices):
    PREVENT = "prevent", _("Prevent")
    REACT = "react", _("React")
    REBUILD = "rebuild", _("Rebuild")
    NORM_BUILDING = "norm_building", _("Norm-building")


class Status(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not yet assessed")
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIALLY_ACHIEVED = "partially_achieved", _("Partially achieved")
    ACHIEVED = "achieved", _("Achieved")
    STALLED = "stalled", _("Stalled")
    ABANDONED = "abandoned", _("Abandoned")
    NOT_VERIFIABLE = "not_verifiable", _("Not verifiable")


# Statuses that judge a commitment against its success criteria, so need them written first.
JUDGED = (
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.PARTIALLY_ACHIEVED,
    Status.ACHIEVED,
    Status.STALLED,
    Status.ABANDONED,
)
# Statuses that must say why with a reason code and free text.
NEEDS_REASON = (Status.STALLED, Status.ABANDONED, Status.PARTIALLY_ACHIEVED)


class ReasonCode(models.TextChoices):
    """Why a commitment is stalled, abandoned or only partly achieved."""

    NOT_PRIORITISED = "not_prioritised", _("Not prioritised")
    POSITION_CHANGED = "position_changed", _("Position changed")
    BLOCKED_BY_OTHERS = "blocked_by_others", _("Blocked by others")
    OVERTAKEN_BY_EVENTS = "overtaken_by_events", _("Overtaken by events")
    DELIVERED_BY_ANOTHER_ACTOR = "delivered_by_another_actor", _("Delivered by another actor")


class ProgressStage(models.TextChoices):
    """What a numeric reading measures: money moves announced → allocated → disbursed,
    people pledged → deployed. A pledge is never counted as a deployment."""

    ANNOUNCED = "announced", _("Announced")
    ALLOCATED = "allocated", _("Allocated")
    DISBURSED = "disbursed", _("Disbursed")
    PLEDGED = "pledged", _("Pledged")
    DEPLOYED = "deployed", _("Deployed")


# A commitment counts either money or people: its readings keep to one family of stages.
STAGE_FAMILIES = (
    frozenset({ProgressStage.ANNOUNCED, ProgressStage.ALLOCATED, ProgressStage.DISBURSED}),
    frozenset({ProgressStage.PLEDGED, ProgressStage.DEPLOYED}),
)


def stage_family(stage: str) -> frozenset:
    return next(family for family in STAGE_FAMILIES if stage in family)


class CriterionAssessment(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not yet assessed")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NO_LONGER_APPLICABLE = "no_longer_applicable", _("No longer applicable")


class RestatementKind(models.TextChoices):
    REAFFIRMED = "reaffirmed", _("Reaffirmed")
    FIGURE_CHANGED = "figure_changed", _("Figure changed")
    DEADLINE_CHANGED = "deadline_changed", _("Deadline changed")
    SCOPE_CHANGED = "scope_changed", _("Scope or wording changed")


class ReviewState(models.TextChoices):
    """Two-person review: an update counts, and is public, only once someone else approved it."""

    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned to its author")


class QuoteRole(models.TextChoices):
    MADE = "made", _("made")
    REAFFIRMED = "reaffirmed", _("reaffirmed")
    PROGRESS = "progress", _("progress")


def _in_choices(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


def _date_precision_help(what: str) -> str:
    return _(
        "How precisely the source dates %(what)s. Store the first day of the month or "
        "year when only that is known; pages show only what is known."
    ) % {"what": what}


class SourceDocument(TimeStampedModel):
    slug = models.SlugField(max_length=120, unique=True, help_text=_("Used in the document's URL."))
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=DocumentKind)
    symbol = models.CharField(
        max_length=60, blank=True, help_text=_("UN document symbol such as A/57/303; blank if none.")
    )
    author = models.CharField(max_length=200, blank=True, help_text=_("Person or office that issued it."))
    venue = models.CharField(max_length=200, blank=True, help_text=_("Where it was delivered or published."))
    issued_on = models.DateField(null=True, blank=True, help_text=_("Leave empty if the document is undated."))
    issued_on_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_date_precision_help(_("the document")),
    )
    language = models.CharField(max_length=10, choices=Language, default=Language.ENGLISH)
    url = HttpsURLField(max_length=500, blank=True, help_text=_("Where the original is published."))
    full_text = models.TextField(help_text=_("The document as published. Quotes are checked against this text."))
    notes = models.TextField(blank=True, help_text=_("Provenance, dating and conversion notes."))

    history = HistoricalRecords()

    class Meta:
        # Undated documents last, on every database.
        ordering = (models.F("issued_on").asc(nulls_last=True), "title")
        constraints = (
            models.CheckConstraint(condition=_in_choices("kind", DocumentKind), name="document_kind_valid"),
            models.CheckConstraint(condition=_in_choices("language", Language), name="document_language_valid"),
            models.CheckConstraint(
                condition=_in_choices("issued_on_precision", DatePrecision),
                name="document_issued_on_precision_valid",
            ),
        )
        # The documents page and the quotes table sort by date, then title. With the slug,
        # the filter forms' list of every document is read from the index alone (documents
        # hold their full text: reading the rows took 3.7 ms for 1,000).
        indexes = (models.Index(fields=("issued_on", "title", "slug"), name="document_issued_on_idx"),)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commitments:source-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.pk is None:
            return
        broken = [quote for quote in self.quotes.all() if find_passage(self.full_text, quote.text) is None]
        if broken:
            listing = "; ".join(f"{quote} (quote {quote.pk})" for quote in broken)
            raise ValidationError(
                {
                    "full_text": _(
                        "This text would no longer contain %(count)d quote(s) taken from this document: "
                        "%(listing)s. Correct the text, or change those quotes first."
                    )
                    % {"count": len(broken), "listing": listing}
                }
            )


class Quote(TimeStampedModel):
    # PROTECT: a document that a quote cites cannot vanish from under the quote.
    source = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="quotes")
    text = models.TextField(
        help_text=_(
            "Copy the words exactly as they appear in the document. Only white space may "
            "differ; the quote is refused if it is not found in the document's text."
        )
    )
    language = models.CharField(max_length=2, choices=QuoteLanguage, default=QuoteLanguage.ENGLISH)
    locator = models.CharField(max_length=200, blank=True, help_text=_("Paragraph or heading where the quote appears."))
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_("The same passage in the document's other official language, if it has one."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("id",)
        constraints = (
            models.CheckConstraint(condition=_in_choices("language", QuoteLanguage), name="quote_language_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="quote_text_not_empty"),
        )
        indexes = (models.Index(fields=("language",), name="quote_language_idx"),)

    def __str__(self) -> str:
        words = self.text if len(self.text) <= 80 else f"{self.text[:77]}…"
        return f"“{words}”"

    def get_absolute_url(self) -> str:
        return f"{self.source.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        """Fragment id of this quote's highlight on its document page."""
        return f"quote-{self.pk}"

    def span_in_source(self) -> tuple[int, int] | None:
        return find_passage(self.source.full_text, self.text)

    def clean(self) -> None:
        if self.source_id is None or not self.text:
            return
        if self.span_in_source() is None:
            closest = closest_passage(self.source.full_text, self.text)
            raise ValidationError(
                {
                    "text": _(
                        "This quote does not occur word for word in “%(title)s”. "
                        "The closest passage in the document is: “%(closest)s”"
                    )
                    % {"title": self.source.title, "closest": closest}
                }
            )
        if self.translation_of_id is not None and self.translation_of_id == self.pk:
            raise ValidationError({"translation_of": _("A quote cannot be its own translation.")})


def percent_of(value: Decimal | None, target: Decimal | None) -> int | None:
    """`value` as a whole percentage of `target`, at most 100; None without either (the
    CSV export computes it from plain values, without a Commitment)."""
    if not target or value is None:
        return None
    return min(100, round(value * 100 / target))


class CommitmentQuerySet(models.QuerySet):
    def published(self) -> "CommitmentQuerySet":
        return self.filter(is_published=True)


class Commitment(TimeStampedModel):
    slug = models.SlugField(max_length=120, unique=True, help_text=_("Used in the commitment's URL."))
    title = models.CharField(max_length=200, help_text=_("Short and in plain words."))
    summary = models.TextField(help_text=_("What Canada said it would do, in plain words."))
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
    theme = models.CharField(max_length=20, choices=Theme)
    pillar = models.CharField(max_length=20, choices=Pillar, verbose_name=_("R2P pillar"))
    made_on = models.DateField(help_text=_("When the commitment was first made."))
    made_on_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_date_precision_help(_("the commitment")),
    )
    made_by = models.CharField(max_length=200, help_text=_("Who made it: office, minister or delegation."))
    responsible_body = models.CharField(
        max_length=200, blank=True, help_text=_("E.g. Department of National Defence, Global Affairs Canada.")
    )
    target_value = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Only for a numeric target, e.g. 600 for “up to 600 troops”."),
    )
    target_unit = models.CharField(
        max_length=30, blank=True, help_text=_("Unit of the target and of progress values: troops, CAD, …")
    )
    target_text = models.CharField(
        max_length=300, blank=True, help_text=_("The target in the source's words, e.g. “$1 billion over 10 years”.")
    )
    period_start = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True, help_text=_("End of the commitment's period, if any."))
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
    )
    # Denormalised from the latest status update by services.record_status_update,
    # so lists sort and filter on an indexed column. Never typed by hand.
    current_status = models.CharField(max_length=20, choices=Status, default=Status.NOT_ASSESSED, editable=False)
    current_progress = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True, editable=False)
    status_as_of = models.DateField(null=True, blank=True, editable=False)
    status_as_of_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY, editable=False
    )
    current_reason = models.CharField(
        max_length=30, choices=ReasonCode, blank=True, db_index=True, editable=False, verbose_name=_("reason")
    )
    current_progress_stage = models.CharField(max_length=10, choices=ProgressStage, blank=True, editable=False)
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
        constraints = (
            models.CheckConstraint(condition=_in_choices("theme", Theme), name="commitment_theme_valid"),
            models.CheckConstraint(condition=_in_choices("pillar", Pillar), name="commitment_pillar_valid"),
            models.CheckConstraint(condition=_in_choices("current_status", Status), name="commitment_status_valid"),
            models.CheckConstraint(
                condition=Q(current_reason="") | _in_choices("current_reason", ReasonCode),
                name="commitment_reason_valid",
            ),
            models.CheckConstraint(
                condition=_in_choices("made_on_precision", DatePrecision),
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
        # One per sortable or filterable column of the public table, each ending in the
        # table's tie-breaker, so a page (deep or not) is read in index order, not sorted.
        indexes = (
            # With is_published, the dashboard counts themes from the index alone.
            models.Index(fields=("theme", "is_published"), name="commitment_theme_idx"),
            models.Index(fields=("pillar",), name="commitment_pillar_idx"),
            models.Index(fields=("made_on", "title"), name="commitment_made_title_idx"),
            models.Index(fields=("title",), name="commitment_title_idx"),
            models.Index(fields=("target_value", "title"), name="commitment_target_title_idx"),
            models.Index(fields=("current_progress", "title"), name="commitment_progress_idx"),
            # Filter by status; the dashboard counts statuses and numeric targets from it alone.
            models.Index(fields=("current_status", "is_published", "target_value"), name="commitment_pub_status_idx"),
            models.Index(fields=("current_status", "title"), name="commitment_status_title_idx"),
            # The table's two main facets together ("peacekeeping, in progress"), in the
            # default order: page and count from the index, without reading other themes' rows.
            models.Index(
                fields=("current_status", "theme", "made_on", "title"),
                name="commitment_status_theme_idx",
                condition=models.Q(is_published=True),
            ),
            # The source sort ends in id: commitments made by one document often share a title.
            models.Index(fields=("primary_source_title", "title", "id"), name="commitment_source_title_idx"),
            # The filter form's list of years: read from the index, not from every row.
            models.Index(Year("made_on"), "is_published", name="commitment_year_idx"),
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

    def percent_of_target(self, value: Decimal | None) -> int | None:
        """`value` as a whole percentage of the target, at most 100; None without either."""
        return percent_of(value, self.target_value)

    def clean(self) -> None:
        errors = {}
        if self.target_value is not None and not self.target_unit:
            errors["target_unit"] = _("A numeric target needs a unit (troops, CAD, …).")
        if self.period_start and self.deadline and self.period_start > self.deadline:
            errors["deadline"] = _("The deadline cannot be before the start of the period.")
        if errors:
            raise ValidationError(errors)


class CommitmentQuote(models.Model):
    """Links a commitment to a quote and records what the quote does for it."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="quote_links")
    # PROTECT: removing a quote must not silently strip a commitment of its basis.
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="commitment_links")
    role = models.CharField(max_length=12, choices=QuoteRole, default=QuoteRole.MADE)

    history = HistoricalRecords()

    class Meta:
        ordering = ("commitment", "quote__source__issued_on", "quote_id")
        verbose_name = _("quote of the commitment")
        verbose_name_plural = _("quotes of the commitment")
        constraints = (
            models.UniqueConstraint(fields=("commitment", "quote"), name="commitment_quote_unique"),
            models.CheckConstraint(condition=_in_choices("role", QuoteRole), name="commitment_quote_role_valid"),
        )

    def __str__(self) -> str:
        return f"{self.get_role_display()}: quote {self.quote_id}"


class StatusUpdateQuerySet(models.QuerySet):
    def approved(self) -> "StatusUpdateQuerySet":
        """Updates that passed review: the only ones that count for a commitment's status."""
        return self.filter(review_state=ReviewState.APPROVED)

    def pending(self) -> "StatusUpdateQuerySet":
        return self.filter(review_state=ReviewState.PENDING)

    def public(self) -> "StatusUpdateQuerySet":
        """The one definition of the updates the public may see, wherever it looks (pages,
        exports, API, feeds): approved, and about a published commitment."""
        return self.approved().filter(commitment__is_published=True)


class StatusUpdate(models.Model):
    """One dated assessment of a commitment. Append-only: a correction is a new row."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="status_updates")
    status = models.CharField(max_length=20, choices=Status)
    as_of = models.DateField(help_text=_("The date the assessment describes, not the day it was typed."))
    as_of_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_date_precision_help(_("the assessment")),
    )
    progress_value = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Progress in the target's unit (e.g. troops deployed). Leave empty if none."),
    )
    progress_stage = models.CharField(
        max_length=10,
        choices=ProgressStage,
        blank=True,
        help_text=_(
            "What the reading measures. Money: announced, allocated or disbursed; people: pledged or "
            "deployed. Required with a reading: a pledge is never shown as a deployment."
        ),
    )
    rationale = models.TextField(
        blank=True, help_text=_("Why this status, in your own words. Required unless not yet assessed.")
    )
    evidence_quote = models.ForeignKey(
        Quote,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_for",
        help_text=_("A quote from a source document that shows this status."),
    )
    evidence_url = HttpsURLField(max_length=500, blank=True, help_text=_("A public record that shows this status."))
    reason_code = models.CharField(
        max_length=30,
        choices=ReasonCode,
        blank=True,
        help_text=_("Required for stalled, abandoned and partially achieved: why. Leave empty otherwise."),
    )
    reason_text = models.TextField(
        blank=True, help_text=_("The reason in plain words, e.g. which body did not act, and what the record shows.")
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text=_("The earlier update this one corrects, if any."),
    )
    correction_note = models.TextField(
        blank=True, help_text=_("With a correction: what was wrong in the update it corrects. Shown on /corrections/.")
    )
    method_version = models.CharField(
        max_length=10,
        default=METHOD_VERSION,
        editable=False,
        help_text=_("The version of the published method (/methodology/) this assessment followed."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    review_state = models.CharField(max_length=10, choices=ReviewState, default=ReviewState.PENDING, editable=False)
    # PROTECT: the review trail names who approved; that person's account cannot vanish from it.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_note = models.TextField(
        blank=True, editable=False, help_text=_("Why a reviewer returned the update to its author.")
    )

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ("-as_of", "-recorded_at", "-id")
        get_latest_by = ("as_of", "recorded_at", "id")
        constraints = (
            models.CheckConstraint(condition=_in_choices("status", Status), name="status_update_status_valid"),
            models.CheckConstraint(
                condition=_in_choices("as_of_precision", DatePrecision),
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
                condition=_in_choices("review_state", ReviewState), name="status_update_review_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(reason_code="")
                | (_in_choices("reason_code", ReasonCode) & Q(status__in=[status.value for status in NEEDS_REASON])),
                name="status_update_reason_fits_status",
            ),
            models.CheckConstraint(
                condition=Q(progress_stage="")
                | (_in_choices("progress_stage", ProgressStage) & Q(progress_value__isnull=False)),
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
        errors: dict[str, str] = {}
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
                and _end_of(self.as_of, self.as_of_precision)
                < _start_of(commitment.made_on, commitment.made_on_precision)
            ):
                errors["as_of"] = _("The as-of date cannot be before the commitment was made (%(made)s).") % {
                    "made": commitment.made_on.isoformat()
                }
        if self.progress_value is not None and commitment is not None and not commitment.has_target:
            errors["progress_value"] = _("This commitment has no numeric target, so it takes no progress value.")
        if self.corrects_id and commitment is not None and self.corrects.commitment_id != commitment.pk:
            errors["corrects"] = _("A correction must be to an update of the same commitment.")
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
        elif self.progress_stage in ProgressStage.values and self.commitment_id:
            family = stage_family(self.progress_stage)
            other = (
                StatusUpdate.objects.filter(commitment_id=self.commitment_id)
                .exclude(progress_stage="")
                .exclude(progress_stage__in=family)
                .exclude(pk=self.pk)
                .values_list("progress_stage", flat=True)
                .first()
            )
            if other:
                errors["progress_stage"] = _(
                    "This commitment's readings are counted as %(other)s: money is announced, allocated or "
                    "disbursed; people are pledged or deployed. Use a stage of the same kind."
                ) % {"other": ProgressStage(other).label.lower()}
        if self.status in JUDGED and self.commitment_id and not self.commitment.criteria.exists():
            errors["status"] = _(
                "Write the commitment's success criteria, and save them, before assessing it. If it is too "
                "vague ever to assess, record “not verifiable” with the reason."
            )
        if self.status == Status.NOT_VERIFIABLE and self.progress_value is not None:
            errors["progress_value"] = _("A commitment too vague to verify takes no progress reading.")
        if self.reviewed_by_id is not None and self.reviewed_by_id == self.recorded_by_id:
            errors["reviewed_by"] = _("An update must be approved by someone other than its author.")
        if errors:
            raise ValidationError(errors)


def _end_of(day, precision: str):
    """The latest date a value stored at `precision` may stand for."""
    if precision == DatePrecision.YEAR:
        return day.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return day


def _start_of(day, precision: str):
    """The earliest date a value stored at `precision` may stand for."""
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    return day


class SuccessCriterion(TimeStampedModel):
    """One thing that would count as achieved, written before the commitment is assessed,
    with its own assessment so a reader can check the verdict against it."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=1, help_text=_("Order on the page."))
    text = models.TextField(
        help_text=_(
            "In plain words, what would count as achieved. It must follow from what the quotes commit to; "
            "write it before the first assessment."
        )
    )
    assessment = models.CharField(max_length=20, choices=CriterionAssessment, default=CriterionAssessment.NOT_ASSESSED)
    evidence = models.TextField(
        blank=True, help_text=_("Required once assessed: what shows it is met, not met or no longer applicable.")
    )
    assessed_on = models.DateField(null=True, blank=True, help_text=_("The date the assessment describes."))

    # Every change to a criterion or its assessment is kept, so none is quietly rewritten.
    history = HistoricalRecords()

    class Meta:
        ordering = ("commitment", "position", "id")
        verbose_name = _("success criterion")
        verbose_name_plural = _("success criteria")
        constraints = (
            models.CheckConstraint(
                condition=_in_choices("assessment", CriterionAssessment), name="criterion_assessment_valid"
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
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="restatements")
    kind = models.CharField(max_length=20, choices=RestatementKind, default=RestatementKind.REAFFIRMED)
    stated_on = models.DateField(help_text=_("When the restatement was made."))
    stated_on_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY, help_text=_date_precision_help(_("it"))
    )
    change = models.TextField(
        blank=True, help_text=_("What it changes (a smaller figure, a new deadline); empty for a reaffirmation.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("commitment", "stated_on", "id")
        constraints = (
            models.CheckConstraint(condition=_in_choices("kind", RestatementKind), name="restatement_kind_valid"),
            models.CheckConstraint(
                condition=_in_choices("stated_on_precision", DatePrecision), name="restatement_precision_valid"
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
            and self.stated_on < _start_of(self.commitment.made_on, self.commitment.made_on_precision)
        ):
            errors["stated_on"] = _("A restatement cannot come before the commitment was made.")
        if errors:
            raise ValidationError(errors)
