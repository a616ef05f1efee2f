"""Exports of the public tables, in stages: a column's cells (cells), the columns of each
export (columns), the bytes streamed (writer), the commitments' rows read as plain values
(records), the rows written by PostgreSQL itself (postgres), and repeat downloads kept
(cache). What the views, listings and commands use is re-exported here."""

from .cells import ExportColumn, spreadsheet_safe
from .columns import commitment_columns, document_columns, quote_columns, status_update_columns
from .writer import CellRows, csv_content, stream_csv

__all__ = [
    "CellRows",
    "ExportColumn",
    "commitment_columns",
    "document_columns",
    "csv_content",
    "quote_columns",
    "spreadsheet_safe",
    "status_update_columns",
    "stream_csv",
]
