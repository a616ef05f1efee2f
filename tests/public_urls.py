"""Every public GET address, with real slugs, so security tests cover pages added later.

The list is read from the URL configuration: a new public route is covered without
anyone remembering to add it here.
"""

from django.conf import settings
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver
from django.utils import timezone

from commitments.exports.releases import publish_release
from commitments.models import Commitment, DataRelease

# Routes that are not public pages.
_PRIVATE_PREFIXES = ("admin/",)


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern.pattern, LocalePrefixPattern):
            # The public pages, once per language: unprefixed for the default, /fr/ etc.
            for code, _name in settings.LANGUAGES:
                language_prefix = "" if code == settings.LANGUAGE_CODE else f"{code}/"
                yield from _routes(pattern.url_patterns, prefix + language_prefix)
            continue
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def public_routes() -> list[str]:
    """The route templates, e.g. 'commitments/<slug:slug>/'."""
    return sorted(
        route.removeprefix("^")
        for route in _routes(get_resolver().url_patterns)
        if not route.startswith(_PRIVATE_PREFIXES)
    )


def public_urls() -> list[str]:
    """Each public route as a path, slugs filled from the published data in the database."""
    commitment = Commitment.objects.filter(is_published=True).first()
    document = commitment.quote_links.first().quote.source  # a document a published commitment rests on
    # A data release's pages and files: published here if there is none yet (the tests'
    # MEDIA_ROOT is a temporary folder, conftest.py), as of today, so drafts stay out of it.
    release = DataRelease.objects.first() or publish_release(actor=None, as_of=timezone.localdate())
    urls = []
    for route in public_routes():
        route = route.replace("<release:version>", release.version)
        route = route.replace("<release_file:name>", "commitments.csv")
        if "<slug:slug>" in route:
            by_document = "sources/" in route or route.startswith("api/documents/")
            slug = document.slug if by_document else commitment.slug
            route = route.replace("<slug:slug>", slug)
        if "<" in route or "(" in route:
            raise AssertionError(f"public_urls cannot fill the route {route!r}: teach it")
        urls.append("/" + route)
    return urls
