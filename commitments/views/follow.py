"""Following: an Atom feed of one commitment's status changes, and of a filtered table's.

Each is the site feed (feeds.StatusUpdateFeed: the same entries, words and identifiers)
narrowed: to one published commitment (/commitments/<slug>/feed.atom), to the commitments a
table's filters select (/commitments/feed.atom?theme=…), or to the updates the updates
table's filters select (/updates.atom?status=…). Filters the table would refuse are refused
here too (400), so a feed never silently follows more than the reader asked for."""

from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import listings, selectors
from ..listings import InvalidFilters, Listing
from ..models import Commitment
from .feeds import FEED_LENGTH, StatusUpdateFeed

# The table's parameters that do not choose rows (its order and page), left out of a feed's address.
NOT_FILTERS = ("sort", "page")


def filters_of(params) -> str:
    """`params` as a feed's query string: the filters that are filled in, in their order."""
    kept = [(name, value) for name, values in params.lists() if name not in NOT_FILTERS for value in values if value]
    return f"?{urlencode(kept)}" if kept else ""


class CommitmentFeed(StatusUpdateFeed):
    """One published commitment's status changes (drafts: 404)."""

    def get_object(self, request, slug: str) -> Commitment:
        return get_object_or_404(Commitment.objects.published(), slug=slug)

    def title(self, obj: Commitment) -> str:
        return _("Commitment Tracker: %(title)s") % {"title": obj.localized_title}

    def subtitle(self, obj: Commitment) -> str:
        return _("Each new assessment of this commitment, with its evidence.")

    def link(self, obj: Commitment) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Commitment) -> str:
        return reverse("commitments:commitment-feed", args=(obj.slug,))

    def items(self, obj: Commitment):
        return selectors.recent_updates(limit=FEED_LENGTH, where=Q(commitment=obj))


class TableFeed(StatusUpdateFeed):
    """The status changes among a table's rows as its filters choose them."""

    listing: Listing = None  # type: ignore[assignment]  # set by a subclass
    page_url_name = ""
    feed_url_name = ""

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidFilters:
            return HttpResponseBadRequest(
                _("These filters cannot be used; open the table to correct them."), content_type="text/plain"
            )

    def get_object(self, request, *args, **kwargs):
        rows = self.listing.filtered(request.GET)  # InvalidFilters: a 400 (above)
        return rows.order_by().values("pk"), filters_of(request.GET)

    def subtitle(self, obj) -> str:
        if obj[1]:
            return _("Each new assessment among the rows these filters choose: %(filters)s") % {"filters": obj[1][1:]}
        return super().subtitle()

    def link(self, obj) -> str:
        return reverse(self.page_url_name) + obj[1]

    def feed_url(self, obj) -> str:
        return reverse(self.feed_url_name) + obj[1]


class CommitmentTableFeed(TableFeed):
    listing = listings.COMMITMENTS
    page_url_name = "commitments:commitment-list"
    feed_url_name = "commitments:commitment-table-feed"

    def title(self, obj) -> str:
        return _("Commitment Tracker: status changes of the chosen commitments")

    def items(self, obj):
        return selectors.recent_updates(limit=FEED_LENGTH, where=Q(commitment__in=obj[0]))


class UpdateTableFeed(TableFeed):
    """/updates.atom: every public update, or those the updates table's filters choose."""

    listing = listings.STATUS_UPDATES
    page_url_name = "commitments:update-list"
    feed_url_name = "commitments:update-feed"

    def title(self, obj) -> str:
        return super().title() if not obj[1] else _("Commitment Tracker: the chosen status changes")

    def items(self, obj):
        return selectors.recent_updates(limit=FEED_LENGTH, where=Q(pk__in=obj[0]) if obj[1] else None)
