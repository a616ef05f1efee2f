"""The commitments CSV export's rows read as plain values, not model instances.

Building ~95,000 instances (commitments, quote links, quotes, documents, criteria) for
9,500 rows was most of the export's time. Here the columns that print a field are read as
plain values (dates as ISO text); the others are computed a chunk of rows at a time, a
column at a time (ExportColumn.values_of over CommitmentColumns), with the chunk's
documents and criteria fetched as tuples in the order the model instances give them
(selectors.documents_of, `criteria.all()`). Writing the cells in SQL (cell_sql) was tried:
SQLite took longer to evaluate it than Python takes. tests/test_export_records.py holds
this path and the model instances' to the same bytes.
"""

import itertools
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import NamedTuple, cast

from django.db import connection, connections
from django.db.models import F, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.sql.constants import MULTI

from ..models import CommitmentQuote, SourceDocument, SuccessCriterion, compiled_rows
from .cells import FORMULA_TRIGGERS, ExportColumn, numeric_cells, spreadsheet_safe
from .postgres import TEXT, IsoDate

# Rows per round trip; each chunk's documents and criteria are one query each.
CHUNK = 2000


class CommitmentColumns(NamedTuple):
    """A chunk of rows as the columns the computed cells read, under a Commitment's
    attribute names: a column's `values_of` (or a plain column's attrgetter) reads the
    chunk's columns as its `value` reads a Commitment."""

    id: Sequence[int]
    slug: Sequence[str]
    title: Sequence[str]
    title_fr: Sequence[str]  # the citation's title on a French download
    status_shown: Sequence[str]
    reason_shown: Sequence[str]
    target_value: Sequence[Decimal | None]
    progress_shown: Sequence[Decimal | None]
    status_as_of: Sequence[str]  # ISO text, "" if never assessed (citation.Citable)
    status_as_of_precision: Sequence[str]
    document_titles: Sequence[Sequence[str]]  # of its distinct documents, in selectors.documents_of's order
    document_symbols: Sequence[Sequence[str]]  # the UN symbols among them
    criteria: Sequence[Sequence[str]]


VALUE_FIELDS = CommitmentColumns._fields[:-3]


def as_read(column: ExportColumn) -> bool:
    """Columns that print a field as the database gives it (text, codes, ISO dates)."""
    return bool(column.field) and column.kind in ("text", "code", "date")


def _value(column: ExportColumn):
    return _iso_date(column.field) if column.kind == "date" else F(column.field)


def _value_field(field: str):
    return _iso_date(field) if field == "status_as_of" else F(field)


def _iso_date(field: str):
    # A date as its ISO text (SQLite stores that): converting each to a date, as the
    # sqlite3 module does for a date column, took longer than the rest of the query.
    # Empty rather than NULL, so a row's cells join as text (writer.csv_chunk).
    return Coalesce(IsoDate(F(field)), Value(""), output_field=TEXT)


def _selected_once(queryset: QuerySet, expressions: list) -> tuple[list, list[int]]:
    """`expressions` with those that compile to the same SQL on `queryset` left out, and
    where each of them is among the rest: each value read costs the sqlite3 module about
    a thousand instructions, and a column asked for twice is read once."""
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    selected: list = []
    place_of: dict[tuple, int] = {}
    places = []
    for expression in expressions:
        sql, params = compiler.compile(expression.resolve_expression(query))
        places.append(place_of.setdefault((sql, tuple(params)), len(selected)))
        if places[-1] == len(selected):
            selected.append(expression)
    return selected, places


# A cell after the first that could start a formula (the cells joined with NUL).
_FORMULA_AFTER_NUL = re.compile("\0[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")


def commitment_chunks(
    queryset: QuerySet, columns: list[ExportColumn], *, raw: bool = False
) -> Iterator[list[Sequence]]:
    """The rows of `queryset` (its filters and order kept), CHUNK rows at a time, each chunk
    as its columns of cells in column order (writer.csv_chunk writes them as rows).

    `raw` (the XLSX export): text as it is, never prefixed against formulas, and numbers
    as numbers (None where empty); dates stay ISO text ("" where empty).

    A chunk of rows is turned into cells a column at a time: a column's cells are read,
    computed and checked for formulas in one pass each, mostly in C (zip, map, str.join,
    one regex per column), where a loop over each row's cells cost more than the queries."""
    read = [column for column in columns if as_read(column)]
    texts = [column for column in columns if not as_read(column) and not column.numeric]
    numbers = [column for column in columns if not as_read(column) and column.numeric]
    # A chunk's columns are those of `read`, `texts` and `numbers`: where each column's is.
    offsets = {id(column): index for index, column in enumerate(read + texts + numbers)}
    in_column_order = [offsets[id(column)] for column in columns]
    read_texts = [_chunk_reader(column) for column in texts]
    read_numbers = [_chunk_reader(column) for column in numbers]
    # The chunk's fields, then the read columns: a field the chunk holds too (slug, title,
    # status, reason, the status's date when not moved by ?as_of=) is selected once.
    wanted = [_value_field(field) for field in VALUE_FIELDS] + [_value(column) for column in read]
    selected, places = _selected_once(queryset, wanted)
    read_from = places[len(VALUE_FIELDS) :]
    values = queryset.values_list(*selected)
    documents = _Documents()
    for values_by_column in _chunks_by_column(values):
        ids = list(values_by_column[0])
        fields = [values_by_column[place] for place in places[: len(VALUE_FIELDS)]]
        chunk = CommitmentColumns._make([*fields, *documents.of(ids), _criteria_of_each(ids)])
        safe = _as_they_are if raw else _safe_texts
        cells = [safe(values_by_column[index]) for index in read_from]
        cells += [safe(list(read(chunk))) for read in read_texts]
        if raw:
            cells += [list(read(chunk)) for read in read_numbers]
        else:
            cells += [numeric_cells(list(read(chunk))) for read in read_numbers]
        yield [cells[index] for index in in_column_order]


