"""Readers' suggestions: received from the public form, handled by an editor.

Receiving needs no role (anyone may suggest; the view limits how often per address);
handling is an editor's, and clears the reader's e-mail address, which was kept only so an
editor could write back while the suggestion was open."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Commitment, ReaderSuggestion, StatusUpdate
from . import roles


@transaction.atomic
def receive_suggestion(
    *, commitment: Commitment, what_is_wrong: str, evidence_url: str = "", name: str = "", email: str = ""
) -> ReaderSuggestion:
    """A reader's suggestion about a published commitment, open in the editors' queue."""
    if not commitment.is_published:
        raise ValidationError(_("Suggestions are taken for published commitments only."), code="unpublished")
    suggestion = ReaderSuggestion(
        commitment=commitment, what_is_wrong=what_is_wrong, evidence_url=evidence_url, name=name, email=email
    )
    suggestion.full_clean()
    suggestion.save()
    return suggestion


@transaction.atomic
def handle_suggestion(
    *, actor: roles.Actor | None, suggestion: ReaderSuggestion, note: str = "", led_to: StatusUpdate | None = None
) -> ReaderSuggestion:
    """Mark `suggestion` handled by `actor` (an editor), optionally naming the status update
    of the same commitment it led to; the reader's e-mail address is cleared."""
    roles.require(actor, roles.HANDLE_SUGGESTION, _("Only an editor may handle readers' suggestions."))
    suggestion = ReaderSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if led_to is not None and led_to.commitment_id != suggestion.commitment_id:
        raise ValidationError(
            {"led_to": _("The status update it led to must be one of the same commitment's.")}, code="other_commitment"
        )
    if suggestion.handled_at is None:
        suggestion.handled_at = timezone.now()
        suggestion.handled_by = actor
    suggestion.handling_note = note
    suggestion.led_to = led_to
    suggestion.email = ""
    suggestion.full_clean()
    suggestion.save()
    return suggestion
