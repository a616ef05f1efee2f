"""Every public GET address, with real slugs, so security tests cover pages added later.

The list is read from the URL configuration: a new public route is covered without
anyone remembering to add it here.
"""

from django.urls import URLPattern, URLResolver, get_resolver

from commitments.models import Commitment, SourceDocument

# Routes that are not public pages.
_PRIVATE_PREFIXES = ("admin/",)


def _routes(patterns, prefix=""):
    for pattern in patterns:
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
    document = SourceDocument.objects.first()
    urls = []
    for route in public_routes():
        if "<slug:slug>" in route:
            slug = document.slug if route.startswith(("sources/", "api/documents/")) else commitment.slug
            route = route.replace("<slug:slug>", slug)
        if "<" in route or "(" in route:
            raise AssertionError(f"public_urls cannot fill the route {route!r}: teach it")
        urls.append("/" + route)
    return urls
