"""Values as readers see them, on pages and in exports: dates, quantities, labels, status
badges, progress meters, citations and the addresses of many records."""

import datetime
import functools
import html
import itertools
import operator
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Protocol

from django.db import models
from django.urls import reverse
from django.utils import formats, translation
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _

from .models import Body, DatePrecision, TargetUnit


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """A date shown only as precisely as its source gives it: '2002', 'August 2016'."""
    if value is None:
        return _("undated")
    if precision == DatePrecision.YEAR:
        return str(value.year)
    # Day before month, as Canadian English and French both write it: "6 September 2016".
    if precision == DatePrecision.MONTH:
        return f"{_month_names(get_language())[value.month]} {value.year:04d}"
    return format_day(value)


def format_as_of(value: datetime.date | None, precision: str) -> str:
    """'as of 19 March 2018', 'as of March 2017', 'as of 2001': French says "au" before a day
    and "en" before a month or a year ("au mars 2017" is not French)."""
    if value is None or precision == DatePrecision.DAY:
        phrase = pgettext("before a day", "as of %(date)s")
    else:
        phrase = pgettext("before a month or a year", "as of %(date)s")
    return phrase % {"date": format_partial_date(value, precision)}


def format_day(value: datetime.date) -> str:
    """'6 September 2016'; in French the first of the month is '1er janvier 2012'."""
    language = get_language()
    day = "1er" if value.day == 1 and (language or "").startswith("fr") else value.day
    return f"{day} {_month_names(language)[value.month]} {value.year:04d}"


@functools.lru_cache(maxsize=16)
def _month_names(language: str | None) -> tuple[str, ...]:
    """Month names as Django's date format "F" writes them, resolved once per language:
    date_format() per cell was a tenth of a table page."""
    with translation.override(language):
        return ("", *(str(MONTHS[month]) for month in range(1, 13)))


def format_quantity(value: Decimal | None) -> str:
    """600.00 -> '600'; 820000000.00 -> '820,000,000' (for people, not for exports)."""
    if value is None:
        return ""
    normalised = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return formats.number_format(normalised, use_l10n=True, force_grouping=True)


def labels_of(vocabulary: type[models.TextChoices]) -> dict[str, str]:
    """Value -> label in the active language (a copy the caller may change).

    get_FOO_display() rebuilds a hashed map of lazy translations on every call: most of
    an export's time over 100,000 rows, and much of a table page's.
    """
    return dict(_labels(vocabulary, get_language()))


@functools.lru_cache(maxsize=128)
def _labels(vocabulary: type[models.TextChoices], language: str | None) -> dict[str, str]:
    """Resolved once per vocabulary and language in a process: the catalogue and the
    vocabularies change only with the code (a table page resolved five to eight of them,
    a label at a time, on every request)."""
    return {choice.value: str(choice.label) for choice in vocabulary}


def escaped(value) -> str:
    """conditional_escape(value) without the lazy-string wrapper Django puts around it,
    which cost more than the escaping itself over a table page's ~500 cells: text already
    safe as it is, anything else (a lazy translation too) as its text, escaped as Django
    escapes it (html.escape)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def quick_format_html(template: str, *args) -> SafeString:
    """format_html for the cells of a page's rows: each argument escaped by escaped()."""
    return mark_safe(template.format(*map(escaped, args)))  # each argument escaped


def progress_meter_html(*, reading: str, target: str, unit: str, percent: int | None, title="", stage="") -> SafeString:
    """'250 of 600 troops pledged (42%)' and a <meter> whose name repeats it.

    Written in Python, not a template: a table page draws one per row (a template per
    row was a tenth of the page). The texts are the catalogue's, so French reads the same."""
    reading, target, unit, title, stage = map(escaped, (reading, target, unit, title, stage))
    stage_words = f" {stage}" if stage else ""
    if percent is None:
        return mark_safe(f"{reading} {unit}{stage_words}" if reading else "")
    words = gettext("%(reading)s of %(target)s %(unit)s") % {"reading": reading, "target": target, "unit": unit}
    share = gettext("%(percent)s%%") % {"percent": percent}
    if title:
        name = gettext("Progress of “%(title)s”: %(percent)s%% of the target") % {"title": title, "percent": percent}
    else:
        name = gettext("Progress: %(percent)s%% of the target") % {"percent": percent}
    return mark_safe(
        f'<span class="progress">{words}{stage_words} <span class="percent">({share})</span>\n'
        f'<meter min="0" max="100" value="{percent}" aria-label="{name}">{share}</meter></span>'
    )


def progress_meter(commitment, value=None, *, title="", stage=""):
    """A reading against the target: the words and percentage, and a <meter> that repeats them.

    `value` defaults to the commitment's latest reading; `title` names the commitment in the
    meter's label where the page lists several; `stage` says what the reading counts
    (pledged, deployed…)."""
    reading = commitment.current_progress if value is None else value
    return progress_meter_html(
        reading=format_quantity(reading),
        target=format_quantity(commitment.target_value),
        unit=unit_html(commitment.target_unit),
        percent=commitment.percent_of_target(reading),
        title=title,
        stage=stage,
    )


