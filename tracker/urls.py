from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("commitments.api_urls")),
    path("", include("commitments.urls")),
]

handler500 = "commitments.errors.server_error"
