"""The commitments CSV export's rows read as plain values, not model instances.

Building ~95,000 instances (commitments, quote links, quotes, documents, criteria) for
9,500 rows was most of the export's time. Here the columns that print a field are read as
plain values (dates as ISO text); the others are computed from a small record per row,
with its documents and criteria fetched per chunk as tuples in the order the model
instances give them (selectors.documents_of, `criteria.all()`). Writing the cells in SQL
(cell_sql) was tried: SQLite took longer to evaluate it than Python takes.
tests/test_export_records.py holds this path and the model instances' to the same bytes.
"""

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, connections
from django.db.models import F, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.sql.constants import MULTI

from .. import selectors
from ..models import CommitmentQuote, SourceDocument, SuccessCriterion, compiled_rows
from .cells import FORMULA_TRIGGERS, ExportColumn, numeric_cell, spreadsheet_safe
from .postgres import TEXT, IsoDate

# Rows per round trip; each chunk's documents and criteria are one query each.
CHUNK = 2000


class CommitmentRecord(NamedTuple):
    """What the columns computed in Python read, under a Commitment's attribute names, so
    each column's `value` reads a record as it reads a Commitment (or `record_value`)."""

    id: int
    slug: str
    title: str
    title_fr: str  # the citation's title on a French download
    status_shown: str
    reason_shown: str
    target_value: Decimal | None
    progress_shown: Decimal | None
    status_as_of: str | None  # ISO text (citation.Citable)
    status_as_of_precision: str
    document_titles: Sequence[str]  # of its distinct documents, in selectors.documents_of's order
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


def commitment_rows(queryset: QuerySet, columns: list[ExportColumn], *, raw: bool = False) -> Iterator[tuple]:
    """Each row of `queryset` (its filters and order kept) as its cells in column order.

    `raw` (the XLSX export): text as it is, never prefixed against formulas, and numbers
    as numbers (None where empty); dates stay ISO text ("" where empty).

    A chunk of rows is turned into cells a column at a time: a column's cells are read,
    converted and checked for formulas in one pass each, mostly in C (zip, map, str.join,
    one regex per column), where a loop over each row's cells cost more than the queries."""
    read = [column for column in columns if as_read(column)]
    texts = [column for column in columns if not as_read(column) and not column.numeric]
    numbers = [column for column in columns if not as_read(column) and column.numeric]
    # A chunk's columns are those of `read`, `texts` and `numbers`: where each column's is.
    offsets = {id(column): index for index, column in enumerate(read + texts + numbers)}
    in_column_order = [offsets[id(column)] for column in columns]
    read_texts = [column.record_value or column.value for column in texts]
    read_numbers = [column.record_value or column.value for column in numbers]
    selected = [IsoDate(F(field)) if field == "status_as_of" else F(field) for field in VALUE_FIELDS]
    # Each read column's place among the selected values: a field the record reads too
    # (slug, title, status, reason) is selected once.
    read_from = []
    for column in read:
        if column.kind != "date" and column.field in VALUE_FIELDS:
            read_from.append(VALUE_FIELDS.index(column.field))
        else:
            read_from.append(len(selected))
            selected.append(_value(column))
    values = queryset.values_list(*selected)
    record_length, new_record = len(VALUE_FIELDS), tuple.__new__
    documents = _Documents()
    for values_by_column in _chunks_by_column(values):
        ids = list(values_by_column[0])
        titles, symbols = documents.of(ids)
        criteria = _criteria_by_commitment(ids)
        nothing = itertools.repeat(())
        records = [
            new_record(CommitmentRecord, fields)
            for fields in zip(
                *values_by_column[:record_length],
                map(titles.get, ids, nothing),
                map(symbols.get, ids, nothing),
                map(criteria.get, ids, nothing),
                strict=True,
            )
        ]
        safe = _as_they_are if raw else _safe_texts
        cells = [safe(values_by_column[index]) for index in read_from]
        cells += [safe([read(record) for record in records]) for read in read_texts]
        if raw:
            cells += [[read(record) for record in records] for read in read_numbers]
        else:
            cells += [
                ["" if (number := read(record)) is None else numeric_cell(number) for record in records]
                for read in read_numbers
            ]
        yield from zip(*(cells[index] for index in in_column_order), strict=True)


