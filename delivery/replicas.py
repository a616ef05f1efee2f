"""Read replicas: anonymous reads go to a PostgreSQL hot standby, everything else to the primary.

A request is served from a replica when it is a GET or HEAD with no session cookie (no one
signed in) and no read-your-writes cookie: a client that wrote (any other method) is pinned
to the primary for REPLICA_PIN_SECONDS, so it sees its own change at once, whichever server
it reaches next. A replica is skipped when it lags more than REPLICA_MAX_LAG_SECONDS behind
(PostgreSQL's pg_last_xact_replay_timestamp()) or does not answer; each process asks at most
every REPLICA_CHECK_SECONDS. A replica that fails during a request (stopped under load) is
marked down and the view is run again on the primary, so readers see no error.

The choice lives in a context variable for the request's thread; outside a request (commands,
the shell, tests' own code) every read goes to the primary."""

import logging
import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

logger = logging.getLogger(__name__)

READ_METHODS = ("GET", "HEAD", "OPTIONS")
# How far behind the primary a standby is: 0 when it has replayed all it received (an idle
# primary writes nothing, so the last replayed commit ages without any lag).
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""

_reads_from: ContextVar[str | None] = ContextVar("reads_from", default=None)


class ReplicaRouter:
    """Reads from the database chosen for the request (the primary outside one); writes and
    migrations on the primary only."""

    def db_for_read(self, model, **hints) -> str | None:
        return _reads_from.get()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # replicas hold the primary's rows

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


@receiver(request_finished)
def _forget_the_choice(sender, **kwargs) -> None:
    # After the response (a streamed export included) has gone: the thread's next work reads the primary.
    _reads_from.set(None)


class _Replicas:
    """Each replica's last check in this process: (when, usable)."""

    def __init__(self) -> None:
        self.checked: dict[str, tuple[float, bool]] = {}

    def usable(self) -> list[str]:
        now = time.monotonic()
        found = []
        for alias in settings.REPLICA_ALIASES:
            checked_at, usable = self.checked.get(alias, (float("-inf"), False))
            if now - checked_at >= settings.REPLICA_CHECK_SECONDS:
                usable = self._check(alias)
                self.checked[alias] = (now, usable)
            if usable:
                found.append(alias)
        return found

    def _check(self, alias: str) -> bool:
        try:
            lag = lag_seconds(alias)
        except DatabaseError as error:
            logger.warning("Replica %s is unreachable (%s): reading from the primary.", alias, error)
            connections[alias].close_if_unusable_or_obsolete()
            return False
        if lag > settings.REPLICA_MAX_LAG_SECONDS:
            logger.warning("Replica %s lags %.1f s behind: reading from the primary.", alias, lag)
            return False
        return True

    def failed(self, alias: str) -> None:
        self.checked[alias] = (time.monotonic(), False)


replicas = _Replicas()


def lag_seconds(alias: str) -> float:
    """How many seconds replica `alias` is behind its primary (0 for a database that is not a
    standby, such as the tests' mirror of the primary)."""
    database = connections[alias]
    if database.vendor != "postgresql":
        database.ensure_connection()
        return 0.0
    with database.cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def reads_from(request: HttpRequest) -> str:
    """The database alias this request reads from."""
    return getattr(request, "reads_from", DEFAULT_DB_ALIAS)


def fall_back_to_primary(request: HttpRequest) -> None:
    """The request's replica failed: mark it down and read the rest from the primary."""
    alias = reads_from(request)
    if alias != DEFAULT_DB_ALIAS:
        logger.warning("Replica %s failed during a request: reading from the primary.", alias)
        replicas.failed(alias)
        connections[alias].close()
    _reads_from.set(None)
    request.reads_from = DEFAULT_DB_ALIAS  # type: ignore[attr-defined]


def may_read_a_replica(request: HttpRequest) -> bool:
    return (
        request.method in READ_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.REPLICA_PIN_COOKIE not in request.COOKIES
        and not request.path_info.startswith(settings.HTTP_CACHE_EXCLUDED_PATHS)
    )


class ReplicaRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        alias = DEFAULT_DB_ALIAS
        if settings.REPLICA_ALIASES and may_read_a_replica(request) and (usable := replicas.usable()):
            alias = random.choice(usable)
        _reads_from.set(None if alias == DEFAULT_DB_ALIAS else alias)
        request.reads_from = alias  # type: ignore[attr-defined]
        response = self.get_response(request)
        if request.method not in READ_METHODS and settings.REPLICA_ALIASES and response.status_code < 500:
            response.set_cookie(
                settings.REPLICA_PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A replica that failed under the view (stopped, restarted): the view again, on the primary."""
        if reads_from(request) == DEFAULT_DB_ALIAS or not isinstance(exception, OperationalError | InterfaceError):
            return None
        fall_back_to_primary(request)
        match = request.resolver_match
        if match is None:
            return None
        response = match.func(request, *match.args, **match.kwargs)
        # A template response failed as it rendered: the handler will not render this one.
        return response.render() if hasattr(response, "render") else response
