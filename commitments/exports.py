"""Streaming CSV exports that open safely in spreadsheet software.

Each export is a list of columns (name, meaning, how to read it from a row), so the
header, the rows and any documentation of the columns come from one definition.
"""

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone

from .models import Commitment
from .tables import documents_of

# OWASP CSV injection: a cell starting with one of these may run as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"
ITERATOR_CHUNK = 500


@dataclass(frozen=True)
class ExportColumn:
    name: str
    description: str
    value: Callable[[object], object]
    numeric: bool = False


def spreadsheet_safe(value: object, *, numeric: bool = False) -> str:
    """The cell text: ISO dates, plain numbers, and text that cannot start a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        text = format(value.normalize() if value == value.to_integral() else value, "f")
        return text if numeric else _neutralise(text)
    text = str(value)
    return text if numeric else _neutralise(text)


def _neutralise(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def stream_csv(*, columns: list[ExportColumn], rows: Iterable, filename_stem: str) -> StreamingHttpResponse:
    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
        yield BYTE_ORDER_MARK + writer.writerow([column.name for column in columns])
        for row in rows:
            yield writer.writerow([spreadsheet_safe(c.value(row), numeric=c.numeric) for c in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"{filename_stem}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def commitment_columns(*, absolute_url: Callable[[str], str]) -> list[ExportColumn]:
    def sources(commitment: Commitment) -> str:
        return "; ".join(doc.title for doc in documents_of(commitment))

    def symbols(commitment: Commitment) -> str:
        return "; ".join(doc.symbol for doc in documents_of(commitment) if doc.symbol)

    return [
        ExportColumn("slug", "Stable identifier of the commitment.", lambda c: c.slug),
        ExportColumn("title", "Short title in plain words.", lambda c: c.title),
        ExportColumn("summary", "What Canada said it would do.", lambda c: c.summary),
        ExportColumn("theme", "Theme (code).", lambda c: c.theme),
        ExportColumn("pillar", "R2P pillar (code).", lambda c: c.pillar),
        ExportColumn("status", "Current status (code).", lambda c: c.current_status),
        ExportColumn("status_label", "Current status in words.", lambda c: c.get_current_status_display()),
        ExportColumn("status_as_of", "Date the current status describes.", lambda c: c.status_as_of),
        ExportColumn("status_as_of_precision", "day, month or year.", lambda c: c.status_as_of_precision),
        ExportColumn("target_value", "Numeric target, if any.", lambda c: c.target_value, numeric=True),
        ExportColumn("target_unit", "Unit of the target and progress.", lambda c: c.target_unit),
        ExportColumn("target_text", "The target in the source's words.", lambda c: c.target_text),
        ExportColumn("progress_value", "Latest progress reading.", lambda c: c.current_progress, numeric=True),
        ExportColumn(
            "progress_percent", "Progress as a share of the target.", lambda c: c.progress_percent, numeric=True
        ),
        ExportColumn("made_on", "Date the commitment was made.", lambda c: c.made_on),
        ExportColumn("made_on_precision", "day, month or year.", lambda c: c.made_on_precision),
        ExportColumn("made_by", "Who made it.", lambda c: c.made_by),
        ExportColumn("responsible_body", "Who is responsible for it.", lambda c: c.responsible_body),
        ExportColumn("period_start", "Start of its period.", lambda c: c.period_start),
        ExportColumn("deadline", "End of its period.", lambda c: c.deadline),
        ExportColumn("source_documents", "Titles of the documents it rests on.", sources),
        ExportColumn("source_symbols", "UN symbols of those documents.", symbols),
        ExportColumn("url", "Its public page.", lambda c: absolute_url(c.get_absolute_url())),
    ]
