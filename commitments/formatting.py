"""Plain-text formatting shared by pages and exports."""

import datetime
import functools
from decimal import Decimal

from django.db import models
from django.utils import formats, translation
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import DatePrecision


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
    """Value -> label in the active language, resolved once per page or export.

    get_FOO_display() rebuilds a hashed map of lazy translations on every call: most of
    an export's time over 100,000 rows, and much of a table page's.
    """
    return {choice.value: str(choice.label) for choice in vocabulary}
