"""Repeat downloads, and anything else worth keeping, in the shared cache under the version
of the public data.

The cache is Django's: Redis with REDIS_URL, shared by every worker and server; without it
each worker's own memory. A whole-table export costs a worker 0.2–2.5 s of CPU, and report
users download the same ones again and again between analysts' edits. A kept download's key
holds everything its bytes depend on: the address with its query, host and scheme, the
language, the day (the citations' date accessed and the file name), the code (`code_version`)
and the public data's version (`current_version`), which database triggers move with every
change a reader could see, by any path or server (commitments.models.dataversion). So a
download never returns rows that have since changed or been unpublished.

The cache is a convenience, never a dependency: when it fails (Redis down), the error is
logged once, the cache is left alone for CACHE_RETRY_SECONDS, and pages are written afresh.
"""

import functools
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import router
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import get_language

from ..models import DataVersion, PublicDataVersion, read_public_data_version

logger = logging.getLogger(__name__)

# The headers a download is answered with again (the rest comes from the middleware).
KEPT_HEADERS = ("Content-Type", "Content-Disposition")

# The version read once for the request being served (delivery's middleware sets it), so
# that a page, its fragments and its validators agree, and it costs one query.
request_version: ContextVar[DataVersion | None] = ContextVar("request_version", default=None)


def current_version() -> DataVersion | None:
    """The public data's version, as read for this request or else now, from the database
    this request reads from (a replica's version describes that replica's rows)."""
    if (held := request_version.get()) is not None:
        return held
    return read_public_data_version(router.db_for_read(PublicDataVersion))


@functools.cache
def code_version() -> str:
    """What the code, templates, catalogue and static files are: the same on every server
    running one release, different after any change (DEPLOY_ID overrides it)."""
    if deploy_id := os.environ.get("DEPLOY_ID"):
        return deploy_id
    digest = hashlib.sha1()
    base = Path(settings.BASE_DIR)
    for folder in ("commitments", "tracker", "templates", "static", "locale"):
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and path.suffix not in (".pyc", ".mo"):
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class _Health:
    """When the cache last failed: it is left alone for CACHE_RETRY_SECONDS after."""

    failed_at = float("-inf")

    def usable(self) -> bool:
        return time.monotonic() - self.failed_at >= settings.CACHE_RETRY_SECONDS

    def failed(self, error: Exception) -> None:
        if self.usable():
            logger.warning("The cache failed (%s); serving uncached for %ss.", error, settings.CACHE_RETRY_SECONDS)
        self.failed_at = time.monotonic()


_health = _Health()


def kept(key: str):
    """The value kept under `key`, or None (absent, or the cache is failing)."""
    if not _health.usable():
        return None
    try:
        return cache.get(key)
    except Exception as error:  # whatever the backend raises (redis' own errors, OSError)
        _health.failed(error)
        return None


def keep(key: str, value, timeout: int | None = None) -> None:
    if not _health.usable():
        return
    try:
        cache.set(key, value, timeout=settings.CACHE_SECONDS if timeout is None else timeout)
    except Exception as error:
        _health.failed(error)


def download_key(request: HttpRequest, version: DataVersion) -> str:
    parts = (
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        get_language(),
        timezone.localdate().isoformat(),
        code_version(),
        version.tag,
    )
    return "download:" + hashlib.sha1(repr(parts).encode()).hexdigest()


def answered_from_cache(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap an export view: a download already written since the last public change is
    answered from the cache; a new one is streamed as before and kept once it has streamed
    whole."""

    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        largest = settings.CACHE_MAX_ITEM_BYTES
        version = current_version() if largest else None
        if version is None:
            return view(request, *args, **kwargs)
        key = download_key(request, version)
        if (entry := kept(key)) is not None:
            body, headers = entry
            response: HttpResponseBase = StreamingHttpResponse([body])
            response["Content-Length"] = len(body)
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
                content, largest, lambda chunks: keep(key, (b"".join(chunks), headers))
            )
        return response

    return cached_view


def _kept_when_whole(chunks: Iterable[bytes], largest: int, keep_all: Callable[[list[bytes]], None]) -> Iterator[bytes]:
    """The chunks as they stream; `keep_all` gets them all once the last has gone out. A
    stream cut short (a database error, a reader who left) is not kept, nor one over `largest`."""
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
        keep_all(seen)
