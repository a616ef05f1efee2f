from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("commitments/", views.CommitmentListView.as_view(), name="commitment-list"),
    path("commitments/export.csv", views.commitment_export, name="commitment-export"),
    path("commitments/<slug:slug>/", views.CommitmentDetailView.as_view(), name="commitment-detail"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
]
