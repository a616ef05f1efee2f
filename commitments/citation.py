"""Suggested citation for a commitment's page, the same on the page and in the CSV."""

import datetime
import functools
import operator
import re
from collections.abc import Callable
from typing import Protocol

from django.utils import formats
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .formatting import format_partial_date

TRACKER_NAME = gettext_lazy("Commitment Tracker: Canada's R2P and peace-and-security commitments")


class Citable(Protocol):
    """What a citation reads: a Commitment, or a row of the CSV export's plain records."""

    title: str
    status_as_of: datetime.date | str | None  # a date, or its ISO text
    status_as_of_precision: str


# A placeholder of the citation's wording (its conversion kept), and those each citation
# fills with its own values.
_PLACEHOLDER = re.compile(r"%\((\w+)\)([sdr])")
_OWN_VALUES = ("title", "url", "as_of")


def suggested_citation(commitment: Citable, *, url: str, accessed_on: datetime.date) -> str:
    """Title, tracker, URL, date accessed and the date the verdict is as of."""
    return citation_writer(accessed_on)(commitment, url)


def citation_writer(accessed_on: datetime.date) -> Callable[[Citable, str], str]:
    """suggested_citation for many commitments in the active language: the wording, the date
    accessed and each as-of date are translated and formatted once, not once per row (date
    formatting was a third of the CSV export's time)."""
    wording = _("“%(title)s.” %(tracker)s. %(url)s (%(as_of)s; accessed %(accessed)s).")
    language = get_language()
    # What every row shares is written into the wording once, and the rest is filled by
    # position: formatting with five named values was most of a citation's time.
    shared = {"tracker": str(TRACKER_NAME), "accessed": formats.date_format(accessed_on, "j F Y")}
    own = [name for name, _conversion in _PLACEHOLDER.findall(wording) if name not in shared]
    template = _PLACEHOLDER.sub(
        lambda match: shared[match[1]].replace("%", "%%") if match[1] in shared else f"%{match[2]}", wording
    )
    # A row's own values in the wording's order (a translation may order or drop them).
    positions = [_OWN_VALUES.index(name) for name in own]
    in_wording_order = (
        operator.itemgetter(*positions)
        if len(positions) > 1
        else lambda values: tuple(values[position] for position in positions)
    )

    def cite(commitment: Citable, url: str) -> str:
        values = (
            commitment.title,
            url,
            _as_of(commitment.status_as_of, commitment.status_as_of_precision, language),
        )
        return template % in_wording_order(values)

    return cite


@functools.lru_cache(maxsize=8192)
def _as_of(day: datetime.date | str | None, precision: str, language: str | None) -> str:
    """The as-of phrase in `language`, the active one (part of the key): formatting a date
    takes 40 µs, and an export cites each of a few hundred dates many times."""
    if day is None:
        return _("not yet assessed")
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return _("status as of %(date)s") % {"date": format_partial_date(day, precision)}