def _chunk_reader(column: ExportColumn) -> Callable[[CommitmentColumns], Iterable]:
    """How a column computed in Python reads a chunk's cells: its values_of, or, for a plain
    column, its attrgetter, which reads the chunk's whole column of that field. Any other is
    refused before a byte is streamed, not partway through a download."""
    if column.values_of is not None:
        return column.values_of
    if column.field in CommitmentColumns._fields:
        return cast("Callable[[CommitmentColumns], Iterable]", column.value)
    raise ValueError(f"The commitments export's column {column.name} needs values_of to read a chunk.")


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
                if convert(None, expression, connection) is None:  # not called for NULL (half the decimals)
                    column = [value if value is None else convert(value, expression, connection) for value in column]
                else:
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


_GONE = (None, "", "")  # a document no longer there: no title, no symbol, no date
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


class _Documents:
    """Each commitment's distinct documents' titles, and their symbols where they have one,
    in the order the page shows them (selectors.LINK_ORDER), a chunk of commitments at a
    time. The links are read as ids and each document's title once per export: reading a
    title for each of a chunk's ~6,000 links took longer than the rest of the chunk. A list
    of documents is named once: many commitments rest on the same ones."""

    def __init__(self):
        # document id: (title, symbol, issued_on as ISO text, "" if undated); _GONE
        self.known: dict[int, tuple[str | None, str, str]] = {}
        self.named: dict[tuple[int, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def of(self, ids: list[int]) -> tuple[Sequence[Sequence[str]], Sequence[Sequence[str]]]:
        """The titles and the symbols of each commitment of `ids`, as two columns."""
        # Each commitment's distinct documents in the order of their first quote, then by
        # date (a stable sort), which is LINK_ORDER's: ordering the links by their
        # documents' dates in SQL took half the query's time. Read by commitment, the links
        # are grouped without a Python step for each.
        links = dict.fromkeys(compiled_rows(CommitmentQuote, _quote_documents, ids))
        self._fetch(set(map(_SECOND, links)) - self.known.keys())
        by_date = self._by_date
        documents = {
            commitment_id: by_date(tuple(map(_SECOND, group)))
            for commitment_id, group in itertools.groupby(links, _FIRST)
        }
        lists = map(documents.get, ids, itertools.repeat(()))
        named = self.named
        titles, symbols = zip(*[named.get(key) or self._name(key) for key in lists], strict=True)
        return titles, symbols

    def _by_date(self, documents: tuple[int, ...]) -> tuple[int, ...]:
        if len(documents) == 1:
            return documents
        return tuple(sorted(documents, key=lambda document_id: _undated_last(self.known[document_id][2])))

    def _name(self, key: tuple[int, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        known = self.known
        titles = tuple(title for document_id in key if (title := known[document_id][0]) is not None)
        symbols = tuple(symbol for document_id in key if (symbol := known[document_id][1]))
        self.named[key] = titles, symbols
        return titles, symbols

    def _fetch(self, document_ids: set[int]) -> None:
        if document_ids:
            documents = SourceDocument.objects.filter(pk__in=_one_of(sorted(document_ids))).order_by()
            self.known.update(
                (pk, (title, symbol, issued_on))
                for pk, title, symbol, issued_on in documents.values_list(
                    "pk", "title", "symbol", _iso_date("issued_on")
                )
            )
            # One deleted since its links were read (with its quotes) is left out.
            self.known.update(dict.fromkeys(document_ids - self.known.keys(), _GONE))


def _quote_documents(commitment_ids: list[int]) -> QuerySet:
    """Each quote link as (commitment id, document id), by commitment and then by quote:
    LINK_ORDER's order within each commitment once its documents are sorted by date."""
    links = CommitmentQuote.objects.filter(commitment_id__in=commitment_ids).order_by("commitment_id", "quote_id")
    return links.values_list("commitment_id", "quote__source_id")


def _undated_last(issued_on: str) -> tuple[bool, str]:
    """A sort key that orders documents' dates as LINK_ORDER does (undated last)."""
    return (not issued_on, issued_on)


def _criteria_of_each(ids: list[int]) -> list[Sequence[str]]:
    """Each commitment's success criteria texts, in their order on the page."""
    texts: dict[int, list[str]] = {}
    for commitment_id, text in compiled_rows(SuccessCriterion, _criteria_of, ids):
        if commitment_id in texts:
            texts[commitment_id].append(text)
        else:
            texts[commitment_id] = [text]
    return list(map(texts.get, ids, itertools.repeat(())))


def _criteria_of(ids: list[int]) -> QuerySet:
    return (
        SuccessCriterion.objects.filter(commitment_id__in=ids)
        .order_by("position", "id")
        .values_list("commitment_id", "text")
    )
