"""Fixtures the tests share. Plain functions live in helpers.py, rows are built in factories.py."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation

from commitments.models import ReviewState, Status, StatusUpdate
from commitments.services.roles import ANALYST, sync_roles

from .factories import CommitmentFactory, CommitmentQuoteFactory, QuoteFactory, member_of
from .helpers import HOSTILE, IN_CI, chromium_path, load_seed


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
    # Tests render templates without running collectstatic first, and WhiteNoise serves the
    # static files from the apps' folders (a page's /favicon.ico redirects to one).
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
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


@pytest.fixture
def hostile_updates(db):
    """An approved status update per HOSTILE text, in every text field and every status,
    with and without a progress reading, evidence and microseconds."""
    quote = QuoteFactory()
    for index, text in enumerate(HOSTILE):
        commitment = CommitmentFactory(title=text, target_value=600, target_unit=text if index % 2 else "troops")
        CommitmentQuoteFactory(commitment=commitment, quote=quote if index else QuoteFactory())
        StatusUpdate.objects.create(
            commitment=commitment,
            status=list(Status)[index % len(Status)],
            as_of=datetime.date(2018, 1, 1 + index),
            as_of_precision="month" if index % 3 else "day",
            progress_value=[None, Decimal("12.00"), Decimal("12.50"), Decimal("0.05")][index % 4],
            rationale=text,
            evidence_url="https://example.org/a,b" if index % 2 else "",
            evidence_quote=quote if not index % 2 else None,
            recorded_at=datetime.datetime(2026, 1, 2, 3, 4, 5, 6789 * (index % 2), tzinfo=datetime.UTC),
            review_state=ReviewState.APPROVED,
        )
