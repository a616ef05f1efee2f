"""The search index's public flags (commitments/search/visibility.py): after any change,
whatever path made it, the next search shows exactly what the selectors call public; a
search with the flags current reads them and writes nothing; setting them costs the same
queries at any size of data. Runs on SQLite and PostgreSQL alike."""

import datetime

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from commitments import search, services
from commitments.models import Commitment, Quote, SearchEntry, SearchKind, StatusUpdate
from commitments.search import schema, visibility

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    RestatementFactory,
    SourceDocumentFactory,
    StatusUpdateFactory,
    commitment_with_basis,
    reviewer,
)

pytestmark = pytest.mark.django_db


def flagged(kind: str) -> set[int]:
    return set(SearchEntry.objects.filter(kind=kind, public=True).values_list("record_id", flat=True))


def assert_flags_follow_the_selectors() -> None:
    search.search("anything")  # the first search after a change sets the flags it may move
    for kind in SearchKind.values:
        assert flagged(kind) == set(visibility.public_records(kind).values_list("pk", flat=True)), kind


def writes(queries) -> list[str]:
    return [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]


def test_the_flags_follow_every_kind_of_public_change():
    published = commitment_with_basis(title="Alpha", quotes=2, updates=1)
    draft = CommitmentFactory(is_published=False, title="Draft")
    draft_link = CommitmentQuoteFactory(commitment=draft)
    assert_flags_follow_the_selectors()
    assert draft.pk not in flagged(SearchKind.COMMITMENT)
    assert draft_link.quote_id not in flagged(SearchKind.QUOTE)

    # Through the services: publishing, a restatement, a pending then an approved update
    # citing a quote no published commitment rests on.
    services.set_published(commitment=draft, published=True, actor=None)
    assert_flags_follow_the_selectors()
    assert {draft.pk, published.pk} <= flagged(SearchKind.COMMITMENT)
    assert draft_link.quote.source_id in flagged(SearchKind.DOCUMENT)
    RestatementFactory(commitment=published, quote=QuoteFactory(text="Said again."))
    evidence = QuoteFactory(text="The evidence.", source=SourceDocumentFactory(full_text="The evidence.\n\nMore."))
    pending = StatusUpdateFactory(commitment=published, evidence_quote=evidence, evidence_url="")
    assert_flags_follow_the_selectors()
    assert pending.pk not in flagged(SearchKind.UPDATE) and evidence.pk not in flagged(SearchKind.QUOTE)
    services.approve_status_update(update=pending, reviewer=reviewer())
    assert_flags_follow_the_selectors()
    assert pending.pk in flagged(SearchKind.UPDATE) and evidence.pk in flagged(SearchKind.QUOTE)
    assert evidence.source_id in flagged(SearchKind.DOCUMENT)

    # Another language's twin of a quote a published commitment rests on.
    twin = QuoteFactory(text="Déployer des troupes.", language="fr", translation_of=draft_link.quote)
    assert_flags_follow_the_selectors()
    assert twin.pk in flagged(SearchKind.QUOTE)

    # Bulk and raw SQL, as no Python signal would see them.
    Commitment.objects.filter(pk=draft.pk).update(is_published=False)
    assert_flags_follow_the_selectors()
    assert draft.pk not in flagged(SearchKind.COMMITMENT) and twin.pk not in flagged(SearchKind.QUOTE)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE commitments_commitment SET is_published = %s WHERE id = %s", [True, draft.pk])
    assert_flags_follow_the_selectors()
    assert draft.pk in flagged(SearchKind.COMMITMENT)
    StatusUpdate.objects.filter(pk=pending.pk).delete()
    assert_flags_follow_the_selectors()
    assert evidence.pk not in flagged(SearchKind.QUOTE)


def test_a_search_with_current_flags_reads_them_and_writes_nothing():
    commitment_with_basis(title="Peacekeeping pledge")
    search.search("peacekeeping")
    with CaptureQueriesContext(connection) as queries:
        results = search.search("peacekeeping")
        hits = search.hits(results, SearchKind.COMMITMENT, offset=0, limit=5)
    assert hits and writes(queries.captured_queries) == []
    assert not any("EXISTS" in query["sql"].upper() for query in queries.captured_queries)


