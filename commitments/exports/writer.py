"""The CSV bytes of an export, streamed: header, rows, every field quoted."""

import csv
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from . import postgres
from .cells import BYTE_ORDER_MARK, ExportColumn, numeric_cell, spreadsheet_safe

# Rows fetched per round trip while streaming in Python; prefetches run once per chunk.
EXPORT_CHUNK = 2000


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_writer():
    # "\n" ends rows as PostgreSQL's COPY does, so both paths give the same bytes;
    # spreadsheets and CSV readers accept it as they accept "\r\n".
    return csv.writer(_Echo(), quoting=csv.QUOTE_ALL, lineterminator="\n")


def csv_lines(
    columns: list[ExportColumn], rows: Iterable, *, batch: int = 200, positional: bool = False
) -> Iterator[str]:
    """The CSV text, `batch` rows at a time: byte-order mark and header first, every field quoted.

    Rows are model instances read by each column's `value`, or, `positional`, tuples of the
    columns' values in order (from value_rows)."""
    readers: list[Callable[[Any], object]]
    if positional:
        readers = [operator.itemgetter(index) for index in range(len(columns))]
    else:
        readers = [column.value for column in columns]
    cells = [
        (read, numeric_cell if column.numeric else spreadsheet_safe)
        for read, column in zip(readers, columns, strict=True)
    ]
    return cell_lines(columns, ([text(read(row)) for read, text in cells] for row in rows), batch=batch)


def cell_lines(columns: list[ExportColumn], rows: Iterable, *, batch: int = 200) -> Iterator[str]:
    """As csv_lines, for rows that are already their cells' text in column order: `batch`
    rows are written at once (csv_lines_of)."""
    writer = csv_writer()
    yield BYTE_ORDER_MARK + writer.writerow([column.name for column in columns])
    rows = iter(rows)
    while lines := list(itertools.islice(rows, batch)):
        yield csv_lines_of(lines, writer)


def csv_lines_of(rows: list[Sequence[str]], writer) -> str:
    """What `writer` (csv_writer) writes for these rows of cells, built with str methods that
    run in C over the whole text: the csv module's loop over every character took half the
    time of the commitments export."""
    text = '"' + '"\n"'.join(['","'.join(cells) for cells in rows]) + '"\n'
    if text.count('"') == 2 * sum(map(len, rows)):
        return text  # no cell holds a quote, which would have to be doubled
    # Cells joined with NUL and rows with \x01, so quotes inside cells can be doubled in
    # one pass; rows holding those separators themselves are left to `writer`.
    text = "\1".join(["\0".join(cells) for cells in rows])
    if text.count("\1") != len(rows) - 1 or text.count("\0") != sum(len(cells) - 1 for cells in rows):
        return "".join([writer.writerow(cells) for cells in rows])
    return '"' + text.replace('"', '""').replace("\0", '","').replace("\1", '"\n"') + '"\n'


def csv_chunk(columns: Sequence[Sequence[str]]) -> bytes:
    """What csv_writer writes for rows given as columns of their cells' text (a chunk of
    the commitments export, records.commitment_chunks), as UTF-8.

    Built a column at a time, in C (join, map, zip): each column is checked once for quotes
    (then doubled in its cells) and for text other than ASCII. A run of ASCII columns is
    joined into each row's part and encoded as it is copied; a column with other characters
    (every citation's “ ”) is encoded on its own. Joined whole, every row held a “ and was
    copied, searched and encoded at two bytes a character: 7 % of the export's instructions."""
    if not columns or not columns[0]:
        return b""
    parts: list[list[bytes]] = []  # each row's parts, a run of columns each
    ascii_run: list[Sequence[str]] = []
    for cells in columns:
        joined = "\0".join(cells)
        if '"' in joined:
            cells = [cell.replace('"', '""') for cell in cells]
        if joined.isascii():
            ascii_run.append(cells)
            continue
        if ascii_run:
            parts.append(_encoded_rows(ascii_run))
            ascii_run = []
        parts.append(list(map(str.encode, cells)))
    if ascii_run:
        parts.append(_encoded_rows(ascii_run))
    rows = parts[0] if len(parts) == 1 else list(map(b'","'.join, zip(*parts, strict=True)))
    return b'"' + b'"\n"'.join(rows) + b'"\n'


def _encoded_rows(columns: list[Sequence[str]]) -> list[bytes]:
    return list(map(str.encode, map('","'.join, zip(*columns, strict=True))))


def value_rows(queryset: QuerySet, columns: list[ExportColumn]) -> Iterator[tuple]:
    """The columns' values as tuples straight from the database: no model instances, which
    cost a third of a 100,000-row export's time. Every column must have an expression."""
    names = [f"cell_{index}" for index in range(len(columns))]
    cells = queryset.annotate(**{name: column.expression for name, column in zip(names, columns, strict=True)})
    return cells.values_list(*names).iterator(chunk_size=EXPORT_CHUNK)


@dataclass(frozen=True)
class CellRows:
    """A listing's filtered rows with its own way of reading them as cells, a chunk of rows
    at a time, each chunk as its columns of cells (listings.Listing.export_cells);
    `read(..., raw=True)` gives them as values, for the XLSX export."""

    queryset: QuerySet
    read: Callable[..., Iterator[Sequence[Sequence]]]


def csv_content(columns: list[ExportColumn], rows: QuerySet | CellRows) -> Iterator[bytes]:
    """The export's bytes: read as the listing reads its cells where it has a way; written by
    PostgreSQL where every column allows; else from plain values where every column has an
    expression; else from model instances."""
    chunks: Iterable[bytes]
    if isinstance(rows, CellRows):
        chunks = map(csv_chunk, rows.read(rows.queryset, columns))
    elif postgres.can_copy(columns):
        chunks = postgres.copy_csv_rows(rows, columns)
    elif all(column.expression is not None for column in columns):
        return (text.encode() for text in csv_lines(columns, value_rows(rows, columns), positional=True))
    else:
        return (text.encode() for text in csv_lines(columns, rows.iterator(chunk_size=EXPORT_CHUNK)))
    header = BYTE_ORDER_MARK + csv_writer().writerow([column.name for column in columns])
    return itertools.chain([header.encode()], chunks)


def stream_csv(*, columns: list[ExportColumn], rows: QuerySet | CellRows, filename_stem: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_content(columns, rows), content_type="text/csv; charset=utf-8")
    filename = f"{filename_stem}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
