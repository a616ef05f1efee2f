"""The version of the public data: one row that database triggers move with every change a
reader could see, whatever made it (the admin, a service, a bulk update, raw SQL, another
server). Shared caches and HTTP validators (ETag, Last-Modified) are keyed on it.

The triggers (triggers.py) fire on the public tables only, and there only for rows a
reader can see: a draft's edits, a pending or returned update, sign-ins and sessions leave
the version as it was, so they empty no cache."""

from datetime import datetime
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models


class PublicDataVersion(models.Model):
    """The single row (id 1). Written only by the triggers; never by Python code."""

    counter = models.BigIntegerField(default=0)
    # Text, written by the triggers of either database in one format: 2026-12-03 07:30:00.123456+00
    changed_at = models.CharField(max_length=40)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"public data version {self.counter} ({self.changed_at})"


class DataVersion(NamedTuple):
    tag: str  # changes with every public change and never repeats (the counter with its time)
    changed_at: datetime | None  # when, for Last-Modified


def read_public_data_version(using: str = DEFAULT_DB_ALIAS) -> DataVersion | None:
    """The public data's version on database `using`; None when it cannot be told: inside a
    transaction (its rows may yet be rolled back, so nothing may be kept under them), or the
    database is unreachable or not migrated. One primary-key read."""
    database = connections[using]
    if database.in_atomic_block:
        return None
    try:
        with database.cursor() as cursor:
            cursor.execute(f"SELECT counter, changed_at FROM {PublicDataVersion._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
    except DatabaseError:
        return None
    if row is None:  # emptied (a test's flush): unknown until the triggers write it again
        return None
    counter, changed_at = row
    # Digits only, so the tag fits any cache key: 177-20261203071156707000
    return DataVersion(f"{counter}-{''.join(filter(str.isdigit, changed_at))}", _parsed(changed_at))


def _parsed(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        return None
