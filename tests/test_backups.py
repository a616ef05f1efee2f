"""`make backup` / `make restore`: a round trip gives back every row of every table."""

import datetime

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from commitments.models import Commitment, Status
from commitments.services.roles import ANALYST, sync_roles

from .factories import UserFactory, member_of, record_approved
from .helpers import load_seed


def every_row() -> dict[str, list[tuple]]:
    """Every table's rows, in a stable order, read with plain SQL."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the catalogue
            snapshot[table] = sorted(cursor.fetchall(), key=repr)
    return snapshot


@pytest.fixture
def filled(transactional_db):
    sync_roles(apps)
    load_seed()
    analyst = member_of(ANALYST, "ana")  # recording is an analyst's right
    commitment = Commitment.objects.get(slug="deploy-600-troops-peace-operations")
    record_approved(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2017, 11, 15),
        rationale="Canada said what it will deploy, including 200 personnel and aircraft.",
        evidence_url="https://www.canada.ca/en/department-national-defence/news/2017/11/example.html",
        recorded_by=analyst,
    )


def test_a_backup_restores_every_row_of_every_table(filled, tmp_path):
    before = every_row()
    rows = sum(len(table_rows) for table_rows in before.values())
    assert rows > 200 and len(before) > 15
    print(f"round trip over {rows} rows in {len(before)} tables")

    backup_file = tmp_path / "tracker.backup"
    call_command("backup_database", str(backup_file), stdout=open("/dev/null", "w"))
    assert backup_file.stat().st_size > 0

    # Lose things after the backup: a commitment (with its links and history), a user.
    Commitment.objects.filter(slug="deploy-600-troops-peace-operations").delete()
    UserFactory(username="after-the-backup")
    assert every_row() != before

    call_command("restore_database", str(backup_file), "--no-input", stdout=open("/dev/null", "w"))
    assert every_row() == before


def test_restoring_something_that_is_not_a_backup_changes_nothing(filled, tmp_path):
    before = every_row()
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("These are my notes, not a database.")
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore_database", str(not_a_backup), "--no-input")
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore_database", str(tmp_path / "missing.dump"), "--no-input")
    assert every_row() == before