def test_a_change_that_cannot_move_a_flag_sets_none():
    commitment_with_basis(title="Peacekeeping pledge")
    draft = CommitmentFactory(is_published=False, title="Draft peacekeeping")
    search.search("peacekeeping")
    draft.title = "Draft peacekeeping, reworded"
    draft.save()
    with CaptureQueriesContext(connection) as queries:
        search.search("peacekeeping")
    assert [sql for sql in writes(queries.captured_queries) if "searchentry" in sql] == []


def test_an_edited_record_keeps_its_flag_and_its_new_words_are_found():
    commitment = commitment_with_basis(title="Peacekeeping pledge")
    quote = commitment.quotes.first()
    search.search("peacekeeping")
    # A raw rewrite of the text: the trigger rewrites the index row in place, flag kept.
    Quote.objects.filter(pk=quote.pk).update(text="Canada will send zorbling engineers.")
    assert SearchEntry.objects.get(kind=SearchKind.QUOTE, record_id=quote.pk).public
    results = search.search("zorbling")
    assert [hit.record_id for hit in search.hits(results, SearchKind.QUOTE, offset=0, limit=5)] == [quote.pk]
    assert search.search("zorblimg").suggestions == ["zorbling"]


def test_reindexing_after_a_migration_sets_the_flags_again():
    commitment = commitment_with_basis(title="Peacekeeping pledge")
    search.search("peacekeeping")
    schema.create_triggers(connection)  # what every migrate ends with: every row indexed afresh
    assert not SearchEntry.objects.filter(public=True).exists()
    results = search.search("peacekeeping")
    assert commitment.pk in {hit.record_id for hit in search.hits(results, SearchKind.COMMITMENT, offset=0, limit=5)}


def test_setting_the_flags_costs_the_same_queries_at_any_size():
    def queries_to_set_the_flags() -> int:
        with CaptureQueriesContext(connection) as queries:
            visibility.set_flags()
        return len(queries.captured_queries)

    visibility.set_flags()  # their version's row made
    commitment_with_basis(title="Pledge 0")
    few = queries_to_set_the_flags()
    for index in range(1, 8):
        commitment_with_basis(title=f"Pledge {index}", made_on=datetime.date(2016, 1, 1 + index))
    assert queries_to_set_the_flags() == few
    assert len(flagged(SearchKind.COMMITMENT)) == 8


OTHER = "search_other_connection"
# A second connection to the test database (declared before the test databases are set up).
connections.settings.setdefault(OTHER, {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}})


@pytest.mark.django_db(transaction=True, databases=["default", OTHER])
def test_while_another_search_sets_the_flags_a_search_checks_each_match_without_waiting():
    commitment = commitment_with_basis(title="Peacekeeping pledge")
    draft = CommitmentFactory(is_published=False, title="Draft peacekeeping pledge")
    other = connections[OTHER]
    try:
        with transaction.atomic(using=OTHER):
            # The other connection holds what setting the flags takes: SQLite's write lock (by
            # writing a table the search does not read), or PostgreSQL's advisory lock.
            with other.cursor() as cursor:
                if other.vendor == "postgresql":
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [visibility._ADVISORY_LOCK])
                else:
                    cursor.execute("UPDATE django_session SET expire_date = expire_date")
            with CaptureQueriesContext(connection) as queries:
                results = search.search("peacekeeping")
                found = {hit.record_id for hit in search.hits(results, SearchKind.COMMITMENT, offset=0, limit=9)}
            assert found == {commitment.pk}  # the draft never
            assert not [sql for sql in writes(queries.captured_queries) if "searchentry" in sql]
    finally:
        other.close()
    assert draft.pk not in flagged(SearchKind.COMMITMENT)
    assert_flags_follow_the_selectors()  # once the other is done, the next search sets them
