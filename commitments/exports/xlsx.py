"""The XLSX beside every CSV: the same rows in the same order, as typed cells.

Each sheet's XML is written here, row by row, a batch of rows at a time, and zipped as it
goes into the bytes streamed out: nothing waits for the whole workbook and memory holds a
batch of rows. openpyxl wrote the first version; its per-cell objects made a 100,000-row
export 6.8x the CSV's time, and this writer needs none (docs/benchmarks.md). The tests
read every workbook back with openpyxl and LibreOffice.

Cells are typed from their column's kind: dates as dates, numbers as numbers, a
`…_percent` column as a fraction formatted as a percentage, and text always as an inline
string, so a cell starting with "=" is shown, never run, and needs no apostrophe.
"""

import datetime
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from . import spreadsheetml, xlsx_sql
from .cells import ExportColumn
from .writer import EXPORT_CHUNK, CellRows, value_rows

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column widths, in characters, by kind; a longer header widens its column.
WIDTHS = {"date": 12, "datetime": 20, "integer": 10, "number": 12, "code": 18, "url": 48, "text": 40}
# Rows written and compressed at once: large enough that the zip works on big blocks,
# small enough that a batch is a few hundred kilobytes.
BATCH = 500
# zlib's fastest level: the sheets are repetitive XML, so it still shrinks them about
# eightfold, in a fraction of the default level's time.
COMPRESSION_LEVEL = 1
# Characters XML 1.0 cannot hold at all; a cell's text shows U+FFFD in their place. The
# markup has none: only a cell's text can.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_SECONDS_PER_DAY = 86400


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
        chunks = rows.read(rows.queryset, columns, raw=True)
        return itertools.chain.from_iterable(zip(*chunk, strict=True) for chunk in chunks)
    if not isinstance(rows, QuerySet):
        return iter(rows)
    if all(column.expression is not None for column in columns):
        return value_rows(rows, columns)
    readers = [column.value for column in columns]
    return ([read(row) for read in readers] for row in rows.iterator(chunk_size=EXPORT_CHUNK))


