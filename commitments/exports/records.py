"""The commitments CSV export's rows read as plain values, not model instances.

Building ~95,000 instances (commitments, quote links, quotes, documents, criteria) for
9,500 rows was most of the export's time. Here the columns that print a field are read as
plain values (dates as ISO text), with each commitment's documents and criteria as the
database keeps them written (models.sourcetext), in one query; the others are computed a
chunk of rows at a time, a column at a time (ExportColumn.values_of over
CommitmentColumns). Writing the cells in SQL (cell_sql) was tried: SQLite took longer to
evaluate it than Python takes. tests/test_export_records.py holds this path and the model
instances' to the same bytes.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import NamedTuple, cast

from django.db import connections
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.db.models.sql.constants import MULTI

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
    # models.sourcetext: its distinct documents' titles in selectors.documents_of's order,
    # "; " between them; the UN symbols among them; its criteria, " | " between them.
    document_titles: Sequence[str]
    document_symbols: Sequence[str]
    criteria: Sequence[str]


VALUE_FIELDS = CommitmentColumns._fields


def as_read(column: ExportColumn) -> bool:
    """Columns that print a field as the database gives it (text, codes, ISO dates)."""
    return bool(column.field) and column.kind in ("text", "code", "date")


def _value(column: ExportColumn):
    return _iso_date(column.field) if column.kind == "date" else F(column.field)


def _value_field(field: str):
    if field in ("document_titles", "document_symbols", "criteria"):
        # A trigger writes every commitment's row; "" keeps the cells text were one missing.
        return Coalesce(F(f"source_text__{field}"), Value(""), output_field=TEXT)
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
    for values_by_column in _chunks_by_column(values):
        chunk = CommitmentColumns._make([values_by_column[place] for place in places[: len(VALUE_FIELDS)]])
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
