"""Read replicas: which database each kind of request reads, read-your-writes after a write,
and a replica that lags or does not answer skipped without a reader noticing.

The replica here is a second connection to the test database (what Django's test MIRROR
does): which connection ran the queries shows where a request read. The data is committed
(transaction=True) so that the second connection sees it. make cluster-test runs the same
rules against a real PostgreSQL hot standby."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment
from delivery.replicas import replicas

from .factories import commitment_with_basis, member_of

ALIAS = "replica_test"
# A second alias of the test database, declared before the test databases are set up (as
# DATABASE_REPLICA_URLS declares replicas, with TEST MIRROR). Unused unless REPLICA_ALIASES names it.
connections.settings.setdefault(ALIAS, {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}})

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", ALIAS])


@pytest.fixture
def replica(settings):
    settings.REPLICA_ALIASES = [ALIAS]
    replicas.checked.clear()
    yield ALIAS
    connections[ALIAS].close()
    replicas.checked.clear()


@pytest.fixture
def published():
    return commitment_with_basis(title="Alpha")


def reads(client, url, **extra):
    """(queries on the primary, queries on the replica, the response) for one request."""
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections[ALIAS]) as copy:
        response = client.get(url, **extra)
        if response.streaming:
            b"".join(response.streaming_content)
    return len(primary), len(copy), response


@pytest.mark.parametrize("url", ["/commitments/", "/api/commitments/", "/commitments/export.csv", "/fr/"])
def test_an_anonymous_read_goes_to_the_replica(client, replica, published, url):
    on_primary, on_replica, response = reads(client, url)
    assert response.status_code == 200
    assert on_replica > 0 and on_primary == 0


def test_a_signed_in_reader_reads_the_primary(client, replica, published):
    client.force_login(member_of("Analyst", "ana"))
    on_primary, on_replica, response = reads(client, "/commitments/")
    assert response.status_code == 200
    assert on_primary > 0 and on_replica == 0


def test_after_a_write_the_client_reads_the_primary_for_a_while(client, replica, published, settings):
    written = client.post("/admin/login/", {"username": "nobody", "password": "wrong"})
    pin = written.cookies[settings.REPLICA_PIN_COOKIE]
    assert pin["max-age"] == settings.REPLICA_PIN_SECONDS and pin["httponly"]
    on_primary, on_replica, _ = reads(client, "/commitments/")
    assert on_primary > 0 and on_replica == 0
    client.cookies.pop(settings.REPLICA_PIN_COOKIE)  # the while has passed: the cookie expired
    on_primary, on_replica, _ = reads(client, "/commitments/")
    assert on_replica > 0 and on_primary == 0


def test_a_search_on_a_replica_has_the_primary_set_the_public_flags(client, replica, published):
    # A replica cannot write: finding the search index's public flags out of date, the search
    # has the primary set them and checks each match itself meanwhile; the next reads them.
    def search(text):
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections[ALIAS]) as copy,
        ):
            response = client.get("/search/", {"q": text})
        assert response.status_code == 200 and "Alpha" in response.content.decode()
        return [q["sql"] for q in primary.captured_queries], [q["sql"] for q in copy.captured_queries]

    on_primary, on_replica = search("alpha")
    assert any(sql.startswith("UPDATE") for sql in on_primary)
    assert any("commitments_commitmentquote" in sql for sql in on_replica)  # each match checked
    on_primary, on_replica = search("alpha pledge or alpha")
    assert on_primary == [] and not any("commitments_commitmentquote" in sql for sql in on_replica)


def test_a_lagging_replica_is_skipped(client, replica, published, settings, caplog):
    settings.REPLICA_MAX_LAG_SECONDS = -1  # any replica lags more than this
    on_primary, on_replica, response = reads(client, "/commitments/")
    assert response.status_code == 200 and "Alpha" in response.content.decode()
    assert on_primary > 0
    assert "lags" in caplog.text


def test_an_unreachable_replica_is_skipped(client, replica, published, tmp_path, caplog):
    database = connections[ALIAS]
    BaseDatabaseWrapper.close(database)  # SQLite's own close() keeps an in-memory database open
    working = database.settings_dict
    if database.vendor == "postgresql":
        database.settings_dict = {**working, "PORT": "1", "OPTIONS": {"connect_timeout": 1}}  # nothing listens there
    else:
        database.settings_dict = {**working, "NAME": str(tmp_path / "no such folder" / "replica.sqlite3")}
    try:
        with CaptureQueriesContext(connections["default"]) as primary:
            response = client.get("/commitments/")
        assert response.status_code == 200 and "Alpha" in response.content.decode()
        assert len(primary) > 0
        assert "unreachable" in caplog.text
    finally:
        BaseDatabaseWrapper.close(database)
        database.settings_dict = working


def test_commands_and_code_outside_a_request_use_the_primary(client, replica, published):
    client.get("/commitments/")  # a request read the replica; the thread's next work does not
    assert router.db_for_read(Commitment) == "default"
    assert router.db_for_write(Commitment) == "default"


def test_the_environment_names_the_replicas_and_the_shared_cache():
    """DATABASE_REPLICA_URLS and REDIS_URL, read by the settings as a deployment sets them."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.REPLICA_ALIASES, s.DATABASES['replica_1']['PORT'], s.CACHES['default']['BACKEND']]))"
    )
    environment = {
        **os.environ,
        "DATABASE_URL": "postgres://u:p@primary.example:5432/tracker",
        "DATABASE_REPLICA_URLS": "postgres://u:p@replica-a.example:5432/tracker, postgres://u:p@replica-b.example:6432/tracker",
        "REDIS_URL": "redis://cache.example:6379/0",
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }
    probe = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=60,
    )
    aliases, port, backend = json.loads(probe.stdout)
    assert aliases == ["replica_0", "replica_1"] and port == 6432
    assert backend == "django.core.cache.backends.redis.RedisCache"
