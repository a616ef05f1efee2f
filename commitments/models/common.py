"""The base model, and the fields, date rules and functions every record uses."""

import datetime
import functools
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connections, models, router
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class HttpsURLField(models.URLField):
    """A URL field whose form assumes https:// when the scheme is left out (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def in_choices(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


def _date_precision_help(what: "StrOrPromise") -> str:
    return gettext(
        "How precisely the source dates %(what)s. Store the first day of the month or "
        "year when only that is known; pages show only what is known."
    ) % {"what": what}


# Lazy, so the help text is translated where it is shown (the data dictionary in French),
# not once in English when the models are imported.
date_precision_help = lazy(_date_precision_help, str)


def end_of(day, precision: str):
    """The latest date a value stored at `precision` may stand for."""
    if precision == DatePrecision.YEAR:
        return day.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return day


def start_of(day, precision: str):
    """The earliest date a value stored at `precision` may stand for."""
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    return day


def wholly_before(field: str, precision_field: str, day: datetime.date) -> Q:
    """Rows whose date `field`, at its precision, stands only for days before `day`: a year
    stored as 1 January is before `day` only if the whole year is (end_of, in SQL)."""
    return (
        Q(**{precision_field: DatePrecision.DAY, f"{field}__lt": day})
        | Q(**{precision_field: DatePrecision.MONTH, f"{field}__lt": day.replace(day=1)})
        | Q(**{precision_field: DatePrecision.YEAR, f"{field}__lt": day.replace(month=1, day=1)})
    )


def percent_of(value: Decimal | None, target: Decimal | None) -> int | None:
    """`value` as a whole percentage of `target`, at most 100; None without either (the
    CSV export computes it from plain values, without a Commitment)."""
    if not target or value is None:
        return None
    return min(100, round(value * 100 / target))


class Year(ExtractYear):
    """ExtractYear, native on SQLite, whose own version calls back into Python for every
    row (50 ms over 10,000 commitments). SQLite stores dates as YYYY-MM-DD text."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) AS integer)", params


def compiled_rows(model: type[models.Model], build: Callable[..., models.QuerySet], ids, *shape) -> Iterable:
    """The rows of `build(ids, *shape)`, a values_list queryset of `model` whose only
    parameters are the ids, with its SQL compiled once per database, `build`, shape and
    number of ids: building and compiling a query of joins cost four times running it (a
    page's 25 rows' documents). `ids` not a list (an expression): the queryset itself."""
    if not isinstance(ids, list):
        return build(ids, *shape)
    ids = list(dict.fromkeys(ids))  # as an IN list writes them
    if not ids:
        return []
    alias = router.db_for_read(model)
    if (compiled := _compiled(alias, build, shape, len(ids))) is None:
        return list(build(ids, *shape).using(alias))
    return _run(alias, compiled[0], ids)


def rows_of(model: type[models.Model], build: Callable[[], models.QuerySet]) -> list[tuple]:
    """The rows of `build()`, a values_list queryset of `model` that is the same on every
    call (no parameter from the request, the language or the clock), its SQL compiled once
    per database: the filters' lists on every table page (years, bodies, documents)."""
    alias = router.db_for_read(model)
    if (compiled := _compiled(alias, build, (), None)) is None:
        return list(build().using(alias))
    return _run(alias, *compiled)


def distinct_values(model: type[models.Model], build: Callable[[], models.QuerySet], *, descending=False) -> list:
    """The distinct values of `build()`, a queryset of `model` whose rows are one column
    named `value` (the same on every call, as for rows_of), in order, NULL left out, by one
    index seek per value: a recursive query asks for the first value past the last one found
    (a "loose index scan"). SELECT DISTINCT reads every row of the index instead: 0.9 ms for
    the 31 years of 10,000 commitments on every table page, 0.05 ms this way. The values are
    as the database gives them, unconverted (PostgreSQL's EXTRACT gives a Decimal)."""
    alias = router.db_for_read(model)
    return [value for (value,) in _run(alias, *_loose_scan(alias, build, descending))]


@functools.lru_cache(maxsize=64)
def _loose_scan(alias: str, build: Callable[[], models.QuerySet], descending: bool) -> tuple[str, tuple]:
    rows, parameters = build().order_by().query.get_compiler(alias).as_sql()
    past, order = ("<", "DESC") if descending else (">", "ASC")
    first = f"SELECT value FROM ({rows}) AS first_row WHERE value IS NOT NULL ORDER BY value {order} LIMIT 1"
    following = (
        f"SELECT value FROM ({rows}) AS next_row WHERE next_row.value {past} found.value ORDER BY value {order} LIMIT 1"
    )
    sql = (
        f"WITH RECURSIVE found(value) AS (SELECT * FROM ({first}) AS start UNION ALL "
        f"SELECT ({following}) FROM found WHERE found.value IS NOT NULL) "
        f"SELECT value FROM found WHERE value IS NOT NULL ORDER BY value {order}"
    )
    return sql, (*parameters, *parameters)


def _run(alias: str, sql: str, parameters) -> list[tuple]:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, parameters)
        return cursor.fetchall()


@functools.lru_cache(maxsize=512)
def _compiled(alias: str, build: Callable[..., models.QuerySet], shape: tuple, count: int | None):
    """(SQL, parameters), or None where the rows need converting from what the database
    gives (they are then read as a queryset) or, for `count` ids, where other parameters
    vary. For ids, the parameters kept are none: the ids are the parameters."""
    stand_ins = None if count is None else list(range(-count, 0))  # distinct, as the ids are
    compiler = (build() if stand_ins is None else build(stand_ins, *shape)).query.get_compiler(alias)
    sql, parameters = compiler.as_sql()
    if stand_ins is not None and list(parameters) != stand_ins:
        return None
    if compiler.get_converters([selected[0] for selected in compiler.select]):
        return None
    return sql, (() if stand_ins is not None else tuple(parameters))
