"""Whole-database backup and restore, with each engine's own tool.

PostgreSQL: pg_dump's custom format, restored by pg_restore in one transaction (a failed
restore leaves the database as it was). SQLite: the SQLite online backup API, which copies
a consistent snapshot even while the site is serving.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    """The backup or restore could not be done; the message says why."""


def default_file_name(timestamp: str) -> str:
    extension = "dump" if connection.vendor == "postgresql" else "sqlite3"
    return f"{connection.vendor}-{timestamp}.{extension}"


def backup(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"])
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    else:
        raise BackupError(f"No backup method for {connection.vendor}.")


def restore(path: Path) -> None:
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    if connection.vendor == "postgresql":
        # Our own connection would hold locks that pg_restore --clean waits for.
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ]  # fmt: skip
        )
    elif connection.vendor == "sqlite":
        source = _open_sqlite_backup(path)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        raise BackupError(f"No restore method for {connection.vendor}.")


def _open_sqlite_backup(path: Path) -> sqlite3.Connection:
    """The backup, once it is known to be an intact SQLite database of this tracker."""
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (integrity,) = source.execute("PRAGMA integrity_check").fetchone()
        tables = {name for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        source.close()
        raise BackupError(f"{path} is not a SQLite database: {error}.") from error
    if integrity != "ok":
        source.close()
        raise BackupError(f"{path} is damaged (SQLite integrity check: {integrity}).")
    if "commitments_commitment" not in tables:
        source.close()
        raise BackupError(f"{path} is a SQLite database but not a backup of this tracker (no commitments table).")
    return source


def _run(command: list[str]) -> None:
    """Run a PostgreSQL client tool against the configured database."""
    database = connection.settings_dict
    environment = {
        **os.environ,
        "PGHOST": database["HOST"] or "",
        "PGPORT": str(database["PORT"] or ""),
        "PGUSER": database["USER"] or "",
        "PGPASSWORD": database["PASSWORD"] or "",
        "PGDATABASE": database["NAME"],
    }
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).") from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
