"""What an ingested document keeps beside its text: the original file, where each passage
is (its locator, as offsets into the full text), and the sentences suggested as commitments."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .commitments import Commitment
from .common import in_choices
from .method import StatementKind
from .sources import Quote, QuoteLanguage, SourceDocument


class MediaType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)"
    HTML = "text/html", "HTML"
    TEXT = "text/plain", _("plain text")
    MARKDOWN = "text/markdown", "Markdown"


class DocumentFile(models.Model):
    """The original a document's text was extracted from. Stored through Django's storage
    under a random name and never served publicly: the admin hands it to signed-in staff."""

    # CASCADE: the original belongs to its document and means nothing without it.
    document = models.OneToOneField(SourceDocument, on_delete=models.CASCADE, related_name="original")
    file = models.FileField(upload_to="documents/originals/", max_length=300)
    original_name = models.CharField(max_length=255, help_text=_("The file's name as uploaded."))
    media_type = models.CharField(max_length=100, choices=MediaType, help_text=_("Sniffed from the content."))
    size = models.PositiveBigIntegerField(help_text=_("In bytes."))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # PROTECT: who brought a document in stays known while it exists.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-uploaded_at",)
        constraints = (
            models.CheckConstraint(
                condition=in_choices("media_type", MediaType), name="document_file_media_type_valid"
            ),
        )

    def __str__(self) -> str:
        return self.original_name


class Passage(models.Model):
    """A stretch of a document's full text and where it is in the original (a page for a PDF,
    a heading and paragraph number otherwise): a quote's locator is read from these."""

    # CASCADE: a passage is part of its document's extracted text.
    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="passages")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    locator = models.CharField(max_length=200)
    language = models.CharField(max_length=2, choices=QuoteLanguage)

    class Meta:
        ordering = ("document", "start")
        constraints = (
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="passage_not_empty"),
            models.CheckConstraint(condition=in_choices("language", QuoteLanguage), name="passage_language_valid"),
            models.UniqueConstraint(fields=("document", "start"), name="one_passage_per_offset"),
        )

    def __str__(self) -> str:
        return self.locator


class SuggestionState(models.TextChoices):
    OPEN = "open", _("to review")
    QUOTED = "quoted", _("quoted")
    DISMISSED = "dismissed", _("dismissed")


class Suggestion(models.Model):
    """A sentence that reads like a commitment, for an analyst to confirm or dismiss."""

    # CASCADE: suggestions are a reading of their document, nothing else.
    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(help_text=_("The sentence as it stands in the text at start:end."))
    language = models.CharField(max_length=2, choices=QuoteLanguage)
    kind = models.CharField(max_length=20, choices=StatementKind, verbose_name=_("kind of statement (guess)"))
    # The rules it matched (codes of services.ingestion.suggestions.RULES), strongest first,
    # described in the reader's language when shown.
    reasons = models.CharField(max_length=200)
    figure = models.CharField(max_length=100, blank=True, help_text=_("A number with its unit, if it names one."))
    score = models.PositiveSmallIntegerField()
    # SET_NULL: a hint only; the commitment may be deleted without touching the suggestion.
    restatement_of = models.ForeignKey(Commitment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=SuggestionState, default=SuggestionState.OPEN)
    # SET_NULL: deleting the quote leaves the suggestion, marked quoted, as a record.
    quote = models.ForeignKey(Quote, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("suggested sentence")
        verbose_name_plural = _("suggested sentences")
        ordering = ("document", "-score", "start")
        constraints = (
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="suggestion_not_empty"),
            models.CheckConstraint(condition=in_choices("kind", StatementKind), name="suggestion_kind_valid"),
            models.CheckConstraint(condition=in_choices("state", SuggestionState), name="suggestion_state_valid"),
            models.CheckConstraint(condition=in_choices("language", QuoteLanguage), name="suggestion_language_valid"),
        )

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else f"{self.text[:77]}…"
