"""The search index's public flags (commitments/search/visibility.py): after any change,
whatever path made it, the next search shows exactly what the selectors call public; a
search with the flags current reads them and writes nothing; setting them costs the same
queries at any size of data. Runs on SQLite and PostgreSQL alike."""

import datetime
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from commitments import search, services
from commitments.models import (
    Commitment,
    CommitmentQuote,
    Quote,
    Restatement,
    SearchChange,
    SearchEntry,
    SearchKind,
    SourceDocument,
    StatusUpdate,
)
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
ROOT = Path(__file__).resolve().parents[1]


def flagged(kind: str) -> set[int]:
    return set(SearchEntry.objects.filter(kind=kind, public=True).values_list("record_id", flat=True))


def assert_flags_follow_the_selectors() -> None:
    search.search("anything")  # the first search after a change sets the flags it may move
    for kind in SearchKind.values:
        assert flagged(kind) == set(visibility.public_records(kind).values_list("pk", flat=True)), kind


def found_commitments(text: str) -> set[int]:
    results = search.search(text)
    return {hit.record_id for hit in search.hits(results, SearchKind.COMMITMENT, offset=0, limit=50)}


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
    # No match is checked against the tables that make records public.
    assert not any("commitments_commitmentquote" in query["sql"] for query in queries.captured_queries)


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


def test_during_a_migration_or_after_a_failed_one_each_match_is_checked():
    # The triggers are dropped while a migration runs: a change then is noted by nobody.
    commitment = commitment_with_basis(title="Zorbling pledge")
    assert found_commitments("zorbling") == {commitment.pk}
    schema.before_migrate()
    Commitment.objects.filter(pk=commitment.pk).update(is_published=False)  # withdrawn meanwhile
    assert found_commitments("zorbling") == set()
    Commitment.objects.filter(pk=commitment.pk).update(is_published=True)
    schema.after_migrate()  # the triggers made again, every flag set
    assert found_commitments("zorbling") == {commitment.pk}
    assert not SearchChange.objects.exists()


def test_setting_the_flags_in_an_outer_transaction_leaves_its_lock_timeout_as_it_was():
    # A test's transaction, or a request's: DDL after the search (a migration's) must wait
    # as long as it did before, not fail after 200 ms when autovacuum holds a table.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's lock_timeout (SQLite's waiting is tested below)")
    commitment_with_basis(title="Peacekeeping pledge")

    def lock_timeout() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            return cursor.fetchone()[0]

    before = lock_timeout()
    assert SearchChange.objects.exists() and connection.in_atomic_block
    assert found_commitments("peacekeeping")  # the flags set, in the test's transaction
    assert not SearchChange.objects.exists()
    assert lock_timeout() == before


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


@pytest.mark.django_db(transaction=True, databases=["default", OTHER])
def test_migrate_ends_well_while_a_search_sets_the_flags():
    # What `manage.py migrate` runs last, while a search holds the flags' lock: the flags
    # are left to the next search, and no error.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's advisory lock; SQLite's in-memory test database locks the migration's DDL too")
    commitment = commitment_with_basis(title="Zorbling pledge")
    other = connections[OTHER]
    try:
        with transaction.atomic(using=OTHER):
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [visibility._ADVISORY_LOCK])
            schema.after_migrate()
    finally:
        other.close()
    assert SearchChange.objects.filter(kind=SearchChange.EVERYTHING).exists()
    assert found_commitments("zorbling") == {commitment.pk}


@pytest.mark.parametrize("seed", range(4))
def test_after_any_sequence_of_writes_the_flags_follow_the_selectors(seed):
    # Random writes through the paths no service guards (bulk updates, links moved, created
    # and deleted, twins and documents changed, cascading deletes), checked now and then.
    rnd = random.Random(seed)
    documents = [SourceDocumentFactory() for _ in range(3)]
    quotes = [QuoteFactory(source=rnd.choice(documents)) for _ in range(8)]
    commitments = [commitment_with_basis(quotes=1, updates=1) for _ in range(2)]
    commitments += [CommitmentFactory(is_published=False) for _ in range(2)]
    for commitment in commitments:
        CommitmentQuoteFactory(commitment=commitment, quote=rnd.choice(quotes))
    assert_flags_follow_the_selectors()

    def any_of(model) -> int | None:
        ids = list(model.objects.values_list("pk", flat=True))
        return rnd.choice(ids) if ids else None

    writes = [
        lambda: Commitment.objects.filter(pk=any_of(Commitment)).update(is_published=rnd.random() < 0.5),
        lambda: CommitmentQuote.objects.create(
            commitment_id=any_of(Commitment), quote_id=any_of(Quote), role="reaffirmed"
        ),
        lambda: CommitmentQuote.objects.filter(pk=any_of(CommitmentQuote)).update(quote_id=any_of(Quote)),
        lambda: CommitmentQuote.objects.filter(pk=any_of(CommitmentQuote)).delete(),
        lambda: Quote.objects.filter(pk=any_of(Quote)).update(translation_of_id=rnd.choice([any_of(Quote), None])),
        lambda: Quote.objects.filter(pk=any_of(Quote)).update(source_id=any_of(SourceDocument)),
        lambda: Restatement.objects.create(
            commitment_id=any_of(Commitment), quote_id=any_of(Quote), stated_on=datetime.date(2017, 1, 1)
        ),
        lambda: Restatement.objects.filter(pk=any_of(Restatement)).update(commitment_id=any_of(Commitment)),
        lambda: StatusUpdate.objects.filter(pk=any_of(StatusUpdate)).update(
            evidence_quote_id=rnd.choice([any_of(Quote), None])
        ),
        lambda: Commitment.objects.filter(pk=any_of(Commitment)).delete(),
    ]
    for _step in range(50):
        try:
            with transaction.atomic():
                rnd.choice(writes)()
        except IntegrityError:  # a link or restatement that already exists
            pass
        if rnd.random() < 0.4:
            assert_flags_follow_the_selectors()
    assert_flags_follow_the_selectors()


def test_on_a_sqlite_file_a_search_does_not_wait_for_a_writer(tmp_path):
    # The real thing: a WAL database file, a writer holding its lock in another process,
    # and a search that finds flags to set. It checks each match at once instead of waiting
    # for the lock (20 seconds at most), and the notes stay for the next search.
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's file lock (PostgreSQL's advisory lock is tested above)")
    database = tmp_path / "tracker.sqlite3"
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{database}"}

    def manage(*arguments: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *arguments], env=env, capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    manage("migrate", "--no-input", "-v0")
    manage("load_seed")
    search_now = (
        "import time; from commitments import search; from commitments.models import SearchChange;"
        "started = time.monotonic(); total = search.search('troops').total;"
        "print(round(time.monotonic() - started, 1), total, SearchChange.objects.count())"
    )
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "UPDATE commitments_commitment SET title = title || '.' WHERE id = (SELECT MIN(id) FROM commitments_commitment)"
    )
    writer.execute("COMMIT")  # a change noted nowhere yet: the seed's notes still wait
    try:
        writer.execute("BEGIN IMMEDIATE")  # another worker's save, under way
        seconds, total, notes = manage("shell", "--no-imports", "-c", search_now).split()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert float(seconds) < 5 and int(total) > 0 and int(notes) > 0
    seconds, total_after, notes = manage("shell", "--no-imports", "-c", search_now).split()
    assert total_after == total and notes == "0"
