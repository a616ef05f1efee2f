"""Project-level guarantees: migrations, settings, commands."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
# What the suite sets for itself, so a probe sees the settings a deployment would.
PROBE_UNSET = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE")


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def run_settings_probe(env: dict, code: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PROBE_UNSET}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_is_off_unless_the_environment_turns_it_on():
    probe = run_settings_probe({"SECRET_KEY": "x" * 50}, "print(settings.DEBUG)")
    assert probe.stdout.strip() == "False"
    probe = run_settings_probe({"DEBUG": "true"}, "print(settings.DEBUG)")
    assert probe.stdout.strip() == "True"


def test_without_debug_a_secret_key_is_required():
    probe = run_settings_probe({}, "print(settings.SECRET_KEY)")
    assert probe.returncode != 0 and "SECRET_KEY must be set" in probe.stderr


def test_database_url_selects_postgresql():
    probe = run_settings_probe(
        {"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u:p@db.example:5432/tracker"},
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['HOST'])",
    )
    assert probe.stdout.split() == ["django.db.backends.postgresql", "db.example"]


def test_production_settings_pass_the_deploy_check():
    env = {"SECRET_KEY": "a-long-random-production-key-" + "k8Zq2" * 10, "ALLOWED_HOSTS": "tracker.example.org"}
    clean = {k: v for k, v in os.environ.items() if k not in PROBE_UNSET}
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_given():
    from django.db import connection

    wanted = os.environ.get("DATABASE_URL", "sqlite")
    assert connection.vendor == ("postgresql" if wanted.startswith("postgres") else "sqlite")


@pytest.mark.django_db
def test_load_seed_fills_an_empty_database_once_and_never_overwrites_edits():
    from commitments.models import Commitment, SourceDocument

    call_command("load_seed", stdout=io.StringIO())
    assert SourceDocument.objects.count() == 5
    assert Commitment.history.count() == Commitment.objects.count()  # each has its first history entry
    Commitment.objects.filter(pk=1).update(title="Edited by an analyst")
    out = io.StringIO()
    call_command("load_seed", stdout=out)
    assert "not loaded again" in out.getvalue()
    assert Commitment.objects.get(pk=1).title == "Edited by an analyst"


def test_a_database_of_the_first_release_upgrades_with_migrate(tmp_path):
    """A deployment migrated to 0002_roles before django-axes existed upgrades cleanly, and
    its editors gain the unlock permission."""
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}"}

    def manage(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *arguments], env=env, capture_output=True, text=True, cwd=ROOT
        )

    first_release = manage("migrate", "commitments", "0002_roles", "--no-input")
    assert first_release.returncode == 0, first_release.stderr
    # As the first release left it: django-axes was not installed then, so none of its
    # migrations is applied (0002 must not depend on them, or such a database cannot migrate).
    assert "[X]" not in manage("showmigrations", "axes").stdout
    upgrade = manage("migrate", "--no-input")
    assert upgrade.returncode == 0, upgrade.stderr
    editor_can_unlock = manage(
        "shell", "-c",
        "from django.contrib.auth.models import Group;"
        "print(Group.objects.get(name='Editor').permissions.filter(codename='delete_accessattempt').exists())",
    )  # fmt: skip
    assert editor_can_unlock.stdout.strip().endswith("True"), editor_can_unlock.stderr


@pytest.mark.django_db
def test_on_sqlite_every_acknowledged_commit_is_flushed_to_disk():
    """synchronous=FULL: an admin save that answered "changed successfully" survives a power
    cut, not only a crash of the process (WAL's NORMAL would only promise the latter)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own setting (make test runs this on SQLite)")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