def _chunks_by_column(values: QuerySet) -> Iterator[list[Sequence]]:
    """The rows of a values_list queryset, CHUNK rows at a time, as one sequence per column.

    Read from the cursor as Django's iterator reads them, with the database's converters
    (decimals on SQLite) applied to the columns that have one, a column at a time: the
    iterator's work for each row took a quarter of the rows' reading time."""
    compiler = values.query.get_compiler(values.db)
    # Server-side cursors where QuerySet.iterator() would use them (not behind PgBouncer).
    chunked = not connections[values.db].settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    chunks = compiler.execute_sql(MULTI, chunked_fetch=chunked, chunk_size=CHUNK)
    converters = compiler.get_converters([selected[0] for selected in compiler.select[: compiler.col_count]])
    connection = compiler.connection
    for chunk in chunks or ():
        by_column: list[Sequence] = list(zip(*chunk, strict=True))
        for index, (functions, expression) in converters.items():
            column = by_column[index]
            for convert in functions:
                column = [convert(value, expression, connection) for value in column]
            by_column[index] = column
        yield by_column


def _as_they_are(cells: Sequence) -> Sequence:
    return cells


def _safe_texts(cells: Sequence) -> Sequence[str]:
    """`cells` as spreadsheet_safe writes each, found for the whole column at once: nearly
    every column has no cell that could start a formula, and then needs no other work."""
    try:
        joined = "\0".join(cells)
    except TypeError:  # a cell that is not text
        return [spreadsheet_safe(cell) for cell in cells]
    if joined.startswith(FORMULA_TRIGGERS) or _FORMULA_AFTER_NUL.search(joined):
        return [spreadsheet_safe(cell) for cell in cells]
    return cells


def _one_of(ids: list[int]) -> RawSQL:
    """`ids` as a single query parameter: an IN list of 2,000 placeholders costs the ORM
    more time to build than the database takes to answer it."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


_GONE = (None, "")  # a document no longer there: no title, no symbol


class _Documents:
    """Each commitment's distinct documents' titles, and their symbols where they have one,
    in the order the page shows them (selectors.LINK_ORDER), a chunk of commitments at a
    time. The links are read as ids and each document's title once per export: reading a
    title for each of a chunk's ~6,000 links took longer than the rest of the chunk.
    (selectors.documents_by_commitment with fields=("id",) gives the same lists, at 6% more
    of the whole export's instructions: a dict and a tuple per link.)"""

    def __init__(self):
        self.known: dict[int, tuple[str | None, str]] = {}  # document id: (title, symbol); _GONE

    def of(self, ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
        documents: dict[int, list[int]] = {}
        for commitment_id, document_id in compiled_rows(CommitmentQuote, selectors.document_links, ids, ()):
            if (seen := documents.get(commitment_id)) is None:
                documents[commitment_id] = [document_id]
            elif document_id not in seen:
                seen.append(document_id)
        self._fetch({document_id for seen in documents.values() for document_id in seen} - self.known.keys())
        known = self.known
        titles = {
            pk: [title for document_id in seen if (title := known[document_id][0]) is not None]
            for pk, seen in documents.items()
        }
        symbols = {
            pk: [symbol for document_id in seen if (symbol := known[document_id][1])] for pk, seen in documents.items()
        }
        return titles, symbols

    def _fetch(self, document_ids: set[int]) -> None:
        if document_ids:
            documents = SourceDocument.objects.filter(pk__in=_one_of(sorted(document_ids)))
            self.known.update(
                (pk, (title, symbol)) for pk, title, symbol in documents.values_list("pk", "title", "symbol")
            )
            # One deleted since its links were read (with its quotes) is left out.
            self.known.update(dict.fromkeys(document_ids - self.known.keys(), _GONE))


def _criteria_by_commitment(ids: list[int]) -> dict[int, list[str]]:
    """Each commitment's success criteria texts, in their order on the page."""
    texts: dict[int, list[str]] = {}
    for commitment_id, text in compiled_rows(SuccessCriterion, _criteria_of, ids):
        if commitment_id in texts:
            texts[commitment_id].append(text)
        else:
            texts[commitment_id] = [text]
    return texts


def _criteria_of(ids: list[int]) -> QuerySet:
    return (
        SuccessCriterion.objects.filter(commitment_id__in=ids)
        .order_by("position", "id")
        .values_list("commitment_id", "text")
    )
