"""On PostgreSQL, the server writes an export's CSV with COPY.

Each column's SQL expression (cell_sql) gives exactly the text cells.spreadsheet_safe gives
in Python (formula neutralisation, ISO dates, plain numbers, empty for NULL), so the two
paths give the same bytes (tests/test_pg_copy.py). COPY is used only when every column of
an export has an SQL form. IsoDate also serves the commitments export on SQLite (records).
On SQLite the rest was tried too: evaluating these expressions took longer than Python.
"""

from collections.abc import Iterator

import psycopg
from django.db import connection
from django.db.models import Case, F, Func, QuerySet, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, Left
from django.db.models.lookups import Exact, In

from .cells import FORMULA_TRIGGERS, ExportColumn

TEXT = TextField()


_ISO_DATETIME_UTC = (
    "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
    " || CASE WHEN to_char(%(expressions)s AT TIME ZONE 'UTC', 'US') <> '000000'"
    " THEN '.' || to_char(%(expressions)s AT TIME ZONE 'UTC', 'US') ELSE '' END || '+00:00'"
)


class IsoDate(Func):
    """A date as YYYY-MM-DD text: what SQLite stores; PostgreSQL formats it."""

    template = "to_char(%(expressions)s, 'YYYY-MM-DD')"
    output_field = TEXT

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS text)", **extra_context)


def neutralised(expression):
    """Prefix an apostrophe where the text could start a spreadsheet formula."""
    return Case(
        When(In(Left(expression, 1), list(FORMULA_TRIGGERS)), then=Concat(Value("'"), expression, output_field=TEXT)),
        default=expression,
        output_field=TEXT,
    )


def cell_sql(column: ExportColumn):
    """The SQL expression for one cell, or None where the column has no SQL form."""
    if column.sql is not None:
        expression = neutralised(column.sql)
    elif not column.field:
        return None
    elif column.kind == "integer":
        expression = Cast(F(column.field), TEXT)
    elif column.kind == "number":
        whole = Func(F(column.field), function="trunc")
        expression = Case(
            When(Exact(F(column.field), whole), then=Cast(whole, TEXT)), default=Cast(F(column.field), TEXT)
        )
    elif column.kind == "date":
        expression = IsoDate(F(column.field))
    elif column.kind == "datetime":
        expression = Func(F(column.field), template=_ISO_DATETIME_UTC, output_field=TEXT)
    else:
        expression = neutralised(Cast(F(column.field), TEXT))
    return Coalesce(expression, Value(""), output_field=TEXT)


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
