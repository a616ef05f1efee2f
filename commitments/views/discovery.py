"""Being found: sitemap.xml (every public page in both languages, with hreflang
alternates), the OpenSearch description of the site search, and the schema.org Dataset
description /data/ carries as JSON-LD."""

import json

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .. import selectors
from ..formatting import TRACKER_NAME
from ..models import Commitment, DataRelease, SourceDocument


class _Bilingual(Sitemap):
    """Each address once per language (English unprefixed, French under /fr/), each with
    its alternates and x-default (django.contrib.sitemaps does the prefixing)."""

    i18n = True
    alternates = True
    x_default = True


class PageSitemap(_Bilingual):
    changefreq = "weekly"
    NAMES = (
        "commitments:home",
        "commitments:commitment-list",
        "commitments:update-list",
        "commitments:quote-list",
        "commitments:source-list",
        "commitments:corrections",
        "commitments:methodology",
        "commitments:data",
        "commitments:release-list",
    )

    def items(self):
        return list(self.NAMES)

    def location(self, item: str) -> str:
        return reverse(item)


class CommitmentSitemap(_Bilingual):
    changefreq = "weekly"

    def items(self):
        # Published only (the one definition), no history: one light query.
        return Commitment.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Commitment):
        return item.updated_at


class DocumentSitemap(_Bilingual):
    changefreq = "monthly"

    def items(self):
        return selectors.public_documents().only("slug").order_by("pk")

    def location(self, item: SourceDocument) -> str:
        return item.get_absolute_url()


SITEMAPS = {"pages": PageSitemap, "commitments": CommitmentSitemap, "documents": DocumentSitemap}


def favicon(request) -> HttpResponseRedirect:
    """/favicon.ico, which browsers and tools ask for whatever a page says: the static file,
    under its current (hashed) name, so the redirect is temporary."""
    return HttpResponseRedirect(static("favicon.ico"))


def opensearch(request) -> HttpResponse:
    """The OpenSearch description: browsers offer the tracker's search (/search/?q=) in their
    address bar, in the page's language."""
    return render(
        request,
        "commitments/opensearch.xml",
        {
            "search_url": request.build_absolute_uri(reverse("commitments:home")) + "search/",
            "short_name": _("Commitment Tracker"),
            "description": _("Search Canada's R2P commitments, their quotes and their sources."),
        },
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )


def dataset_jsonld(request) -> SafeString:
    """schema.org's Dataset for /data/ (what dataset search engines read), as JSON safe to
    put inside <script type="application/ld+json">: <, > and & are escaped as json_script does."""
    absolute = request.build_absolute_uri
    latest = DataRelease.objects.only("version", "published_on").first()
    distribution = [
        {"@type": "DataDownload", "encodingFormat": media, "contentUrl": absolute(reverse(name))}
        for name, media in (
            ("commitments:commitment-export", "text/csv"),
            ("commitments:update-export", "text/csv"),
            ("commitments:quote-export", "text/csv"),
            (
                "commitments:commitment-export-xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        )
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": str(TRACKER_NAME),
        "description": _(
            "Canada's stated commitments on the Responsibility to Protect and related peace-and-security pledges: "
            "the exact words of the documents that made them, and a dated, evidenced history of each one's status."
        ),
        "url": absolute(reverse("commitments:data")),
        "inLanguage": ["en", "fr"],
        "isAccessibleForFree": True,
        "license": settings.DATA_LICENCE,
        "creator": {"@type": "Organization", "name": str(TRACKER_NAME)},
        "keywords": ["Responsibility to Protect", "R2P", "Canada", "peacekeeping", "commitments"],
        "distribution": distribution,
    }
    if latest is not None:
        data["version"] = latest.version
        data["dateModified"] = latest.published_on.isoformat()
    text = json.dumps(data, ensure_ascii=False, indent=1)
    escaped = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return mark_safe(escaped)  # JSON with every character that could end the element escaped
