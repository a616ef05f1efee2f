"""A repeat download is answered from the shared cache, and any public write reaches the next one.

These tests commit their data (transaction=True): inside the other tests' transactions the
exports are never kept, since what they read may yet be rolled back."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from commitments import services
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
    """A download answered from the cache says its length; one being written cannot."""
    return response.has_header("Content-Length")


def test_a_repeat_download_is_answered_from_memory(client, published, django_assert_num_queries):
    first = client.get(EXPORT)
    assert not from_memory(first)
    body = text_of(first)
    with django_assert_num_queries(1):  # the public data's version, and nothing else
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
    settings.CACHE_MAX_ITEM_BYTES = 100
    text_of(client.get(EXPORT))
    assert not from_memory(client.get(EXPORT))


def test_every_export_is_kept(client, published, django_assert_num_queries):
    for name in ("commitment-export", "update-export", "quote-export"):
        url = reverse(f"commitments:{name}")
        body = text_of(client.get(url))
        with django_assert_num_queries(1):
            assert text_of(client.get(url)) == body
