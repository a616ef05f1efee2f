"""The Atom feed of public status updates to published commitments (/updates.atom): approved
ones only, corrections included and marked as such."""

from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .. import selectors
from ..formatting import format_as_of, format_quantity, unit_text
from ..models import StatusUpdate

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from ..models import CorrectsShown

    # The feed's items: public updates (selectors.recent_updates), with their corrects_shown.
    Item = WithAnnotations[StatusUpdate, CorrectsShown]

FEED_LENGTH = 50


def with_quote_addresses(updates, request) -> list:
    """The updates, each evidence quote given its absolute address for the entry's summary
    (item_description). This request's own objects: nothing kept on the shared feed."""
    updates = list(updates)
    for update in updates:
        if update.evidence_quote is not None:
            address = request.build_absolute_uri(update.evidence_quote.get_absolute_url())
            setattr(update, "evidence_quote_address", address)  # noqa: B010 (not a model field)
    return updates


class StatusUpdateFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Commitment Tracker: status changes")

    def subtitle(self) -> str:
        return _("Each new assessment of one of Canada's published R2P commitments, with its evidence.")

    def link(self) -> str:
        return reverse("commitments:update-list")

    def feed_url(self) -> str:
        return reverse("commitments:update-feed")

    def get_object(self, request, *args, **kwargs):
        # The request, so each entry's evidence quote gets an absolute address (items()).
        return request

    def items(self, request):
        return with_quote_addresses(selectors.recent_updates(limit=FEED_LENGTH), request)

    def item_title(self, item: "Item") -> str:
        title = _("%(commitment)s: %(status)s %(as_of)s") % {
            "commitment": item.commitment.localized_title,
            "status": item.get_status_display(),
            "as_of": format_as_of(item.as_of, item.as_of_precision),
        }
        if item.corrects_shown is None:  # none, or one the public may not see (StatusUpdateQuerySet.public)
            return title
        return _("Correction: %(title)s") % {"title": title}

    def item_description(self, item: "Item") -> str:
        parts = []
        if item.corrects_shown is not None and item.corrects is not None:
            parts.append(
                _("Corrects the assessment %(as_of)s. What was wrong: %(note)s")
                % {
                    "as_of": format_as_of(item.corrects.as_of, item.corrects.as_of_precision),
                    "note": item.correction_note,
                }
            )
        parts.append(item.rationale)
        if item.reason_code:
            parts.append(_("Reason: %(reason)s.") % {"reason": item.get_reason_code_display()})
        if item.progress_value is not None:
            parts.append(
                _("Progress: %(value)s %(unit)s.")
                % {"value": format_quantity(item.progress_value), "unit": unit_text(item.commitment.target_unit)}
            )
            if item.progress_stage:
                parts.append(_("Stage: %(stage)s.") % {"stage": item.get_progress_stage_display()})
        if item.evidence_quote is not None:
            quote = item.evidence_quote
            parts.append(
                _("Evidence: “%(words)s” (%(document)s, %(url)s).")
                % {
                    "words": quote.text,
                    "document": quote.source.title,
                    "url": getattr(item, "evidence_quote_address", ""),
                }
            )
        if item.evidence_url:
            parts.append(_("Evidence: %(url)s") % {"url": item.evidence_url})
        return " ".join(part for part in parts if part)

    def item_link(self, item: StatusUpdate) -> str:
        return f"{item.commitment.get_absolute_url()}#update-{item.pk}"

    def item_guid(self, item: StatusUpdate) -> str:
        # Stable across languages and renames: the update's own number.
        return f"tag:commitment-tracker,2026:status-update-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: StatusUpdate):
        return item.recorded_at

    def item_updateddate(self, item: StatusUpdate):
        return item.recorded_at

    def item_categories(self, item: StatusUpdate):
        return (item.status,)
