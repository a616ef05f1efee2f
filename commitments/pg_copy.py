"""On PostgreSQL, let the server write an export's CSV with COPY.

Each column's SQL expression (cell_sql) produces exactly the text that
`exports.spreadsheet_safe` produces in Python, so the two paths give the same bytes;
tests/test_pg_copy.py holds them to that. COPY is used only when every column of an
export has an SQL form.
"""

from collections.abc import Iterator

import psycopg
from django.db import connection
from django.db.models import QuerySet

from .cell_sql import cell_sql
from .exports import ExportColumn


def can_copy(columns: list[ExportColumn]) -> bool:
    return connection.vendor == "postgresql" and all(cell_sql(column) is not None for column in columns)


def copy_csv_rows(queryset: QuerySet, columns: list[ExportColumn]) -> Iterator[bytes]:
    """The rows of `queryset` (its filters and order kept) as CSV written by PostgreSQL."""
    names = [f"cell_{index}" for index in range(len(columns))]
    cells = queryset.annotate(**{name: cell_sql(column) for name, column in zip(names, columns, strict=True)})
    sql, params = cells.values_list(*names).query.sql_with_params()
    # Streaming starts after the view returned: nothing may have opened the connection yet.
    connection.ensure_connection()
    raw = connection.connection
    # COPY takes no parameters; psycopg quotes them into the statement itself.
    query = psycopg.ClientCursor(raw).mogrify(sql, params)
    with raw.cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)") as copy:
        for block in copy:
            yield bytes(block)