def no_reading_text(counted_stage: str) -> str:
    """What a headline meter says without a reading: at the stage the criteria count, in
    words ("No deployed figure yet."), never a reading of another stage."""
    texts = {
        "announced": gettext("No announced figure yet."),
        "allocated": gettext("No allocated figure yet."),
        "disbursed": gettext("No disbursed figure yet."),
        "pledged": gettext("No pledged figure yet."),
        "deployed": gettext("No deployed figure yet."),
    }
    return texts.get(counted_stage, gettext("No progress reading has been recorded from a public source."))


def format_age(days: int) -> str:
    """A configured age in words: "two years" reads better than "730 days"."""
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def status_badge(status: str, label: str) -> SafeString:
    """A status in words, styled by its code (the words carry the meaning, not the colour)."""
    return quick_format_html('<span class="status status-{}">{}</span>', status, label)


TRACKER_NAME = gettext_lazy("Commitment Tracker: Canada's R2P and peace-and-security commitments")


class Citable(Protocol):
    """What a citation reads: a Commitment (the CSV export gives CitationWriter.each columns).
    Read-only members, so a Commitment's `status_as_of` (a date, never text) fits."""

    @property
    def title(self) -> str: ...
    @property
    def title_fr(self) -> str: ...
    @property
    def status_as_of(self) -> datetime.date | str | None: ...  # a date, or its ISO text ("" for None)
    @property
    def status_as_of_precision(self) -> str: ...


# A placeholder of the citation's wording (its conversion kept), and those each citation
# fills with its own values.
_PLACEHOLDER = re.compile(r"%\((\w+)\)([sdr])")


_OWN_VALUES = ("title", "url", "as_of")


def suggested_citation(commitment: Citable, *, url: str, accessed_on: datetime.date) -> str:
    """Title, tracker, URL, date accessed and the date the verdict is as of."""
    return CitationWriter(accessed_on)(commitment, url)


class CitationWriter:
    """suggested_citation for many commitments in the active language: the wording, the date
    accessed and each as-of date are translated and formatted once, not once per row (date
    formatting was a third of the CSV export's time)."""

    def __init__(self, accessed_on: datetime.date):
        wording = _("“%(title)s.” %(tracker)s. %(url)s (%(as_of)s; accessed %(accessed)s).")
        self.language = get_language()
        # What every row shares is written into the wording once, and the rest is filled by
        # position: formatting with five named values was most of a citation's time.
        shared = {"tracker": str(TRACKER_NAME), "accessed": formats.date_format(accessed_on, "j F Y")}
        own = [name for name, _conversion in _PLACEHOLDER.findall(wording) if name not in shared]
        self.template = _PLACEHOLDER.sub(
            lambda match: shared[match[1]].replace("%", "%%") if match[1] in shared else f"%{match[2]}", wording
        )
        # A row's own values in the wording's order (a translation may order or drop them).
        positions = [_OWN_VALUES.index(name) for name in own]
        self.in_wording_order: Callable[[tuple], tuple] = (
            operator.itemgetter(*positions)
            if len(positions) > 1
            else lambda values: tuple(values[position] for position in positions)
        )
        self.french = (self.language or "").startswith("fr")

    def __call__(self, commitment: Citable, url: str) -> str:
        return self.each(
            [commitment.title],
            [commitment.title_fr if self.french else ""],
            [url],
            [commitment.status_as_of],
            [commitment.status_as_of_precision],
        )[0]

    def each(
        self,
        titles: Iterable[str],
        titles_fr: Iterable[str],
        urls: Iterable[str],
        days: Iterable[datetime.date | str | None],
        precisions: Iterable[str],
    ) -> list[str]:
        """The citations of many commitments, given as columns (the CSV export's chunks):
        each step runs over a whole column in C (map, zip, %), not once per row in Python."""
        if self.french:  # the French title where there is one
            titles = [french or english for english, french in zip(titles, titles_fr, strict=True)]
        as_of = map(_as_of, days, precisions, itertools.repeat(self.language))
        values = map(self.in_wording_order, zip(titles, urls, as_of, strict=True))
        return list(map(self.template.__mod__, values))


@functools.lru_cache(maxsize=8192)
def _as_of(day: datetime.date | str | None, precision: str, language: str | None) -> str:
    """The as-of phrase in `language`, the active one (part of the key): formatting a date
    takes 40 µs, and an export cites each of a few hundred dates many times."""
    if day is None or day == "":  # "": never assessed, in the CSV export's ISO text
        return _("not yet assessed")
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return _("status %(as_of)s") % {"as_of": format_as_of(day, precision)}


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


