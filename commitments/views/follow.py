"""Following: an Atom feed of one commitment's status changes, and of a filtered table's.

Each is the site feed (feeds.StatusUpdateFeed: the same entries, words and identifiers)
narrowed: to one published commitment (/commitments/<slug>/feed.atom), to the commitments a
table's filters select (/commitments/feed.atom?theme=…), or to the updates the updates
table's filters select (/updates.atom?status=…). Filters the table would refuse are refused
here too (400), so a feed never silently follows more than the reader asked for."""

import dataclasses
from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpRequest, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from .. import listings, selectors
from ..listings import InvalidFilters
from ..models import Commitment
from .feeds import FEED_LENGTH, StatusUpdateFeed, with_quote_addresses

# The table's parameters that do not choose rows (its order and page), left out of a feed's address.
NOT_FILTERS = ("sort", "page")


def filters_of(params) -> str:
    """`params` as a feed's query string: the filters that are filled in, in their order."""
    kept = [(name, value) for name, values in params.lists() if name not in NOT_FILTERS for value in values if value]
    return f"?{urlencode(kept)}" if kept else ""


@dataclasses.dataclass(frozen=True)
class Followed:
    """What a narrowed feed follows, and how it names itself."""

    title: str
    subtitle: str
    link: str
    feed_url: str
    where: Q | None  # None: every public update (the site feed)
    request: HttpRequest | None = None  # for the evidence quotes' absolute addresses


class StyledAtom1Feed(Atom1Feed):
    """Atom with its xml-stylesheet instructions (Django writes them for RSS only)."""

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:  # after the declaration, before any tag
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        handler.startElement("feed", self.root_attributes())  # type: ignore[arg-type]  # as Django does
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class NarrowedFeed(StatusUpdateFeed):
    feed_type = StyledAtom1Feed

    def stylesheets(self, obj: Followed | None = None) -> list[Stylesheet]:
        # Opened in a browser, a feed is shown as a page (static/feed.xsl); readers ignore it.
        return [Stylesheet(static("feed.xsl"), mimetype="text/xsl")]

    """The site feed's entries, among what `followed` chooses. (Each method takes the
    feed's object with a default, so it still fits the site feed's signature; Django passes
    the object to any method that takes one.)"""

    def followed(self, request, *args, **kwargs) -> Followed:
        raise NotImplementedError

    def __call__(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
        except InvalidFilters:
            return HttpResponseBadRequest(
                _("These filters cannot be used; open the table to correct them."), content_type="text/plain"
            )
        # A browser shows application/atom+xml as plain text, never applying the stylesheet:
        # to a reader opening the feed (who asks for HTML) the same bytes are XML, styled.
        if "text/html" in request.headers.get("Accept", ""):
            response["Content-Type"] = "application/xml; charset=utf-8"
        patch_vary_headers(response, ["Accept"])
        return response

    def get_object(self, request, *args, **kwargs) -> Followed:
        return dataclasses.replace(self.followed(request, *args, **kwargs), request=request)

    def title(self, obj: Followed | None = None) -> str:
        return obj.title if obj else super().title()

    def subtitle(self, obj: Followed | None = None) -> str:
        return obj.subtitle if obj else super().subtitle()

    def link(self, obj: Followed | None = None) -> str:
        return obj.link if obj else super().link()

    def feed_url(self, obj: Followed | None = None) -> str:
        return obj.feed_url if obj else super().feed_url()

    def items(self, obj: Followed | None = None):
        updates = selectors.recent_updates(limit=FEED_LENGTH, where=obj.where if obj else None)
        return with_quote_addresses(updates, obj.request) if obj and obj.request else updates


class CommitmentFeed(NarrowedFeed):
    """One published commitment's status changes (a draft's address: 404)."""

    def followed(self, request, slug: str) -> Followed:
        commitment = get_object_or_404(Commitment.objects.published(), slug=slug)
        return Followed(
            title=_("Commitment Tracker: %(title)s") % {"title": commitment.localized_title},
            subtitle=_("Each new assessment of this commitment, with its evidence."),
            link=commitment.get_absolute_url(),
            feed_url=reverse("commitments:commitment-feed", args=(slug,)),
            where=Q(commitment=commitment),
        )


def _chosen(filters: str) -> str:
    return _("Each new assessment among the rows these filters choose: %(filters)s") % {"filters": filters[1:]}


class CommitmentTableFeed(NarrowedFeed):
    """/commitments/feed.atom?…: the status changes of the commitments the table's filters choose."""

    def followed(self, request) -> Followed:
        chosen = listings.COMMITMENTS.filtered(request.GET).order_by().values("pk")  # InvalidFilters: 400
        filters = filters_of(request.GET)
        return Followed(
            title=_("Commitment Tracker: status changes of the chosen commitments"),
            subtitle=_chosen(filters) if filters else super().subtitle(),
            link=reverse("commitments:commitment-list") + filters,
            feed_url=reverse("commitments:commitment-table-feed") + filters,
            where=Q(commitment__in=chosen),
        )


class UpdateTableFeed(NarrowedFeed):
    """/updates.atom: every public update, or those the updates table's filters choose."""

    def followed(self, request) -> Followed:
        chosen = listings.STATUS_UPDATES.filtered(request.GET).order_by().values("pk")  # InvalidFilters: 400
        filters = filters_of(request.GET)
        return Followed(
            title=_("Commitment Tracker: the chosen status changes") if filters else super().title(),
            subtitle=_chosen(filters) if filters else super().subtitle(),
            link=reverse("commitments:update-list") + filters,
            feed_url=reverse("commitments:update-feed") + filters,
            where=Q(pk__in=chosen) if filters else None,
        )
