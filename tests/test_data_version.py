"""The public data's version moves with every change a reader could see, whatever path made
it, and only then: a draft's edits, a pending or returned update, a sign-in leave it (and so
every kept page and download) as they were.

The triggers run inside the test's transaction, so the counter is read with the ORM here;
tests/test_export_cache.py and tests/test_http_caching.py see it move through the pages."""

import datetime

import pytest
from django.apps import apps
from django.db import connection

from commitments import services
from commitments.models import (
    Commitment,
    PublicDataVersion,
    SourceDocument,
    Status,
    StatusUpdate,
    SuccessCriterion,
    triggers,
)

from .factories import CommitmentFactory, CommitmentQuoteFactory, StatusUpdateFactory, commitment_with_basis, reviewer

pytestmark = pytest.mark.django_db


def counter() -> int:
    return PublicDataVersion.objects.get(pk=1).counter


@pytest.fixture
def published():
    return commitment_with_basis(title="Published")


@pytest.fixture
def draft():
    draft = CommitmentFactory(title="A draft", is_published=False)
    CommitmentQuoteFactory(commitment=draft, role="made")
    return draft


def test_every_table_of_the_app_is_public_or_said_not_to_be():
    tables = {model._meta.db_table for model in apps.get_app_config("commitments").get_models()}
    unclassified = tables - set(triggers.PUBLIC_TABLES) - triggers.NOT_PUBLIC
    assert not unclassified, (
        f"add these to PUBLIC_TABLES or NOT_PUBLIC in commitments/models/triggers.py: {sorted(unclassified)}"
    )


def _service_save(commitment, draft):
    commitment.title = "Renamed by an analyst"
    services.save_commitment(commitment=commitment, expected_version=commitment.version)


def _unpublish(commitment, draft):
    services.set_published(commitment=commitment, published=False, actor=None)


def _publish_the_draft(commitment, draft):
    services.set_published(commitment=draft, published=True, actor=None)


def _bulk_update(commitment, draft):
    Commitment.objects.filter(pk=commitment.pk).update(title="Renamed in bulk")


def _raw_sql(commitment, draft):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Commitment._meta.db_table} SET summary = 'In SQL' WHERE id = %s", [commitment.pk])


def _approve_an_update(commitment, draft):
    update = StatusUpdateFactory(commitment=commitment, status=Status.IN_PROGRESS, as_of=datetime.date(2020, 1, 1))
    services.approve_status_update(update=update, reviewer=reviewer())


def _criterion_deleted(commitment, draft):
    SuccessCriterion.objects.create(commitment=commitment, position=9, text="Troops deployed")
    before = counter()
    SuccessCriterion.objects.filter(commitment=commitment).delete()
    assert counter() > before


def _document_renamed(commitment, draft):
    SourceDocument.objects.update(title="Renamed document")


def _delete(commitment, draft):
    StatusUpdate.objects.filter(commitment=commitment).delete()


PUBLIC_CHANGES = {
    "saved through the service": _service_save,
    "unpublished": _unpublish,
    "a draft published": _publish_the_draft,
    "a bulk update": _bulk_update,
    "raw SQL": _raw_sql,
    "an update approved": _approve_an_update,
    "a criterion added and deleted": _criterion_deleted,
    "a document renamed": _document_renamed,
    "updates deleted": _delete,
}


@pytest.mark.parametrize("change", PUBLIC_CHANGES)
def test_a_public_change_moves_the_version(published, draft, change):
    before = counter()
    PUBLIC_CHANGES[change](published, draft)
    assert counter() > before


def _draft_saved(commitment, draft):
    draft.title = "Still a draft"
    services.save_commitment(commitment=draft, expected_version=draft.version)


def _draft_criterion(commitment, draft):
    SuccessCriterion.objects.create(commitment=draft, position=1, text="Something measurable")
    SuccessCriterion.objects.filter(commitment=draft).update(text="Something else")


def _draft_in_raw_sql(commitment, draft):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Commitment._meta.db_table} SET summary = 'In SQL' WHERE id = %s", [draft.pk])


def _pending_update(commitment, draft):
    update = StatusUpdateFactory(commitment=commitment, status=Status.IN_PROGRESS, as_of=datetime.date(2020, 1, 1))
    services.return_status_update(update=update, reviewer=reviewer(), note="Cite the record.")


UNSEEN_CHANGES = {
    "a draft saved": _draft_saved,
    "a draft's criterion": _draft_criterion,
    "a draft changed in raw SQL": _draft_in_raw_sql,
    "an update recorded, then returned": _pending_update,
}


@pytest.mark.parametrize("change", UNSEEN_CHANGES)
def test_a_change_no_reader_sees_leaves_the_version(published, draft, change):
    before = counter()
    UNSEEN_CHANGES[change](published, draft)
    assert counter() == before


def test_signing_in_and_failing_to_leaves_the_version(published, client):
    editor = reviewer()
    editor.set_password("a long pass phrase")
    editor.save()
    before = counter()
    client.post("/admin/login/", {"username": "reviewing-editor", "password": "wrong one"})
    client.post("/admin/login/", {"username": "reviewing-editor", "password": "a long pass phrase"})
    assert client.get("/admin/").status_code == 200  # signed in: a session, a last_login
    assert counter() == before
