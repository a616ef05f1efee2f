from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views as api

app_name = "api"

urlpatterns = [
    path("", api.api_root, name="root"),
    path("commitments/", api.CommitmentList.as_view(), name="commitment-list"),
    path("commitments/<slug:slug>/", api.CommitmentDetail.as_view(), name="commitment-detail"),
    path("updates/", api.StatusUpdateList.as_view(), name="update-list"),
    path("documents/", api.DocumentList.as_view(), name="document-list"),
    path("documents/<slug:slug>/", api.DocumentDetail.as_view(), name="document-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
