"""Two analysts press Save on the same commitment at the same moment, against the production
stack (gunicorn, two worker processes, DEBUG off) on the suite's database engine: one save
lands, the other gets the conflict form with its typed edits kept, and saving that form again
keeps both. No 5xx, no "database is locked", no lost edit (SQLite: WAL, IMMEDIATE
transactions and a busy timeout make writers queue, as PostgreSQL's row lock does)."""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from .helpers import Browser, race

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5
COMMITMENT = "deploy-600-troops-peace-operations"
PASSWORD = "correct horse battery staple"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _own_database(tmp_path: Path):
    """A database of the suite's engine for the server alone; a function that drops it."""
    if connection.vendor != "postgresql":
        return f"sqlite:///{tmp_path / 'race.sqlite3'}", lambda: None
    settings = connection.settings_dict
    name = f"tracker_race_{secrets.token_hex(4)}"
    credentials = (
        f"{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    )
    with psycopg.connect(f"postgresql://{credentials}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(f"postgresql://{credentials}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgres://{credentials}/{name}", drop


@pytest.fixture
def served(tmp_path):
    """gunicorn serving the seed data, with two analysts; yields its port."""
    url, drop = _own_database(tmp_path)
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
    }

    def manage(*arguments: str) -> None:
        subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment, check=True)

    port = _free_port()
    server = None
    try:
        manage("collectstatic", "--no-input", "-v0")  # DEBUG off serves hashed static files
        manage("migrate", "--no-input", "-v0")
        manage("load_seed")
        manage(
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth.models import Group, User\n"
            "for name in ('ana', 'ben'):\n"
            f"    user = User.objects.create_user(name, password={PASSWORD!r}, is_staff=True)\n"
            "    user.groups.add(Group.objects.get(name='Analyst'))",
        )
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        server = subprocess.Popen(
            [gunicorn, "tracker.wsgi", f"--bind=127.0.0.1:{port}", "--workers=2", "--log-level=warning"],
            cwd=ROOT,
            env=environment,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                status = Browser(port).request("GET", "/")[0]
            except OSError:
                status = None
            if status == 200:
                break
            assert time.monotonic() < deadline, f"gunicorn did not serve the home page (last answer {status})"
            time.sleep(0.3)
        yield port
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop()


def test_two_simultaneous_saves_one_lands_the_other_meets_the_conflict_form(served):
    ana, ben = Browser(served), Browser(served)
    ana.sign_in("ana", PASSWORD)
    ben.sign_in("ben", PASSWORD)
    for round_number in range(ROUNDS):
        result = race(ana, ben, COMMITMENT, f"round {round_number}")
        assert result.statuses == [200, 302], (round_number, result)
        assert result.conflict_shown, (round_number, result)
        assert result.resaved == 302, (round_number, result)
        assert result.both_kept, (round_number, result)
