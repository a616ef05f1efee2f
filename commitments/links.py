"""Addresses of many records on one page, reversed once rather than once per record."""

import functools
from collections.abc import Callable

from django.urls import reverse

MARKER = "SLUG"  # appears nowhere else in these addresses; slugs need no URL quoting


class SlugUrls:
    """The address of a slug-keyed view for any slug: reverse() runs once, at the first
    address (in the active language, so /fr/ pages link to /fr/ pages), then each address
    is a concatenation. A page of 25 commitments and their documents spent a tenth of its
    time in reverse(). With `absolute_url` (a request's build_absolute_uri), the addresses
    are absolute, for exports and the API."""

    def __init__(self, view_name: str, absolute_url: Callable[[str], str] | None = None):
        self.view_name = view_name
        self.absolute_url = absolute_url

    @functools.cached_property
    def parts(self) -> tuple[str, str]:
        """The address before and after the slug."""
        address = reverse(self.view_name, kwargs={"slug": MARKER})
        prefix, suffix = (self.absolute_url(address) if self.absolute_url else address).split(MARKER)
        return prefix, suffix

    def __call__(self, slug: str) -> str:
        prefix, suffix = self.parts
        return f"{prefix}{slug}{suffix}"
