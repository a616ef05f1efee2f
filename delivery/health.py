"""/healthz (the process answers) and /readyz (it can serve: database reachable and migrated,
cache reachable or deliberately absent), for a load balancer or Kubernetes' probes.

Answered first in the middleware chain: no host check (a balancer asks by address), no HTTPS
redirect, no session, never cached. /readyz costs one query and, with Redis, one round trip;
the migration check reads the migration graph until it finds none left to apply, then never
again in that process."""

import json

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from .replicas import replicas


class _Migrations:
    applied_all = False

    def pending(self) -> int:
        if self.applied_all:
            return 0
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        self.applied_all = pending == 0
        return pending


_migrations = _Migrations()


def readiness() -> dict[str, str]:
    """Each check's finding; every one starting with "ok" means ready."""
    checks = {}
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = _migrations.pending()
        checks["database"] = "ok" if not pending else f"{pending} migrations not applied"
    except DatabaseError as error:
        checks["database"] = f"unreachable: {error}".strip()
    if settings.REDIS_URL:
        try:
            cache.set("readyz", "1", timeout=10)
            checks["cache"] = "ok" if cache.get("readyz") == "1" else "not keeping values"
        except Exception as error:  # whatever the backend raises
            checks["cache"] = f"unreachable: {error}"
    else:
        checks["cache"] = "ok: none shared (each worker's memory; REDIS_URL unset)"
    for alias in settings.REPLICA_ALIASES:
        # Informative: reads move to the primary when a replica is skipped.
        checks[alias] = "ok: in use" if alias in replicas.usable() else "ok: skipped (lagging or unreachable)"
    return checks


def _answer(status: int, body: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info == "/healthz":
            return _answer(200, {"status": "ok"})
        if request.path_info == "/readyz":
            checks = readiness()
            ready = all(finding.startswith("ok") for finding in checks.values())
            return _answer(200 if ready else 503, {"status": "ready" if ready else "not ready", "checks": checks})
        return self.get_response(request)
