"""A repeat download is answered from memory, and any write at all reaches the next one.

These tests commit their data (transaction=True): inside the other tests' transactions the
exports are never kept, since what they read may yet be rolled back."""

import shutil
import sqlite3
import threading
from contextlib import closing

import pytest
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django.urls import reverse

from commitments import services
from commitments.exports.cache import database_version
from commitments.models import Commitment, SourceDocument, SuccessCriterion

from .factories import commitment_with_basis
from .helpers import csv_rows, text_of

pytestmark = pytest.mark.django_db(transaction=True)

EXPORT = "/commitments/export.csv"


@pytest.fixture
def published():
    commitments = [commitment_with_basis(title=title) for title in ("Alpha", "Bravo", "Charlie")]
    SuccessCriterion.objects.create(commitment=commitments[0], position=1, text="Troops deployed")
    return commitments


def from_memory(response) -> bool:
    """A download answered from memory says its length; one being written cannot."""
    return response.has_header("Content-Length")


def test_a_repeat_download_is_answered_from_memory(client, published, django_assert_num_queries):
    first = client.get(EXPORT)
    assert not from_memory(first)
    body = text_of(first)
    with django_assert_num_queries(1):  # the database's version, and nothing else
        again = client.get(EXPORT)
        assert text_of(again) == body
    assert int(again["Content-Length"]) == len(body.encode())
    for header in ("Content-Type", "Content-Disposition"):
        assert again[header] == first[header]


def _save_in_the_admin_way(commitment):
    commitment.title = "Renamed by an analyst"
    services.save_commitment(commitment=commitment, expected_version=commitment.version)
    return lambda rows: "Renamed by an analyst" in {row["title"] for row in rows}


def _unpublish_in_bulk(commitment):
    Commitment.objects.filter(pk=commitment.pk).update(is_published=False)
    still_published = set(Commitment.objects.filter(is_published=True).values_list("slug", flat=True))
    return lambda rows: {row["slug"] for row in rows} == still_published


def _rename_a_document_in_sql(commitment):
    document = SourceDocument.objects.filter(quotes__commitment_links__commitment=commitment).first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SourceDocument._meta.db_table} SET title = %s WHERE id = %s", ["Renamed in SQL", document.pk]
        )
    return lambda rows: any("Renamed in SQL" in row["source_documents"] for row in rows)


def _delete_a_criterion(commitment):
    SuccessCriterion.objects.filter(commitment__in=Commitment.objects.all()).delete()
    return lambda rows: not any(row["success_criteria"] for row in rows)


def _rename_from_another_connection(commitment):
    def rename():
        try:
            Commitment.objects.filter(pk=commitment.pk).update(title="Renamed elsewhere")
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=rename)
    thread.start()
    thread.join()
    return lambda rows: "Renamed elsewhere" in {row["title"] for row in rows}


WRITES = {
    "saved as the admin saves": _save_in_the_admin_way,
    "unpublished by a bulk update": _unpublish_in_bulk,
    "a document renamed in raw SQL": _rename_a_document_in_sql,
    "criteria deleted": _delete_a_criterion,
    "renamed by another connection": _rename_from_another_connection,
}


@pytest.mark.parametrize("write", WRITES)
def test_any_write_reaches_the_next_download(client, published, write):
    before = csv_rows(client, EXPORT)
    assert from_memory(client.get(EXPORT))
    shows_the_write = WRITES[write](published[0])
    assert not shows_the_write(before)
    assert shows_the_write(csv_rows(client, EXPORT))


def test_each_address_host_and_language_is_its_own_download(client, published, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "mirror.example.org"]
    english = text_of(client.get(EXPORT))
    assert text_of(client.get(f"/fr{EXPORT}")) != english
    assert "https://testserver/" in text_of(client.get(EXPORT, secure=True))
    assert "http://mirror.example.org/" in text_of(client.get(EXPORT, HTTP_HOST="mirror.example.org"))
    one = csv_rows(client, f"{EXPORT}?q=Bravo")
    assert [row["title"] for row in one] == ["Bravo"]
    assert text_of(client.get(EXPORT)) == english


def test_a_download_cut_short_is_not_kept(client, published):
    response = client.get(EXPORT)
    next(iter(response.streaming_content))
    response.close()  # the reader left after the first chunk
    assert not from_memory(client.get(EXPORT))  # written again


def test_a_download_over_the_budget_is_not_kept(client, published, settings):
    settings.EXPORT_CACHE_BYTES = 8 * 100  # downloads of up to 100 bytes
    text_of(client.get(EXPORT))
    assert not from_memory(client.get(EXPORT))


