"""Addresses of many records on one page, reversed once rather than once per record."""

import functools

from django.urls import reverse

MARKER = "SLUG"  # appears nowhere else in these addresses; slugs need no URL quoting


class SlugUrls:
    """The address of a slug-keyed view for any slug: reverse() runs once, at the first
    address (in the active language, so /fr/ pages link to /fr/ pages), then each address
    is a concatenation. A page of 25 commitments and their documents spent a tenth of its
    time in reverse()."""

    def __init__(self, view_name: str):
        self.view_name = view_name

    @functools.cached_property
    def _parts(self) -> list[str]:
        return reverse(self.view_name, kwargs={"slug": MARKER}).split(MARKER)

    def __call__(self, slug: str) -> str:
        prefix, suffix = self._parts
        return f"{prefix}{slug}{suffix}"