def in_french() -> bool:
    return (get_language() or "").startswith("fr")


def vocabulary_html(vocabulary: type[models.TextChoices], value: str) -> SafeString:
    """A unit or a body in the reader's language. A value the vocabulary does not hold yet
    (the field keeps free text) is the analyst's English, marked so on French pages."""
    label = _labels(vocabulary, get_language()).get(value)
    if label is not None or not value or not in_french():
        return conditional_escape(label if label is not None else value)
    return format_html('<span lang="en">{}</span>', value)


def unit_html(unit: str) -> SafeString:
    return vocabulary_html(TargetUnit, unit)


def body_html(body: str) -> SafeString:
    return vocabulary_html(Body, body)


def unit_text(unit: str) -> str:
    """A unit's label as plain text (feeds, CSV), the English value if it has no label."""
    return _labels(TargetUnit, get_language()).get(unit, unit)


def format_percent(percent: int | None) -> str:
    """42 -> '42%', or in French '42 %' (a narrow no-break space, as French typography wants)."""
    return "" if percent is None else gettext("%(percent)s%%") % {"percent": percent}


# A locator's parts, generated in the page's language: "English part, paragraph 10" is
# « partie anglaise, paragraphe 10 » on a French page. Locators are written in English by
# analysts in a small grammar; a part outside it is shown as written, marked English.
_LOCATOR_PHRASES = {
    "document header (distribution line)": gettext_lazy("document header (distribution line)"),
    "letter": gettext_lazy("letter"),
    "English part": gettext_lazy("English part"),
    "French part": gettext_lazy("French part"),
    "bullet": gettext_lazy("bullet"),
    "first bullet": gettext_lazy("first bullet"),
    "second bullet": gettext_lazy("second bullet"),
    "last paragraph": gettext_lazy("last paragraph"),
    "first sentence": gettext_lazy("first sentence"),
    "second sentence": gettext_lazy("second sentence"),
    "third sentence": gettext_lazy("third sentence"),
    "fourth sentence": gettext_lazy("fourth sentence"),
    "last sentence": gettext_lazy("last sentence"),
}
_NUMBERED = re.compile(r"^(paragraph|page|section) (\d+)$")
_HEADING = re.compile(r"^heading '(.+)'$")
_EXCERPT = re.compile(r"^(.*?) \('(.+)'\)$")


def locator_html(locator: str, language: str) -> SafeString:
    """Where a quote is in its document, in the reader's language; the document's own words
    (a heading, an opening phrase) stay in `language`, the quote's."""
    if not locator:
        return mark_safe("")
    return mark_safe(", ".join(_locator_part(part.strip(), language) for part in locator.split(", ")))


def _locator_part(part: str, language: str) -> str:
    if excerpt := _EXCERPT.match(part):
        words = format_html('<span lang="{}">{}</span>', language, excerpt[2])
        return format_html(gettext("{where} (‘{words}’)"), where=_locator_part(excerpt[1], language), words=words)
    if part in _LOCATOR_PHRASES:
        return conditional_escape(_LOCATOR_PHRASES[part])
    if numbered := _NUMBERED.match(part):
        names = {"paragraph": gettext("paragraph"), "page": gettext("page"), "section": gettext("section")}
        return conditional_escape(f"{names[numbered[1]]} {numbered[2]}")
    if heading := _HEADING.match(part):
        words = format_html('<span lang="{}">{}</span>', language, heading[1])
        return format_html(gettext("heading ‘{words}’"), words=words)
    if in_french():
        return format_html('<span lang="en">{}</span>', part)
    return conditional_escape(part)


def written_in_english(text: str, *, label: bool = True) -> SafeString:
    """Words recorded only in English (rationales, notes, criteria of the data set): on a
    French page marked lang="en" and, with `label`, followed by « (en anglais) », so a
    French reader is not surprised by them and a screen reader reads them in English."""
    if not text:
        return conditional_escape(text)
    if not label or not in_french():
        return format_html('<span lang="en">{}</span>', text)
    return format_html('<span lang="en">{}</span>{}', text, in_english_label())


def in_english_label() -> SafeString:
    """What follows words kept only in English on a French page (nothing on an English one)."""
    if not in_french():
        return mark_safe("")
    return format_html(' <span class="in-english">{}</span>', gettext("(in English)"))


def evidence_quote_html(quote, *, url: str, words: int = 30) -> SafeString:
    """An update's evidence quote: its words (cut to `words`), in their language, linked to
    the passage on its document's page, and the document's short title."""
    text = Truncator(quote.text).words(words, truncate=" …")
    return format_html(
        '<a href="{}">{}<span lang="{}">{}</span>{}</a> — <span lang="{}">{}</span>',
        url,
        gettext("“"),
        quote.language,
        text,
        gettext("”"),
        quote.source.title_language,
        quote.source.label,
    )
