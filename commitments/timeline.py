"""The entries of a commitment's status timeline, written in Python.

The template's loop over 100 updates, each resolving some forty variables, tags and
translations, was two thirds of the 100-update page. Here each entry is one pass over
the update's fields. The markup is what commitment_detail.html wrote, byte for byte:
every value is escaped as the template escaped it, the texts are the catalogue's (so
the French page reads the same), and the template keeps the page's structure.
"""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from .formatting import format_day, format_partial_date, format_quantity, labels_of
from .links import SlugUrls
from .meters import status_badge
from .models import ProgressStage, ReasonCode, Status, StatusUpdate

EVIDENCE_WORDS = 30  # an evidence quote is cut to this many words, as |truncatewords:30 did


def timeline_entries(updates: Iterable[StatusUpdate], *, unit: str) -> list[SafeString]:
    """One <li> per update, in the order given; `unit` is the commitment's target unit.

    The updates need their evidence quote with its document, and the update they correct,
    loaded with them (selectors.commitment_detail): this function never queries."""
    texts = _Texts(unit)
    return [_entry(update, texts) for update in updates]


class _Texts:
    """What every entry of one page shares: translations, the method's address, the unit."""

    def __init__(self, unit: str):
        # Translations come from the catalogue, not from readers: not escaped, as in templates.
        self.reason = gettext("Reason:")
        self.what_was_wrong = gettext("What was wrong:")
        self.evidence = gettext("Evidence:")
        self.corrects = gettext("Corrects the assessment as of %(date)s.")
        self.reviewed = gettext(
            'Checked and approved by a second editor on %(date)s; <a href="%(url)s">method</a> version %(version)s.'
        )
        self.not_recorded = gettext(
            'Reviewed before the tracker recorded each approval; <a href="%(url)s">method</a> version %(version)s.'
        )
        self.method_url = conditional_escape(reverse("commitments:methodology"))
        self.unit = conditional_escape(unit)
        # Labels in the page's language, resolved once: get_FOO_display() per update rebuilt
        # a map of lazy translations each time. An unknown code stands for itself.
        self.statuses = labels_of(Status)
        self.stages = labels_of(ProgressStage)
        self.reasons = labels_of(ReasonCode)
        self.document_url = SlugUrls("commitments:source-detail")  # reversed once per page

    def quote_url(self, quote) -> str:
        """Quote.get_absolute_url, without a reverse() per update."""
        return conditional_escape(f"{self.document_url(quote.source.slug)}#{quote.anchor}")


def _entry(update: StatusUpdate, texts: _Texts) -> SafeString:
    escape = conditional_escape
    reading = ""
    if update.progress_value is not None:
        stage = ""
        if update.progress_stage:
            stage = f" {escape(texts.stages.get(update.progress_stage, update.progress_stage).lower())}"
        reading = f" — {escape(format_quantity(update.progress_value))} {texts.unit}{stage}"
    correction = ""
    if update.corrects:
        said = texts.corrects % {"date": escape(update.corrects.as_of.isoformat())}
        correction = f'<p class="correction">{said}</p>'
    reason = ""
    if update.reason_code:
        why = f' — <span lang="en">{escape(update.reason_text)}</span>' if update.reason_text else ""
        label = escape(texts.reasons.get(update.reason_code, update.reason_code))
        reason = f'<p class="reason"><strong>{texts.reason}</strong> {label}{why}</p>'
    note = ""
    if update.correction_note:
        note = (
            f'<p class="correction-note"><strong>{texts.what_was_wrong}</strong> '
            f'<span lang="en">{escape(update.correction_note)}</span></p>'
        )
    trail = {"url": texts.method_url, "version": escape(update.method_version)}
    if update.reviewed_at:
        # The day in the tracker's time zone: an approval on a Toronto evening is that day's.
        reviewed_on = timezone.localtime(update.reviewed_at)
        review = texts.reviewed % {**trail, "date": escape(format_day(reviewed_on))}
    else:
        review = texts.not_recorded % trail
    quote = update.evidence_quote
    quoted = ""
    if quote:
        words = escape(Truncator(quote.text).words(EVIDENCE_WORDS, truncate=" …"))
        quoted = (
            f'<a href="{texts.quote_url(quote)}">“<span lang="{escape(quote.language)}">{words}</span>” — '
            f"{escape(quote.source.title)}</a>"
        )
    url = escape(update.evidence_url)
    linked = f'<a href="{url}" rel="noopener">{url}</a>' if update.evidence_url else ""
    status = status_badge(update.status, texts.statuses.get(update.status, update.status))
    # The whitespace is the template's, so the page did not change when the entry moved here.
    return mark_safe(  # every value above is escaped; the translations are the catalogue's
        f'<li id="update-{update.pk}">\n'
        f'      <p><time datetime="{update.as_of.isoformat()}"><strong>'
        f"{escape(format_partial_date(update.as_of, update.as_of_precision))}</strong></time>:\n"
        f"        {status}\n"
        f"        {reading}</p>\n"
        f"      {correction}\n"
        f'      <p lang="en">{escape(update.rationale)}</p>\n'
        f"      {reason}\n"
        f"{note}\n"
        f'<p class="review-trail">{review}</p>\n'
        f'      <p class="evidence">{texts.evidence}\n'
        f"        {quoted}\n"
        f"        {'; ' if quote and update.evidence_url else ''}\n"
        f"        {linked}\n"
        f"      </p>\n"
        f"    </li>"
    )
