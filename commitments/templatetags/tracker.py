from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import translate_url
from django.utils.translation import get_language_info

from ..formatting import (
    body_html,
    format_as_of,
    format_day,
    format_partial_date,
    format_percent,
    format_quantity,
    locator_html,
    no_reading_text,
    progress_meter,
    status_badge,
    unit_html,
    written_in_english,
)

register = template.Library()


@register.simple_tag
def partial_date(value, precision):
    return format_partial_date(value, precision)


@register.simple_tag
def as_of(value, precision):
    """'as of March 2017' (French: 'en mars 2017', 'au 6 septembre 2016')."""
    return format_as_of(value, precision)


@register.filter(expects_localtime=True)
def day(value):
    """A full date, day first, as the page's language writes it (a moment, on its day in the
    tracker's time zone: an evening edit in Toronto is not dated the next day)."""
    return format_day(value) if value else ""


@register.filter
def quantity(value):
    return format_quantity(value)


@register.filter
def percent(value):
    """42 -> '42%' in English, '42 %' in French."""
    return format_percent(value)


@register.filter
def unit(value):
    """A target's unit in the page's language (troops, militaires)."""
    return unit_html(value)


@register.filter
def body(value):
    """An office or delegation in the page's language."""
    return body_html(value)


@register.filter
def english(text):
    """Words recorded only in English: marked lang="en" on French pages, labelled « (en anglais) »."""
    return written_in_english(text)


@register.filter
def english_unlabelled(text):
    """As english, without the label (a heading, a short name)."""
    return written_in_english(text, label=False)


@register.filter
def locator(quote):
    """Where a quote is in its document, in the page's language."""
    return locator_html(quote.locator, quote.language)


register.simple_tag(progress_meter, name="progress_meter")
register.simple_tag(status_badge, name="status_badge")
register.simple_tag(no_reading_text, name="no_reading")


# The error pages: each answers about an address, which has no other language's version.
ERROR_PAGES = frozenset({"400.html", "403.html", "403_csrf.html", "404.html", "500.html", "503.html"})


@register.simple_tag(takes_context=True)
def other_languages(context) -> list[dict]:
    """This page in each other language: code, name in that language, address (query kept).
    A page with one address for every language: under the admin (a staff preview), the
    language is chosen as the admin's is (`by_switch`: the set_language form, whose CSRF
    token never reaches a public page); elsewhere (an unknown address's 404), none."""
    request = context.get("request")
    if request is None:  # a page rendered without a request has no address to translate
        return []
    if context.template is not None and context.template.origin.template_name in ERROR_PAGES:
        return []  # /commitments/no-such/ in English is no more there than in French
    current = context.get("LANGUAGE_CODE")
    here = request.get_full_path()
    under_admin = request.resolver_match is not None and "admin" in request.resolver_match.namespaces
    entries = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        url = translate_url(here, code)
        if url == here and not under_admin:
            continue
        entries.append(
            {"code": code, "name": get_language_info(code)["name_local"], "url": url, "by_switch": url == here}
        )
    return entries


@register.simple_tag(takes_context=True)
def absolute(context, path: str = "") -> str:
    """`path` (or the page's own address) with the scheme and host, for share tags and the
    printed address; just the path where the request's host is not an allowed one (the 400
    page for such a host must not fail while rendering), or where there is no request (the
    500 and 503 pages are rendered without one)."""
    request = context.get("request")
    if request is None:
        return path
    try:
        return request.build_absolute_uri(path or None)
    except DisallowedHost:
        return path or request.get_full_path()
