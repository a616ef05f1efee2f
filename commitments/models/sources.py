"""Source documents and the verbatim quotes taken from them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .common import DatePrecision, HttpsURLField, TimeStampedModel, date_precision_help, in_choices
from .textmatch import closest_passage, find_passage, first_difference


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


# Undated documents last, on every database. Queries that aggregate, which drops
# Meta.ordering, order by it again.
DOCUMENT_ORDER = (models.F("issued_on").asc(nulls_last=True), "title")
# A commitment's quote links, and so its documents, in that order (then by quote).
LINK_ORDER = (models.F("quote__source__issued_on").asc(nulls_last=True), "quote_id")


class SourceDocument(TimeStampedModel):
    slug = models.SlugField(max_length=120, unique=True, help_text=_("Used in the document's URL."))
    title = models.CharField(max_length=300)
    short_title = models.CharField(
        max_length=80,
        blank=True,
        help_text=_(
            "A few words that name the document in tables (“2016 UN dialogue statement”); the full title "
            "is shown on its page and in citations."
        ),
    )
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
        help_text=date_precision_help(_("the document")),
    )
    language = models.CharField(max_length=10, choices=Language, default=Language.ENGLISH)
    url = HttpsURLField(max_length=500, blank=True, help_text=_("Where the original is published."))
    full_text = models.TextField(help_text=_("The document as published. Quotes are checked against this text."))
    notes = models.TextField(blank=True, help_text=_("Provenance, dating and conversion notes."))

    history = HistoricalRecords()

    class Meta:
        ordering = DOCUMENT_ORDER
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        constraints = (
            models.CheckConstraint(condition=in_choices("kind", DocumentKind), name="document_kind_valid"),
            models.CheckConstraint(condition=in_choices("language", Language), name="document_language_valid"),
            models.CheckConstraint(
                condition=in_choices("issued_on_precision", DatePrecision),
                name="document_issued_on_precision_valid",
            ),
        )
        # The documents page and the quotes table sort by date, then title. With the slug and
        # the language, the filter forms' list of every document is read from the index alone
        # (documents hold their full text: reading the rows took 3.7 ms for 1,000).
        indexes = (models.Index(fields=("issued_on", "title", "slug", "language"), name="document_issued_on_idx"),)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commitments:source-detail", kwargs={"slug": self.slug})

    @property
    def label(self) -> str:
        """The name tables show: the short title, or the title when none is given."""
        return self.short_title or self.title

    @property
    def title_language(self) -> str:
        """The language its title is written in (a bilingual document's title is English)."""
        return "fr" if self.language == Language.FRENCH else "en"

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
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = (
            models.CheckConstraint(condition=in_choices("language", QuoteLanguage), name="quote_language_valid"),
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

    def _not_found_message(self):
        """The refusal, with the closest passage and its first differing character marked
        (<mark>), so the analyst sees where the typo is, not two identical-looking lines."""
        closest = closest_passage(self.source.full_text, self.text)
        at = first_difference(closest, self.text)
        if at is None or at >= len(closest):
            marked = format_html("{}", closest)
        else:
            marked = format_html("{}<mark>{}</mark>{}", closest[:at], closest[at], closest[at + 1 :])
        return format_html(
            gettext(
                "This quote does not occur word for word in “{title}”. The closest passage in the document "
                "is: “{closest}” (the first character that differs is highlighted)."
            ),
            title=self.source.title,
            closest=marked,
        )

    def span_in_source(self) -> tuple[int, int] | None:
        return find_passage(self.source.full_text, self.text)

    def clean(self) -> None:
        if self.source_id is None or not self.text:
            return
        if self.span_in_source() is None:
            raise ValidationError({"text": self._not_found_message()})
        if self.translation_of_id is not None and self.translation_of_id == self.pk:
            raise ValidationError({"translation_of": _("A quote cannot be its own translation.")})
