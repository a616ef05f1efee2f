"""On PostgreSQL, the server writes each row of an XLSX sheet, as COPY writes the CSV.

Every cell is one SQL expression giving its SpreadsheetML element (`<c>…</c>`), or NULL
for an empty value (no cell, as xlsx.py writes it), and a row is their concatenation, so
Python only numbers the rows and zips them: reading 1.5 million typed values and building
their cells in Python was most of the XLSX's time (docs/benchmarks.md). The cells are the
ones xlsx.py writes: inline strings escaped for XML, plain numbers, dates and times as
serial numbers with the date, time and percentage styles. tests/test_xlsx.py reads both
paths' workbooks back and compares them cell for cell.

A cell's reference holds ROW_MARK where its row number goes: "<" cannot occur in escaped
text, so the mark is only ever in the markup.
"""

from collections.abc import Iterator, Sequence

from django.db import connection
from django.db.models import F, Func, QuerySet, TextField

from . import spreadsheetml
from .cells import ExportColumn
from .writer import EXPORT_CHUNK

ROW_MARK = "<>"
_ESCAPED = "replace(replace(replace((%(expressions)s)::text, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
# Days from Excel's epoch (1899-12-30) to the Unix epoch.
_UNIX_EPOCH_SERIAL = 25569


def _template(column: ExportColumn, letter: str) -> str:
    """The cell's SQL around the column's value, %(expressions)s (once: its parameters are
    passed once)."""
    reference = f'<c r="{letter}{ROW_MARK}"'
    styles = spreadsheetml.STYLE
    if column.name.endswith("_percent"):
        value = "trim_scale((%(expressions)s)::numeric / 100)::text"
        return f"'{reference} s=\"{styles['percent']}\"><v>' || {value} || '</v></c>'"
    if column.kind == "date":
        value = "((%(expressions)s)::date - DATE '1899-12-30')::text"
        return f"'{reference} s=\"{styles['date']}\"><v>' || {value} || '</v></c>'"
    if column.kind == "datetime":
        value = f"trim_scale(round(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400 + {_UNIX_EPOCH_SERIAL}, 10))::text"
        return f"'{reference} s=\"{styles['datetime']}\"><v>' || {value} || '</v></c>'"
    if column.kind == "number":
        return f"'{reference}><v>' || trim_scale((%(expressions)s)::numeric)::text || '</v></c>'"
    if column.kind == "integer":
        return f"'{reference}><v>' || (%(expressions)s)::text || '</v></c>'"
    # NULLIF: an empty text, like NULL, makes the whole cell NULL, so it is left out.
    return f"'{reference} t=\"inlineStr\"><is><t xml:space=\"preserve\">' || NULLIF({_ESCAPED}, '') || '</t></is></c>'"


def _value(column: ExportColumn):
    if column.sql is not None:
        return column.sql
    return F(column.field) if column.field else None


def can_write_rows(columns: Sequence[ExportColumn]) -> bool:
    return connection.vendor == "postgresql" and all(_value(column) is not None for column in columns)


def row_cells(queryset: QuerySet, columns: Sequence[ExportColumn], letters: Sequence[str]) -> Iterator[str]:
    """Each row's cells as SpreadsheetML, in the queryset's order, with ROW_MARK for the
    row's number."""
    cells = [
        Func(_value(column), template=_template(column, letter), output_field=TextField())
        for column, letter in zip(columns, letters, strict=True)
    ]
    # concat() skips NULLs: the empty cells.
    row = Func(*cells, function="concat", output_field=TextField())
    return queryset.annotate(sheet_row=row).values_list("sheet_row", flat=True).iterator(chunk_size=EXPORT_CHUNK)
