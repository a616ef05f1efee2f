"""One export cell: the column's definition and the text a spreadsheet opens safely.

The leaf of exports: it imports nothing of the app."""

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import F

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# OWASP CSV injection: a cell starting with one of these may run as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


BYTE_ORDER_MARK = "\ufeff"


NUMERIC_KINDS = frozenset({"number", "integer"})


@dataclass(frozen=True)
class ExportColumn:
    name: str
    description: "StrOrPromise"  # translated where shown (the data dictionary)
    # A row of whichever export: a model instance, a plain record or a tuple of values.
    value: Callable[[Any], object]
    kind: str = "text"  # text, code, date, datetime, number, integer, url
    vocabulary: type | None = None  # the TextChoices a code column takes its values from
    # For PostgreSQL's COPY (pg_copy) and the exports read as plain values (value_rows,
    # export_records): the ORM path when the value is a plain field, or an expression
    # giving the same text as `value`.
    field: str = ""
    sql: object = None
    # For the commitments export (records.commitment_rows): the cells of a chunk of rows,
    # read from its columns (records.CommitmentColumns), where not as `value` reads them
    # (a plain column's attrgetter reads the chunk's whole column).
    values_of: Callable[[Any], Iterable] | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    @property
    def expression(self):
        """The cell's value as a database expression, or None where only Python computes it."""
        if self.sql is not None:
            return self.sql
        return F(self.field) if self.field else None


def spreadsheet_safe(value: object, *, numeric: bool = False) -> str:
    """The cell text: ISO dates, plain numbers, and text that cannot start a formula."""
    if type(value) is str:  # the common case first: this runs for every cell
        return value if numeric or not value.startswith(FORMULA_TRIGGERS) else f"'{value}"
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize() if value == value.to_integral() else value, "f")
    elif isinstance(value, bool):
        return "true" if value else "false"
    elif isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    else:
        text = str(value)
    return text if numeric or not text.startswith(FORMULA_TRIGGERS) else f"'{text}"


numeric_cell = functools.partial(spreadsheet_safe, numeric=True)
