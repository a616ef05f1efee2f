"""HTTP caching of public responses: validators, 304s without rendering, kept pages.

Every public page, export, feed and API answer to an anonymous GET gets a strong ETag (the
code, the public data's version, the language, the day and the full address) and a
Last-Modified, and HTTP_CACHE_CONTROL (public, max-age=60, stale-while-revalidate=300). The
ETag is computed before the view from one primary-key read, so a conditional request whose
ETag still matches is answered 304 with no view, no session, no template. A page written
once is kept in the shared cache under its ETag and answered from there to the next reader.

Only what is the same for every reader is shared: a response that sets a cookie or varies
on one (a CSRF token in a form, a message, a session read), or that a signed-in person gets,
is `private, no-store`, with no validator, and never kept. So a page that adds a form with
a CSRF token simply stops being shared; nothing personal can reach a cache.
"""

import hashlib
from datetime import UTC, datetime, time

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from commitments.exports.cache import code_version, keep, kept, request_version
from commitments.models import DataVersion, read_public_data_version

from .replicas import fall_back_to_primary, reads_from

PRIVATE = "private, no-store"
# Headers never kept with a page: they belong to one response.
UNKEPT_HEADERS = {"set-cookie", "date"}
# Each process's start: after a deploy, a Last-Modified older than the code is not trusted.
STARTED_AT = datetime.now(UTC).replace(microsecond=0)


@receiver(request_finished)
def _forget_the_version(sender, **kwargs) -> None:
    request_version.set(None)


def applies_to(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not request.path_info.startswith(settings.HTTP_CACHE_EXCLUDED_PATHS)


def signed_in_maybe(request: HttpRequest) -> bool:
    """A session cookie: someone who may be signed in, whose responses are never shared."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def version_for(request: HttpRequest) -> DataVersion | None:
    version = read_public_data_version(reads_from(request))
    if version is None and reads_from(request) != "default":
        fall_back_to_primary(request)  # the replica did not answer
        version = read_public_data_version(reads_from(request))
    return version


def etag_for(request: HttpRequest, version: DataVersion) -> str:
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    parts = (
        code_version(),
        version.tag,
        language,
        timezone.localdate().isoformat(),  # "past its deadline", citations' date accessed
        request.scheme,
        request.get_host(),
        request.get_full_path(),
    )
    return '"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:32] + '"'


def last_modified_for(version: DataVersion) -> datetime:
    """The latest of the last public change, the day's start (dates shown move with it) and
    this process's start (the code)."""
    midnight = datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())
    return max(version.changed_at or STARTED_AT, midnight, STARTED_AT)


def shareable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """The same for every reader: a 200 that sets no cookie, depends on none, for no one signed in."""
    if response.status_code != 200 or response.cookies:
        return False
    if "cookie" in {value.strip().lower() for value in response.get("Vary", "").split(",")}:
        return False
    user = getattr(request, "user", None)
    return not (signed_in_maybe(request) and user is not None and user.is_authenticated)


def with_validators(response: HttpResponseBase, etag: str, version: DataVersion) -> HttpResponseBase:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified_for(version).timestamp())
    response["Cache-Control"] = settings.HTTP_CACHE_CONTROL
    # The language is in the path (/fr/), never taken from Accept-Language: LocaleMiddleware's
    # Vary would only split shared caches' entries for nothing.
    vary = [value.strip() for value in response.get("Vary", "").split(",") if value.strip()]
    kept_vary = [value for value in vary if value.lower() != "accept-language"]
    if kept_vary:
        response["Vary"] = ", ".join(kept_vary)
    elif "Vary" in response:
        del response["Vary"]
    return response


class HttpCachingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not applies_to(request):
            return self.get_response(request)
        version = version_for(request)
        if version is None:  # inside a transaction, or no database: nothing to key on
            return self._finished(request, self.get_response(request), None, None)
        request_version.set(version)
        etag = etag_for(request, version)
        if not signed_in_maybe(request):
            last_modified = int(last_modified_for(version).timestamp())
            if (not_modified := get_conditional_response(request, etag=etag, last_modified=last_modified)) is not None:
                return with_validators(not_modified, etag, version)
            if (page := self._kept_page(etag)) is not None:
                return with_validators(page, etag, version)
        return self._finished(request, self.get_response(request), etag, version)

    def _finished(
        self, request: HttpRequest, response: HttpResponseBase, etag: str | None, version: DataVersion | None
    ) -> HttpResponseBase:
        if not shareable(request, response):
            if response.status_code == 200:
                response["Cache-Control"] = PRIVATE
            return response
        if etag is None or version is None:
            return response
        with_validators(response, etag, version)
        if (
            request.method == "GET"
            and isinstance(response, HttpResponse)
            and 0 < len(response.content) <= settings.CACHE_MAX_ITEM_BYTES
        ):
            headers = {name: value for name, value in response.items() if name.lower() not in UNKEPT_HEADERS}
            keep("page:" + etag, (response.content, headers))
        return response

    def _kept_page(self, etag: str) -> HttpResponse | None:
        if not settings.CACHE_MAX_ITEM_BYTES or (entry := kept("page:" + etag)) is None:
            return None
        content, headers = entry
        page = HttpResponse(content)
        for name, value in headers.items():
            page[name] = value
        return page
