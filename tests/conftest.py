"""Fixtures the tests share. Plain functions live in helpers.py, rows are built in factories.py."""

import os
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation

from commitments.services.roles import ANALYST, sync_roles

from .factories import member_of
from .helpers import IN_CI, chromium_path, load_seed


@pytest.fixture(scope="session", autouse=True)
def _french_catalogue():
    """Compile the French catalogue if it is missing or older than its .po (make test does it
    too), so that running pytest directly shows French pages in French."""
    po = Path(django_settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        call_command("compilemessages", locale=["fr"], ignore_patterns=[".venv"], verbosity=0)


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A French request leaves French active in this thread (the test client runs here), which
    would turn the next test's reverse() into /fr/ addresses: each test starts in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    # Data releases are written through the default storage: never into the checkout.
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production's PBKDF2 costs ~0.4 s per sign-in by design; tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seed(db):
    """The real data set shipped in fixtures/."""
    load_seed()


@pytest.fixture
def live_seed(transactional_db, live_server):
    """The real data set behind a live server, for the browser."""
    # Transactional tests empty every table between tests, the migration's groups too.
    sync_roles(apps)
    load_seed()
    return live_server


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if IN_CI:
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package.")
        pytest.skip("chromium is not installed (apt-get install chromium) — browser tests skipped")
    # Imported only when a browser test runs: the other runs never load Playwright.
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls
    # are still synchronous, so Django's async guard does not apply.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def analyst_client(client):
    """The test client signed in as a member of the analysts' group."""
    client.force_login(member_of(ANALYST, "ana"))
    return client
