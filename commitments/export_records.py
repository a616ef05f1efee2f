"""The commitments CSV export's rows read as plain values, not model instances.

Building ~95,000 instances (commitments, quote links, quotes, documents, criteria) for
9,500 rows was most of the export's time. Here the columns that print a field are read as
plain values (dates as ISO text); the others are computed from a small record per row,
with its documents and criteria fetched per chunk as tuples in the order the model
instances give them (tables.documents_of, `criteria.all()`). Writing the cells in SQL
(cell_sql) was tried: SQLite took longer to evaluate it than Python takes.
tests/test_export_records.py holds this path and the model instances' to the same bytes.
"""

import itertools
import json
import operator
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import F, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from . import selectors
from .cell_sql import TEXT, IsoDate
from .exports import FORMULA_TRIGGERS, ExportColumn, numeric_cell, spreadsheet_safe
from .models import SuccessCriterion

# Rows per round trip; each chunk's documents and criteria are one query each.
CHUNK = 2000


class CommitmentRecord(NamedTuple):
    """What the columns computed in Python read, under a Commitment's attribute names, so
    each column's `value` reads a record as it reads a Commitment (or `record_value`)."""

    id: int
    slug: str
    title: str
    status_shown: str
    reason_shown: str
    target_value: Decimal | None
    progress_shown: Decimal | None
    status_as_of: str | None  # ISO text (citation.Citable)
    status_as_of_precision: str
    document_titles: Sequence[str]  # of its distinct documents, in tables.documents_of's order
    document_symbols: Sequence[str]  # the UN symbols among them
    criteria: Sequence[str]


VALUE_FIELDS = CommitmentRecord._fields[:-3]


def as_read(column: ExportColumn) -> bool:
    """Columns that print a field as the database gives it (text, codes, ISO dates)."""
    return bool(column.field) and column.kind in ("text", "code", "date")


def _value(column: ExportColumn):
    # A date as its ISO text (SQLite stores that): converting each to a date, as the
    # sqlite3 module does for a date column, took longer than the rest of the query.
    # Empty rather than NULL, so a row's cells join as text (commitment_rows).
    if column.kind == "date":
        return Coalesce(IsoDate(F(column.field)), Value(""), output_field=TEXT)
    return F(column.field)


# A cell after the first that could start a formula (the cells joined with NUL).
_FORMULA_AFTER_NUL = re.compile("\0[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")


def commitment_rows(queryset: QuerySet, columns: list[ExportColumn]) -> Iterator[tuple[str, ...]]:
    """Each row of `queryset` (its filters and order kept) as its cells in column order,
    a chunk at a time."""
    read = [column for column in columns if as_read(column)]
    texts = [column for column in columns if not as_read(column) and not column.numeric]
    numbers = [column for column in columns if not as_read(column) and column.numeric]
    # A row's cells are those of `read`, `texts` and `numbers`: where each column's is.
    offsets = {id(column): index for index, column in enumerate(read + texts + numbers)}
    in_column_order = operator.itemgetter(*(offsets[id(column)] for column in columns))
    read_texts = [column.record_value or column.value for column in texts]
    read_numbers = [column.record_value or column.value for column in numbers]
    record_values = (IsoDate(F(field)) if field == "status_as_of" else F(field) for field in VALUE_FIELDS)
    values = queryset.values_list(*record_values, *(_value(column) for column in read))
    rows = values.iterator(chunk_size=CHUNK)
    record_length, new_record = len(VALUE_FIELDS), tuple.__new__
    while chunk := list(itertools.islice(rows, CHUNK)):
        ids = [row[0] for row in chunk]
        titles, symbols = _documents_by_commitment(ids)
        criteria = _criteria_by_commitment(ids)
        for row in chunk:
            commitment_id = row[0]
            record = new_record(
                CommitmentRecord,
                (
                    *row[:record_length],
                    titles.get(commitment_id, ()),
                    symbols.get(commitment_id, ()),
                    criteria.get(commitment_id, ()),
                ),
            )
            # The read cells are text: spreadsheet_safe only where one could start a formula,
            # found for the whole row at once (cell by cell took a fifth of the time).
            read_cells = row[record_length:]
            if read_cells[0].startswith(FORMULA_TRIGGERS) or _FORMULA_AFTER_NUL.search("\0".join(read_cells)):
                read_cells = [spreadsheet_safe(value) for value in read_cells]
            # spreadsheet_safe's common case inline.
            text_cells = [
                text
                if (text := read(record)).__class__ is str and not text.startswith(FORMULA_TRIGGERS)
                else spreadsheet_safe(text)
                for read in read_texts
            ]
            number_cells = ["" if (number := read(record)) is None else numeric_cell(number) for read in read_numbers]
            yield in_column_order((*read_cells, *text_cells, *number_cells))


def _one_of(ids: list[int]) -> RawSQL:
    """`ids` as a single query parameter: an IN list of 2,000 placeholders costs the ORM
    more time to build than the database takes to answer it."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


def _documents_by_commitment(ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Each commitment's distinct documents' titles, and their symbols where they have one,
    in the order the page shows them (selectors.documents_by_commitment)."""
    documents = selectors.documents_by_commitment(_one_of(ids), fields=("title", "symbol"))
    titles = {pk: [title for title, _symbol in rows] for pk, rows in documents.items()}
    symbols = {pk: [symbol for _title, symbol in rows if symbol] for pk, rows in documents.items()}
    return titles, symbols


def _criteria_by_commitment(ids: list[int]) -> dict[int, list[str]]:
    """Each commitment's success criteria texts, in their order on the page."""
    texts: dict[int, list[str]] = {}
    criteria = (
        SuccessCriterion.objects.filter(commitment_id__in=_one_of(ids))
        .order_by("position", "id")
        .values_list("commitment_id", "text")
    )
    for commitment_id, text in criteria:
        if commitment_id in texts:
            texts[commitment_id].append(text)
        else:
            texts[commitment_id] = [text]
    return texts
