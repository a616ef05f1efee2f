"""The XLSX beside every CSV: the same rows in the same order, as typed cells.

Written by openpyxl in write-only mode, which keeps each sheet's rows in a temporary file
rather than in memory, then zipped into another temporary file that is streamed out: a
100,000-row export holds no more in memory than a chunk of rows (bench/xlsx_export.py).

Cells are typed from their column's kind: dates as dates, numbers as numbers, a
`…_percent` column as a fraction formatted as a percentage, and text always as text (an
inline string), so a cell starting with "=" is shown, never run, and needs no apostrophe.
"""

import datetime
import operator
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .cells import ExportColumn
from .writer import EXPORT_CHUNK, CellRows, value_rows

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Bytes read from the finished file per chunk streamed out.
STREAM_CHUNK = 64 * 1024
# Column widths, in characters, by kind; a longer header widens its column.
WIDTHS = {"date": 12, "datetime": 20, "integer": 10, "number": 12, "code": 18, "url": 48, "text": 40}
# Text a spreadsheet would read as a formula or an error value, stored as text all the same.
_NOT_PLAIN_TEXT = re.compile(r"=.|#(NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A)$", re.DOTALL)


@dataclass(frozen=True)
class Sheet:
    """One table of a workbook: its name (at most 31 characters), columns and rows (a
    queryset, a listing's CellRows, or tuples of the columns' values in order)."""

    title: str
    columns: list[ExportColumn]
    rows: QuerySet | CellRows | Iterable[Sequence]


def _values(columns: list[ExportColumn], rows: QuerySet | CellRows | Iterable[Sequence]) -> Iterator[Sequence]:
    """The rows as their columns' values in order, read as the CSV reads them (csv_content)
    but before any cell is made text."""
    if isinstance(rows, CellRows):
        return rows.read(rows.queryset, columns, raw=True)
    if not isinstance(rows, QuerySet):
        return iter(rows)
    if all(column.expression is not None for column in columns):
        return value_rows(rows, columns)
    readers = [column.value for column in columns]
    return ([read(row) for read in readers] for row in rows.iterator(chunk_size=EXPORT_CHUNK))


def _text_cell(sheet: WriteOnlyWorksheet) -> Callable[[Any], Any]:
    def text(value: Any) -> Any:
        if value is None or value == "":
            return None
        if type(value) is not str:
            value = str(value)
        if ILLEGAL_CHARACTERS_RE.search(value):  # control characters XML cannot hold
            value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        if _NOT_PLAIN_TEXT.match(value):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"  # openpyxl would make "=…" a formula
            return cell
        return value

    return text


def _date(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, str):  # the commitments' rows give ISO text (records.commitment_rows)
        return datetime.date.fromisoformat(value)
    return value


def _datetime(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # Excel has no time zones: the time in UTC, as the column says.
        return value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


def _number(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


def _percent_cell(sheet: WriteOnlyWorksheet) -> Callable[[Any], Any]:
    def percent(value: Any) -> Any:
        if value is None or value == "":
            return None
        cell = WriteOnlyCell(sheet, float(value) / 100)
        cell.number_format = "0%"
        return cell

    return percent


def cell_writers(sheet: WriteOnlyWorksheet, columns: list[ExportColumn]) -> list[Callable[[Any], Any]]:
    """For each column, what turns its value into the cell written."""
    writers: list[Callable[[Any], Any]] = []
    text = _text_cell(sheet)
    for column in columns:
        if column.name.endswith("_percent"):
            writers.append(_percent_cell(sheet))
        elif column.kind == "date":
            writers.append(_date)
        elif column.kind == "datetime":
            writers.append(_datetime)
        elif column.numeric:
            writers.append(_number)
        else:
            writers.append(text)
    return writers


def _header(sheet: WriteOnlyWorksheet, names: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, name)
        cell.font = Font(bold=True)
        cell.data_type = "s"
        cells.append(cell)
    return cells


def add_table(workbook: Workbook, sheet: Sheet) -> None:
    """A sheet of the table: bold header frozen above the rows, widths by kind, then the rows."""
    worksheet = workbook.create_sheet(sheet.title[:31])
    for index, column in enumerate(sheet.columns, 1):
        width = max(WIDTHS.get(column.kind, 40), len(column.name) + 2)
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"
    worksheet.append(_header(worksheet, [column.name for column in sheet.columns]))
    writers = cell_writers(worksheet, sheet.columns)
    positions = [operator.itemgetter(index) for index in range(len(writers))]
    for values in _values(sheet.columns, sheet.rows):
        worksheet.append([write(get(values)) for write, get in zip(writers, positions, strict=True)])


def add_readme(workbook: Workbook, lines: Sequence[tuple[str, str]]) -> None:
    """The "README" sheet: one label and its value a row (title, filters, date, address,
    licence, citation)."""
    worksheet = workbook.create_sheet("README")
    worksheet.column_dimensions["A"].width = 22
    worksheet.column_dimensions["B"].width = 100
    for label, value in lines:
        label_cell = WriteOnlyCell(worksheet, label)
        label_cell.font = Font(bold=True)
        value_cell = WriteOnlyCell(worksheet, ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        value_cell.data_type = "s"
        value_cell.alignment = Alignment(wrap_text=True, vertical="top")
        worksheet.append([label_cell, value_cell])


def write_workbook(file: IO[bytes], *, sheets: Sequence[Sheet], readme: Sequence[tuple[str, str]]) -> None:
    """The workbook into `file`: a sheet per table, in order, then the README sheet."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        add_table(workbook, sheet)
    add_readme(workbook, readme)
    workbook.save(file)


def xlsx_content(*, sheets: Sequence[Sheet], readme: Sequence[tuple[str, str]]) -> Iterator[bytes]:
    """The workbook's bytes, written to a temporary file when the first chunk is asked for,
    then read out a chunk at a time."""
    with tempfile.TemporaryFile() as file:
        write_workbook(file, sheets=sheets, readme=readme)
        file.seek(0)
        while chunk := file.read(STREAM_CHUNK):
            yield chunk


def stream_xlsx(
    *, sheets: Sequence[Sheet], readme: Sequence[tuple[str, str]], filename_stem: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(xlsx_content(sheets=sheets, readme=readme), content_type=CONTENT_TYPE)
    filename = f"{filename_stem}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