def _escaped(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


# Each column's cell is written by one of these, from its reference ("B7") and value.
# Empty values have no cell at all, as in any spreadsheet.


def _text(reference: str, value: Any) -> str:
    if type(value) is not str:
        value = str(value)
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{_escaped(value)}</t></is></c>'


def _number_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral() else repr(float(value))
    if isinstance(value, float):
        return repr(value)
    return str(int(value))


def _number(reference: str, value: Any) -> str:
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    return f'<c r="{reference}"><v>{_number_text(value)}</v></c>'


def _date(reference: str, value: Any) -> str:
    if isinstance(value, str):  # the commitments' rows give ISO text (records.commitment_chunks)
        value = datetime.date.fromisoformat(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return f'<c r="{reference}" s="{spreadsheetml.STYLE["date"]}"><v>{(value - _EXCEL_EPOCH).days}</v></c>'


def _datetime(reference: str, value: Any) -> str:
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if not isinstance(value, datetime.datetime):
        return _date(reference, value)
    if value.tzinfo is not None:
        # Excel has no time zones: the time in UTC, as the column says.
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 10**6
    serial = (value.date() - _EXCEL_EPOCH).days + seconds / _SECONDS_PER_DAY
    return f'<c r="{reference}" s="{spreadsheetml.STYLE["datetime"]}"><v>{serial!r}</v></c>'


def _percent(reference: str, value: Any) -> str:
    return f'<c r="{reference}" s="{spreadsheetml.STYLE["percent"]}"><v>{float(value) / 100!r}</v></c>'


def cell_writer(column: ExportColumn) -> Callable[[str, Any], str]:
    """What writes a cell of this column."""
    if column.name.endswith("_percent"):
        return _percent
    if column.kind == "date":
        return _date
    if column.kind == "datetime":
        return _datetime
    if column.numeric:
        return _number
    return _text


def column_letters(count: int) -> list[str]:
    letters = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, remainder = divmod(number - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


def _header_row(names: Sequence[str], letters: Sequence[str], style: str) -> str:
    cells = "".join(
        f'<c r="{letter}1" s="{spreadsheetml.STYLE[style]}" t="inlineStr"><is><t>{_escaped(name)}</t></is></c>'
        for letter, name in zip(letters, names, strict=False)
    )
    return f'<row r="1">{cells}</row>'


def table_xml(sheet: Sheet, *, on_server: bool = True) -> Iterator[str]:
    """A table's worksheet: bold header frozen above the rows, widths by kind, then the
    rows, a batch at a time. On PostgreSQL, where every column has an SQL form, the server
    writes the rows' cells (xlsx_sql); `on_server=False` writes them here all the same
    (the tests compare the two)."""
    names = [column.name for column in sheet.columns]
    widths = [max(WIDTHS.get(column.kind, 40), len(column.name) + 2) for column in sheet.columns]
    letters = column_letters(len(names))
    yield spreadsheetml.sheet_start(widths, frozen_header=True) + _header_row(names, letters, "header")
    if on_server and isinstance(sheet.rows, QuerySet) and xlsx_sql.can_write_rows(sheet.columns):
        rows = _numbered(xlsx_sql.row_cells(sheet.rows, sheet.columns, letters))
    else:
        rows = _python_rows(sheet, letters)
    while batch := list(itertools.islice(rows, BATCH)):
        yield "".join(batch)
    yield spreadsheetml.SHEET_END


def _numbered(rows_cells: Iterable[str]) -> Iterator[str]:
    for number, cells in enumerate(rows_cells, 2):
        row = str(number)
        yield f'<row r="{row}">{cells.replace(xlsx_sql.ROW_MARK, row)}</row>'


def _python_rows(sheet: Sheet, letters: Sequence[str]) -> Iterator[str]:
    writers = list(zip(letters, [cell_writer(column) for column in sheet.columns], strict=True))
    for number, values in enumerate(_values(sheet.columns, sheet.rows), 2):
        row = str(number)
        cells = [
            write(letter + row, value)
            for (letter, write), value in zip(writers, values, strict=True)
            if value is not None and value != ""
        ]
        yield f'<row r="{row}">{"".join(cells)}</row>'


def readme_xml(lines: Sequence[tuple[str, str]]) -> Iterator[str]:
    """The "README" sheet: one label and its value a row (title, filters, date, address,
    licence, citation), the label bold and the value wrapped."""
    header = spreadsheetml.STYLE["header"]
    wrapped = spreadsheetml.STYLE["wrapped"]
    rows = "".join(
        f'<row r="{number}">'
        f'<c r="A{number}" s="{header}" t="inlineStr"><is><t>{_escaped(label)}</t></is></c>'
        f'<c r="B{number}" s="{wrapped}" t="inlineStr"><is><t xml:space="preserve">{_escaped(value)}</t></is></c>'
        "</row>"
        for number, (label, value) in enumerate(lines, 1)
    )
    yield spreadsheetml.sheet_start([22, 100], frozen_header=False) + rows + spreadsheetml.SHEET_END


def _xml_bytes(text: str) -> bytes:
    """The text as UTF-8, checked for what XML cannot hold by a byte scan (a regular
    expression over every batch took as long as the compression)."""
    data = text.encode()
    if len(data.translate(None, _CONTROL_BYTES)) != len(data) or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:
        data = _NOT_IN_XML.sub("\ufffd", text).encode()
    return data


class _Drain:
    """A write-only file for zipfile that keeps what is written until it is taken: with no
    seek, zipfile writes each part's sizes after its data, so the zip streams as it grows."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def xlsx_content(
    *, sheets: Sequence[Sheet], readme: Sequence[tuple[str, str]], on_server: bool = True
) -> Iterator[bytes]:
    """The workbook's bytes as they are written: a sheet per table, in order, then the
    README sheet."""
    drain = _Drain()
    names = [spreadsheetml.sheet_name(sheet.title) for sheet in sheets] + ["README"]
    parts: list[Iterator[str]] = [table_xml(sheet, on_server=on_server) for sheet in sheets] + [readme_xml(readme)]
    title = readme[0][1] if readme else names[0]
    with zipfile.ZipFile(drain, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION_LEVEL) as package:
        package.writestr("[Content_Types].xml", spreadsheetml.content_types(len(names)))
        package.writestr("_rels/.rels", spreadsheetml.PACKAGE_RELS)
        package.writestr("docProps/core.xml", spreadsheetml.core_properties(title, timezone.now()))
        package.writestr("xl/workbook.xml", spreadsheetml.workbook(names))
        package.writestr("xl/_rels/workbook.xml.rels", spreadsheetml.workbook_rels(len(names)))
        package.writestr("xl/styles.xml", spreadsheetml.STYLES)
        for number, part in enumerate(parts, 1):
            with package.open(f"xl/worksheets/sheet{number}.xml", "w") as sheet_file:
                for text in part:
                    sheet_file.write(_xml_bytes(text))
                    if chunk := drain.take():
                        yield chunk
    yield drain.take()


def write_workbook(file: IO[bytes], *, sheets: Sequence[Sheet], readme: Sequence[tuple[str, str]]) -> None:
    """The workbook into `file` (a data release's data.xlsx)."""
    for chunk in xlsx_content(sheets=sheets, readme=readme):
        file.write(chunk)


def stream_xlsx(
    *, sheets: Sequence[Sheet], readme: Sequence[tuple[str, str]], filename_stem: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(xlsx_content(sheets=sheets, readme=readme), content_type=CONTENT_TYPE)
    filename = f"{filename_stem}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
