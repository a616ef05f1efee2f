"""/healthz and /readyz: cheap, never cached, answered whatever the Host, and /readyz says
what is wrong (a cache that does not answer) with a 503 a load balancer acts on."""

import json
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache

from commitments.exports import cache as shared_cache

pytestmark = pytest.mark.django_db


def test_healthz_answers_for_any_host_and_is_never_cached(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_readyz_checks_the_database_and_says_the_cache_is_deliberately_absent(client):
    response = client.get("/readyz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    checks = json.loads(response.content)["checks"]
    assert checks["database"] == "ok"
    assert checks["cache"].startswith("ok: none shared")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server(tmp_path):
    """A real Redis on a loopback port of its own, for this test alone."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is missing (apt-get install redis-server); .ci/run installs it")
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()


@pytest.fixture
def redis_cache(settings, redis_server):
    process, url = redis_server
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield process
    shared_cache._health.failed_at = float("-inf")  # the next test starts with a usable cache


@pytest.mark.django_db(transaction=True)
def test_with_redis_pages_are_kept_there_and_served_when_it_stops(client, redis_cache, caplog):
    from .factories import commitment_with_basis

    commitment_with_basis(title="Alpha")
    assert json.loads(client.get("/readyz").content)["checks"]["cache"] == "ok"
    first = client.get("/commitments/")
    assert first.status_code == 200
    assert cache.get("page:" + first["ETag"]) is not None  # in Redis, for every worker and server
    redis_cache.kill()
    redis_cache.wait()
    again = client.get("/commitments/?sort=title")
    assert again.status_code == 200 and "Alpha" in again.content.decode()
    assert "The cache failed" in caplog.text
    readiness = client.get("/readyz")
    assert readiness.status_code == 503
    assert json.loads(readiness.content)["checks"]["cache"].startswith("unreachable")
