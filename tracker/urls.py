from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import set_language

from commitments.admin.common import view_on_site
from commitments.views.discovery import SITEMAPS, favicon

urlpatterns = [
    # Before the admin's own, which it replaces: no answer tells a colleague which ids exist.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    # The admin's language switch (a cookie; public pages take theirs from the /fr/ prefix).
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", include("commitments.api.urls")),
    # Both languages in one sitemap, each address with its hreflang alternates.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Browsers and tools ask for /favicon.ico whatever the page says.
    path("favicon.ico", favicon),
    # Public pages in English at /, in French under /fr/.
    *i18n_patterns(path("", include("commitments.views.urls")), prefix_default_language=False),
]

handler500 = "commitments.views.errors.server_error"
