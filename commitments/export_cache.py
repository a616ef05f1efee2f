"""Repeat downloads of an export, answered from memory while the database is unchanged.

A whole-table export costs a worker 0.2–2.5 s of CPU, and report users download the same
ones (the full table, a theme, a year) again and again between analysts' edits. Each
worker keeps the bytes of the exports it wrote last, under a key holding everything they
depend on: the address with its query, host and scheme, the language, the day (the
citations' date accessed and the file name) and a value the database itself changes with
every write (`database_version`: an SQLite file's change counter, PostgreSQL's WAL
position). No path that changes the data, whether the admin, a
bulk update, a migration, raw SQL or another process, can leave that value as it was, so
a download never returns rows that have since changed or been unpublished.
"""

import functools
import os
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator

from cachetools import LRUCache
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language

# The headers a download is answered with again (the rest comes from the middleware).
KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def database_version(database: BaseDatabaseWrapper = connection) -> str | None:
    """A value that differs whenever any data was written since it was last read; None
    where the database cannot tell (no caching then).

    Read before the export's rows: data read after it is at least as new as the version,
    so bytes are never stored under a version newer than their rows. Inside a transaction
    (the tests' own) rows that may yet be rolled back are visible: nothing is kept then."""
    if database.in_atomic_block:
        return None
    try:  # in autocommit (checked above): a failed read spoils no transaction
        if database.vendor == "sqlite":
            return _sqlite_file_version(database) or _sqlite_connection_version(database)
        if database.vendor == "postgresql":
            with database.cursor() as cursor:
                # Every write adds to the write-ahead log, committed or not, in this
                # session or any other; the position never goes back.
                cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
                return cursor.fetchone()[0]
    except (DatabaseError, OSError):  # e.g. a standby, which has no insert position
        return None
    return None


def _sqlite_file_version(database: BaseDatabaseWrapper) -> str | None:
    """A database file's change counter (bytes 24-27 of its header: SQLite adds one with
    every transaction that writes), with the file's identity, size and modification time,
    so that a file put back from a backup (whose counter may be lower) starts a new series.
    It holds across connections, which gunicorn's workers renew every CONN_MAX_AGE seconds.
    None in memory, and in WAL mode, where SQLite does not keep the counter."""
    if database.is_in_memory_db() or _per_connection(database, "journal_mode", _journal_mode) == "wal":
        return None
    with open(database.settings_dict["NAME"], "rb") as file:
        stat = os.fstat(file.fileno())
        counter = int.from_bytes(file.read(28)[24:28], "big")
    return f"file:{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:{counter}"


def _journal_mode(database: BaseDatabaseWrapper) -> str:
    with database.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return cursor.fetchone()[0].lower()


def _sqlite_connection_version(database: BaseDatabaseWrapper) -> str:
    """In memory or WAL mode: PRAGMA data_version changes when another connection commits;
    total_changes counts this connection's own writes (rolled back or not, it only grows).
    Both belong to one connection, so a token names it: a new one starts a new series."""
    with database.cursor() as cursor:
        cursor.execute("PRAGMA data_version")
        (version,) = cursor.fetchone()
    token = _per_connection(database, "token", lambda _database: secrets.token_hex(8))
    return f"{token}:{version}:{database.connection.total_changes}"


def _per_connection(database: BaseDatabaseWrapper, name: str, compute: Callable) -> object:
    """`compute(database)`, once per connection the wrapper opens."""
    database.ensure_connection()
    raw = database.connection
    memo = getattr(database, "_export_cache_memo", None)
    if memo is None or memo[0] is not raw:
        memo = (raw, {})  # holds the connection, so its identity is not reused
        database._export_cache_memo = memo
    if name not in memo[1]:
        memo[1][name] = compute(database)
    return memo[1][name]


class _Downloads:
    """The bytes of recent downloads, least recently used dropped first beyond `budget`."""

    def __init__(self, budget: int):
        self.budget = budget
        self.lock = threading.Lock()  # gthread workers serve requests in threads
        self.entries: LRUCache = LRUCache(maxsize=max(budget, 1), getsizeof=lambda entry: len(entry[0]))

    def get(self, key: tuple) -> tuple[bytes, dict] | None:
        with self.lock:
            return self.entries.get(key)

    def put(self, key: tuple, body: bytes, headers: dict) -> None:
        if len(body) <= self.budget:
            with self.lock:
                self.entries[key] = (body, headers)


@functools.lru_cache(maxsize=1)
def _downloads_of(budget: int) -> _Downloads:
    return _Downloads(budget)


def _store() -> _Downloads:
    """This worker's downloads, sized by settings.EXPORT_CACHE_BYTES (read each time, so a
    changed setting takes effect: the tests change it)."""
    return _downloads_of(settings.EXPORT_CACHE_BYTES)


def answered_from_memory(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap an export view: a download already written since the last change is answered
    from memory; a new one is streamed as before and kept once it has streamed whole."""

    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        downloads = _store()
        version = database_version() if downloads.budget else None
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
            body, headers = kept
            response = HttpResponse(body)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if isinstance(response, StreamingHttpResponse) and response.status_code == 200:
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            response.streaming_content = _kept_when_whole(
                response.streaming_content, downloads.budget, lambda body: downloads.put(key, body, headers)
            )
        return response

    return cached_view


def _kept_when_whole(chunks: Iterable[bytes], budget: int, keep: Callable[[bytes], None]) -> Iterator[bytes]:
    """The chunks as they stream; `keep` gets them all once the last has gone out. A stream
    cut short (a database error, a reader who left) is not kept, nor one over the budget."""
    seen: list[bytes] | None = []
    size = 0
    for chunk in chunks:
        if seen is not None:
            seen.append(chunk)
            size += len(chunk)
            if size > budget:
                seen = None
        yield chunk
    if seen is not None:
        keep(b"".join(seen))
