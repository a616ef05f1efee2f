"""The public pages' addresses (under /fr/ too: tracker/urls.py adds the language prefix)."""

from django.urls import path, register_converter
from django.urls.converters import StringConverter

from .. import listings
from . import commitment, data, discovery, lists, pages, releases, search, share, sources, suggestions
from .follow import CommitmentFeed, CommitmentTableFeed, UpdateTableFeed

app_name = "commitments"


class ReleaseVersion(StringConverter):
    """A release's version, the day it was published (services.release_version): any other
    text is a 404 before a query, never a NUL byte that PostgreSQL refuses (a 500)."""

    regex = r"[0-9]{4}\.[0-9]{2}\.[0-9]{2}"


class ReleaseFileName(StringConverter):
    """A release file's name (commitments.csv, datapackage.json)."""

    regex = r"[A-Za-z0-9_.-]+"


register_converter(ReleaseVersion, "release")
register_converter(ReleaseFileName, "release_file")

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("commitments/", lists.CommitmentListView.as_view(), name="commitment-list"),
    path(
        "commitments/export.csv",
        lists.ListingExportView.as_view(listing=listings.COMMITMENTS),
        name="commitment-export",
    ),
    path(
        "commitments/export.xlsx",
        lists.ListingExportView.as_view(listing=listings.COMMITMENTS, file_format="xlsx"),
        name="commitment-export-xlsx",
    ),
    path("commitments/feed.atom", CommitmentTableFeed(), name="commitment-table-feed"),
    path("commitments/<slug:slug>/", commitment.CommitmentDetailView.as_view(), name="commitment-detail"),
    path("commitments/<slug:slug>/card.png", share.card_image, name="commitment-card"),
    path("embed/commitments/<slug:slug>/", share.EmbedView.as_view(), name="embed"),
    path("commitments/<slug:slug>/feed.atom", CommitmentFeed(), name="commitment-feed"),
    path("commitments/<slug:slug>/suggest/", suggestions.SuggestView.as_view(), name="suggest"),
    path("commitments/<slug:slug>/suggest/thanks/", suggestions.suggest_thanks, name="suggest-thanks"),
    path("updates/", lists.StatusUpdateListView.as_view(), name="update-list"),
    path("updates.atom", UpdateTableFeed(), name="update-feed"),
    path("updates/export.csv", lists.ListingExportView.as_view(listing=listings.STATUS_UPDATES), name="update-export"),
    path(
        "updates/export.xlsx",
        lists.ListingExportView.as_view(listing=listings.STATUS_UPDATES, file_format="xlsx"),
        name="update-export-xlsx",
    ),
    path("quotes/", lists.QuoteListView.as_view(), name="quote-list"),
    path("quotes/export.csv", lists.ListingExportView.as_view(listing=listings.QUOTES), name="quote-export"),
    path(
        "quotes/export.xlsx",
        lists.ListingExportView.as_view(listing=listings.QUOTES, file_format="xlsx"),
        name="quote-export-xlsx",
    ),
    path("search/", search.search_page, name="search"),
    path("sources/", sources.SourceListView.as_view(), name="source-list"),
    path("data/", data.DataDictionaryView.as_view(), name="data"),
    path("data/releases/", releases.ReleaseListView.as_view(), name="release-list"),
    path("data/releases/latest/", releases.latest_release, name="release-latest"),
    path("data/releases/<release:version>/", releases.ReleaseDetailView.as_view(), name="release-detail"),
    path(
        "data/releases/<release:version>/<release_file:name>", releases.ReleaseFileView.as_view(), name="release-file"
    ),
    path("corrections/", pages.CorrectionListView.as_view(), name="corrections"),
    path("opensearch.xml", discovery.opensearch, name="opensearch"),
    path("methodology/", pages.MethodologyView.as_view(), name="methodology"),
    path("sources/<slug:slug>/", sources.SourceDetailView.as_view(), name="source-detail"),
]
