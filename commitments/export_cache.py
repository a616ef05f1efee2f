"""Repeat downloads of an export, answered from memory while the database is unchanged.

A whole-table export costs a worker 0.2–2.5 s of CPU, and report users download the same
ones (the full table, a theme, a year) again and again between analysts' edits. Each
worker keeps the bytes of the exports it wrote last, under a key holding everything they
depend on: the address with its query, host and scheme, the language, the day (the
citations' date accessed and the file name) and a value the database itself changes with
every write (`database_version`). No path that changes the data, whether the admin, a
bulk update, a migration, raw SQL or another process, can leave that value as it was, so
a download never returns rows that have since changed or been unpublished.
"""

import functools
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator

from cachetools import LRUCache
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language

# The headers a download is answered with again (the rest comes from the middleware).
KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def database_version() -> str | None:
    """A value that differs whenever any data was written since it was last read; None
    where the database cannot tell (no caching then).

    Read before the export's rows: data read after it is at least as new as the version,
    so bytes are never stored under a version newer than their rows. Inside a transaction
    (the tests' own) rows that may yet be rolled back are visible: nothing is kept then."""
    if connection.in_atomic_block:
        return None
    try:  # in autocommit (checked above): a failed read spoils no transaction
        if connection.vendor == "sqlite":
            return _sqlite_version()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Every write adds to the write-ahead log, committed or not, in this
                # session or any other; the position never goes back.
                cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
                return cursor.fetchone()[0]
    except DatabaseError:  # e.g. a standby, which has no insert position
        return None
    return None


def _sqlite_version() -> str:
    """PRAGMA data_version changes when another connection commits; total_changes counts
    this connection's own writes (rolled back or not, it only grows). Both belong to one
    connection, so a token names the connection: a new one starts a new series."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA data_version")
        (version,) = cursor.fetchone()
    raw = connection.connection
    if getattr(connection, "_export_cache_connection", None) is not raw:
        connection._export_cache_connection = raw  # held, so its identity is not reused
        connection._export_cache_token = secrets.token_hex(8)
    return f"{connection._export_cache_token}:{version}:{raw.total_changes}"


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
