"""Repeat downloads of an export, answered from memory while the database is unchanged.

A whole-table export costs a worker 0.2–2.5 s of CPU, and report users download the same
ones (the full table, a theme, a year) again and again between analysts' edits. Each
worker keeps the bytes of the exports it wrote last, under a key holding everything they
depend on: the address with its query, host and scheme, the language, the day (the
citations' date accessed and the file name) and a version of the data the database itself
gives (`database_version`): PostgreSQL's snapshot; for SQLite, whose connections the settings
put in WAL mode, the connection's data_version (a file in rollback-journal mode: its change
counter, which holds across connections). No path
that changes the data, whether the admin, a bulk update, a migration, raw SQL or another
process, leaves that version as it was, so a download never returns rows that have since
changed or been unpublished.
"""

import functools
import os
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator

from cachetools import LRUCache
from django.conf import settings
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django.dispatch import receiver
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import get_language

# The headers a download is answered with again (the rest comes from the middleware).
KEPT_HEADERS = ("Content-Type", "Content-Disposition")
# What an entry costs beyond its bytes (key, headers, objects), counted against the budget.
ENTRY_OVERHEAD = 2048
# An SQLite database file's header: bytes 18-19 say 2 in WAL mode, 24-27 the change counter.
HEADER = 28


def database_version(database: BaseDatabaseWrapper | None = None) -> str | None:
    """A value that differs whenever data was committed since it was last read; None where
    the database cannot tell (no caching then).

    Read before the export's rows, so the rows are at least as new as the version: bytes
    are never kept under a version newer than they are. Inside a transaction (the tests'
    own) rows that may yet be rolled back are visible: nothing is kept then."""
    database = database or connections[DEFAULT_DB_ALIAS]
    if database.in_atomic_block:
        return None
    try:  # in autocommit (checked above): a failed read spoils no transaction
        if database.vendor == "sqlite":
            return _sqlite_version(database)
        if database.vendor == "postgresql":
            with database.cursor() as cursor:
                # The snapshot (xmin:xmax:running) changes exactly when what a query can
                # see does: when a transaction commits, it leaves the running list.
                cursor.execute("SELECT pg_current_snapshot()::text")
                return cursor.fetchone()[0]
    except (DatabaseError, OSError):
        return None
    return None


@receiver(connection_created)
def _remember_the_connection(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """Each new connection: which SQLite file it opened (a file renamed over the path later
    is not the one it reads), and a token naming it."""
    # Attributes of this module's own on Django's connection, which its type does not declare.
    connection.export_cache_token = secrets.token_hex(8)  # type: ignore[attr-defined]
    connection.export_cache_file = None  # type: ignore[attr-defined]
    if isinstance(connection, SQLiteDatabaseWrapper) and not connection.is_in_memory_db():
        stat = os.stat(connection.settings_dict["NAME"])
        connection.export_cache_file = (stat.st_dev, stat.st_ino)  # type: ignore[attr-defined]


def _sqlite_version(database: BaseDatabaseWrapper) -> str | None:
    """For a database file, its change counter (SQLite adds one with every transaction
    that writes) with its size and modification time, so that a file put back from a
    backup (whose counter may be lower) starts a new series. It holds across connections,
    which gunicorn's workers renew every CONN_MAX_AGE seconds.

    In memory or in WAL mode (where SQLite does not keep the counter): PRAGMA data_version,
    which changes when another connection commits, with total_changes, this connection's
    own writes (rolled back or not, it only grows); both belong to the connection, so its
    token starts a series of its own.

    None for a connection opened before the app was ready, or when the path no longer
    names the file the connection reads."""
    database.ensure_connection()
    token = getattr(database, "export_cache_token", None)
    if token is None:
        return None
    if (opened := getattr(database, "export_cache_file", None)) is not None:
        with open(database.settings_dict["NAME"], "rb") as file:
            stat = os.fstat(file.fileno())
            header = file.read(HEADER)
        if (stat.st_dev, stat.st_ino) != opened or len(header) < HEADER:
            return None
        if header[18] != 2:
            counter = int.from_bytes(header[24:28], "big")
            return f"file:{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:{counter}"
    with database.cursor() as cursor:
        cursor.execute("PRAGMA data_version")
        (version,) = cursor.fetchone()
    return f"{token}:{version}:{database.connection.total_changes}"


class _Downloads:
    """The chunks of recent downloads, least recently used dropped first beyond `budget`;
    a download over an eighth of the budget is not kept (it would crowd out the rest and
    double a large export's memory while it streams)."""

    def __init__(self, budget: int):
        self.budget = budget
        self.largest = budget // 8
        self.lock = threading.Lock()  # gthread workers serve requests in threads
        self.entries: LRUCache = LRUCache(maxsize=max(budget, 1), getsizeof=lambda entry: entry[2])

    def get(self, key: tuple) -> tuple[tuple[bytes, ...], dict, int] | None:
        with self.lock:
            return self.entries.get(key)

    def put(self, key: tuple, chunks: tuple[bytes, ...], headers: dict) -> None:
        size = sum(map(len, chunks)) + len(repr(key)) + ENTRY_OVERHEAD
        if size <= self.largest:
            with self.lock:
                self.entries[key] = (chunks, headers, size)


_downloads = _Downloads(settings.EXPORT_CACHE_BYTES)


@receiver(setting_changed)
def _resize(setting: str, value, **kwargs) -> None:
    global _downloads
    if setting == "EXPORT_CACHE_BYTES":
        _downloads = _Downloads(value)


def answered_from_memory(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap an export view: a download already written since the last change is answered
    from memory; a new one is streamed as before and kept once it has streamed whole."""

    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        downloads = _downloads
        version = database_version() if downloads.largest else None
        if version is None:
            return view(request, *args, **kwargs)
        key = (
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            get_language(),
            timezone.localdate().isoformat(),
            version,
        )
        if (kept := downloads.get(key)) is not None:
            chunks, headers, _size = kept
            response: HttpResponseBase = StreamingHttpResponse(chunks)
            response["Content-Length"] = sum(map(len, chunks))
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if (
            isinstance(response, StreamingHttpResponse)
            and response.status_code == 200
            # The exports stream synchronously; an asynchronous stream (ASGI) is passed on as it is.
            and isinstance(content := response.streaming_content, Iterator)
        ):
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            response.streaming_content = _kept_when_whole(
                content, downloads.largest, lambda chunks: downloads.put(key, chunks, headers)
            )
        return response

    return cached_view


def _kept_when_whole(
    chunks: Iterable[bytes], largest: int, keep: Callable[[tuple[bytes, ...]], None]
) -> Iterator[bytes]:
    """The chunks as they stream; `keep` gets them all once the last has gone out. A stream
    cut short (a database error, a reader who left) is not kept, nor one over `largest`."""
    seen: list[bytes] | None = []
    size = 0
    for chunk in chunks:
        if seen is not None:
            seen.append(chunk)
            size += len(chunk)
            if size > largest:
                seen = None
        yield chunk
    if seen is not None:
        keep(tuple(seen))
