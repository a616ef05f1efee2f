"""Readers' suggestions: a correction or new evidence a reader proposes for a commitment.

A suggestion is never public: it waits in the editors' queue (admin) until one of them marks
it handled, optionally naming the status update (a correction, usually) it led to. The
reader's e-mail address is kept only until then (services.handle_suggestion clears it; a
constraint refuses a handled row that still holds one)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .assessments import StatusUpdate
from .commitments import Commitment

# What one suggestion may hold: enough for a paragraph and a link, too little to store a file.
WHAT_IS_WRONG_MAX = 2000
URL_MAX = 500
NAME_MAX = 100


class ReaderSuggestion(models.Model):
    # CASCADE: a suggestion is about its commitment only, and says nothing once that is gone.
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="suggestions")
    what_is_wrong = models.TextField(
        max_length=WHAT_IS_WRONG_MAX, help_text=_("The reader's words: what is wrong or missing.")
    )
    evidence_url = models.URLField(max_length=URL_MAX, blank=True, help_text=_("Where the reader's evidence is."))
    name = models.CharField(max_length=NAME_MAX, blank=True, help_text=_("Optional; as the reader gave it."))
    email = models.EmailField(
        blank=True, help_text=_("Optional; kept only until the suggestion is handled, then cleared.")
    )
    received_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    # PROTECT: a handled suggestion names the editor who handled it for as long as it exists.
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="handled_suggestions"
    )
    handling_note = models.TextField(blank=True, help_text=_("What the editors did about it (never shown in public)."))
    # SET_NULL is never needed in practice (status updates are append-only), but a link must
    # not keep a row alive.
    led_to = models.ForeignKey(
        StatusUpdate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text=_("The status update (usually a correction) this suggestion led to, if any."),
    )

    class Meta:
        verbose_name = _("reader's suggestion")
        verbose_name_plural = _("readers' suggestions")
        # Open ones first, in both databases (PostgreSQL sorts NULLs last by default), newest first.
        ordering = (models.F("handled_at").asc(nulls_first=True), "-received_at")
        constraints = (
            models.CheckConstraint(
                condition=Q(handled_at__isnull=True) | Q(email=""), name="suggestion_email_cleared_once_handled"
            ),
            models.CheckConstraint(
                condition=Q(handled_at__isnull=True, handled_by__isnull=True, led_to__isnull=True)
                | Q(handled_at__isnull=False),
                name="suggestion_handled_fields_together",
            ),
        )
        indexes = (models.Index(fields=("handled_at", "received_at"), name="suggestion_queue"),)

    # No get_absolute_url: a suggestion has no public page, ever.

    def __str__(self) -> str:
        return f"#{self.pk} ({self.received_at:%Y-%m-%d})" if self.received_at else "new suggestion"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None
