"""Sharing a commitment elsewhere: the embeddable card (/embed/commitments/<slug>/), made to
sit in another site's <iframe> (frame-ancestors * here only: every other page stays DENY),
and the PNG card image share tags point at (/commitments/<slug>/card.png), drawn with
Pillow and kept in Django's cache while what it shows is unchanged."""

import hashlib
import io
from functools import lru_cache

from csp.decorators import csp_replace
from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import DetailView
from PIL import Image, ImageDraw, ImageFont

from .. import selectors
from ..formatting import format_quantity
from ..models import Commitment, CommitmentQuote


def commitment_card() -> QuerySet[Commitment]:
    """What an embed, a card image and the share tags show (their one caller is here): the
    published commitments with the quotes they rest on and their documents, oldest document
    first. Never the history: these show only the current, approved status."""
    links = CommitmentQuote.objects.select_related("quote__source").order_by(*selectors.LINK_ORDER)
    return Commitment.objects.published().prefetch_related(Prefetch("quote_links", queryset=links))


@method_decorator(xframe_options_exempt, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": ["*"]}), name="dispatch")
class EmbedView(DetailView):
    """A published commitment's status, meter and founding quote, with a link back."""

    template_name = "commitments/embed.html"
    context_object_name = "commitment"

    def get_queryset(self):
        return commitment_card()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        links = list(self.object.quote_links.all())
        context["quote"] = links[0].quote if links else None
        return context


def embed_snippet(request, commitment: Commitment) -> str:  # markup, shown as text (force_escape)
    """The <iframe> a reader copies onto their own page (shown on the commitment's page)."""
    url = request.build_absolute_uri(reverse("commitments:embed", args=(commitment.slug,)))
    title = gettext("Commitment Tracker: %(title)s") % {"title": commitment.localized_title}
    return format_html('<iframe src="{}" title="{}" width="100%" height="320" loading="lazy"></iframe>', url, title)


# The card: the size Open Graph and Twitter recommend for a large image.
CARD_WIDTH, CARD_HEIGHT = 1200, 630
CARD_CACHE_SECONDS = 24 * 3600


@lru_cache(maxsize=8)
def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = settings.CARD_FONT_BOLD if bold else settings.CARD_FONT
    try:
        return ImageFont.truetype(path, size)
    except OSError:  # the font is missing: Pillow's own (Latin letters, accents included)
        return ImageFont.load_default(size)


def card_image(request, slug: str) -> HttpResponse:
    commitment = get_object_or_404(commitment_card(), slug=slug)
    status = commitment.get_current_status_display()
    percent = commitment.progress_percent
    reading = ""
    if percent is not None:
        reading = gettext("%(reading)s of %(target)s %(unit)s") % {
            "reading": format_quantity(commitment.current_progress),
            "target": format_quantity(commitment.target_value),
            "unit": commitment.target_unit,
        }
    shown = "\n".join((get_language() or "", commitment.localized_title, str(status), reading, str(percent)))
    version = hashlib.sha256(shown.encode()).hexdigest()[:16]
    etag = f'"{version}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304, headers={"ETag": etag})
    key = f"card:{version}"
    png = cache.get(key)
    if png is None:
        png = draw_card(title=commitment.localized_title, status=str(status), reading=reading, percent=percent)
        cache.set(key, png, CARD_CACHE_SECONDS)
    return HttpResponse(png, content_type="image/png", headers={"ETag": etag, "Cache-Control": "public, max-age=3600"})


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font, *, width: int, most: int) -> list[str]:
    """`text` in lines no wider than `width` pixels, at most `most` of them (the last cut with …)."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip(" ,.;:") + " …"
    return lines


def draw_card(*, title: str, status: str, reading: str, percent: int | None) -> bytes:
    """The PNG: the tracker's name, the title (up to four lines), the status and, with a
    numeric target, the reading and a meter. Dark text on white, as on the site."""
    image = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    ink, muted, blue, rule = "#1b1b1b", "#4a4a4a", "#0b4f9c", "#c8c8c8"
    draw.rectangle((0, 0, CARD_WIDTH, 16), fill=blue)
    draw.text((64, 56), gettext("Commitment Tracker"), font=_font(36, bold=True), fill=muted)
    lines = _wrapped(draw, title, _font(60, bold=True), width=CARD_WIDTH - 128, most=4)
    y = 130
    for line in lines:
        draw.text((64, y), line, font=_font(60, bold=True), fill=ink)
        y += 74
    y = max(y + 20, 400)
    draw.text((64, y), gettext("Status: %(status)s") % {"status": status}, font=_font(40, bold=True), fill=blue)
    if percent is not None:
        y += 64
        share = gettext("%(percent)s%%") % {"percent": percent}
        draw.text((64, y), f"{reading} ({share})", font=_font(34), fill=ink)
        y += 52
        draw.rectangle((64, y, CARD_WIDTH - 64, y + 28), outline=rule, width=2, fill="#f2f2f2")
        filled = 64 + round((CARD_WIDTH - 128) * percent / 100)
        if percent:
            draw.rectangle((64, y, filled, y + 28), fill=blue)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
