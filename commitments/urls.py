from django.urls import path

from . import feeds, listings, views

app_name = "commitments"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("commitments/", views.CommitmentListView.as_view(), name="commitment-list"),
    path(
        "commitments/export.csv",
        views.ListingExportView.as_view(listing=listings.COMMITMENTS),
        name="commitment-export",
    ),
    path("commitments/<slug:slug>/", views.CommitmentDetailView.as_view(), name="commitment-detail"),
    path("updates/", views.StatusUpdateListView.as_view(), name="update-list"),
    path("updates.atom", feeds.StatusUpdateFeed(), name="update-feed"),
    path("updates/export.csv", views.ListingExportView.as_view(listing=listings.STATUS_UPDATES), name="update-export"),
    path("quotes/", views.QuoteListView.as_view(), name="quote-list"),
    path("quotes/export.csv", views.ListingExportView.as_view(listing=listings.QUOTES), name="quote-export"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("data/", views.DataDictionaryView.as_view(), name="data"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("methodology/", views.MethodologyView.as_view(), name="methodology"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
]