def test_every_export_is_kept(client, published, django_assert_num_queries):
    for name in ("commitment-export", "update-export", "quote-export"):
        url = reverse(f"commitments:{name}")
        body = text_of(client.get(url))
        with django_assert_num_queries(1):
            assert text_of(client.get(url)) == body


# The version of a database file, as production and the benchmark use SQLite (the tests'
# own database is in memory): read on a connection of its own to a file of its own.

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="reads an SQLite database file (make test runs this on SQLite)"
)


def file_database(path) -> BaseDatabaseWrapper:
    """A connection to the file at `path`, left in the journal mode the file is in (the app's
    own connections switch theirs to WAL)."""
    options = {key: value for key, value in connection.settings_dict["OPTIONS"].items() if key != "init_command"}
    settings = {**connection.settings_dict, "NAME": str(path), "TEST": {}, "OPTIONS": options}
    database = SQLiteDatabaseWrapper(settings, alias="file")
    database.ensure_connection()
    return database


def commit_a_row(path, value: int) -> None:
    with closing(sqlite3.connect(path)) as other, other:
        other.execute("INSERT INTO t VALUES (?)", [value])


@sqlite_only
def test_a_database_file_changes_version_with_every_write(tmp_path):
    path = tmp_path / "tracker.sqlite3"
    with closing(sqlite3.connect(path)) as setup, setup:
        setup.execute("CREATE TABLE t (x)")
    database = file_database(path)
    seen = [database_version(database)]
    assert seen[0].startswith("file:")
    commit_a_row(path, 1)  # another process's commit
    seen.append(database_version(database))
    with database.cursor() as cursor:  # this connection's own
        cursor.execute("INSERT INTO t VALUES (2)")
    seen.append(database_version(database))
    assert len(set(seen)) == 3
    assert database_version(database) == seen[-1]  # no write, no change
    database.close()
    assert database_version(file_database(path)) == seen[-1]  # a worker's new connection keeps the series


@sqlite_only
@pytest.mark.parametrize("put_back", ["with SQLite's backup, as make restore does", "as a copied file"])
def test_a_file_put_back_from_a_backup_is_a_new_version(tmp_path, put_back):
    path, backup = tmp_path / "tracker.sqlite3", tmp_path / "backup.sqlite3"
    with closing(sqlite3.connect(path)) as setup, setup:
        setup.execute("CREATE TABLE t (x)")
    shutil.copy(path, backup)
    database = file_database(path)
    seen = {database_version(database)}
    for value in range(3):
        commit_a_row(path, value)
        seen.add(database_version(database))
    if put_back.startswith("with"):
        with closing(sqlite3.connect(backup)) as copy, closing(sqlite3.connect(path)) as live:
            copy.backup(live)
    else:
        database.close()
        shutil.copy(backup, path)
    assert (version := database_version(database)) is not None and version not in seen


@sqlite_only
def test_in_wal_mode_the_version_is_the_connections(tmp_path):
    path = tmp_path / "tracker.sqlite3"
    with closing(sqlite3.connect(path)) as setup:
        setup.execute("PRAGMA journal_mode=wal")
        setup.execute("CREATE TABLE t (x)")
    database = file_database(path)
    before = database_version(database)
    assert before and not before.startswith("file:")
    commit_a_row(path, 1)
    assert (version := database_version(database)) is not None and version != before


@sqlite_only
def test_a_file_renamed_over_the_path_is_not_the_connections(tmp_path):
    path, other = tmp_path / "tracker.sqlite3", tmp_path / "restored.sqlite3"
    for name in (path, other):
        with closing(sqlite3.connect(name)) as setup, setup:
            setup.execute("CREATE TABLE t (x)")
    database = file_database(path)
    assert database_version(database)
    other.rename(path)  # the open connection still reads the old file
    assert database_version(database) is None
    database.close()
    assert database_version(file_database(path))  # a new connection reads the new one


@sqlite_only
def test_wal_switched_on_under_an_open_connection(tmp_path):
    path = tmp_path / "tracker.sqlite3"
    with closing(sqlite3.connect(path)) as setup, setup:
        setup.execute("CREATE TABLE t (x)")
    database = file_database(path)
    assert database_version(database).startswith("file:")
    with closing(sqlite3.connect(path)) as other:
        other.execute("PRAGMA journal_mode=wal")
    before = database_version(database)
    commit_a_row(path, 1)
    assert (version := database_version(database)) is not None and version != before
