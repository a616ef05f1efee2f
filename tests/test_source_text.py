"""Each commitment's documents and criteria as the export writes them, kept by the database
(models.sourcetext): after every kind of write, by every path, they are what the links,
quotes, documents and criteria say, in the page's order."""

import datetime
import io
import json
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from commitments.management import datacheck
from commitments.models import (
    Commitment,
    CommitmentQuote,
    CommitmentSourceText,
    Quote,
    SourceDocument,
    SuccessCriterion,
    sourcetext,
)

from .factories import CommitmentFactory, CommitmentQuoteFactory, QuoteFactory, SourceDocumentFactory


def written(commitment: Commitment) -> tuple[str, str, str]:
    row = CommitmentSourceText.objects.filter(commitment=commitment).first()
    return (row.document_titles, row.document_symbols, row.criteria) if row else ("", "", "")


def assert_in_step() -> None:
    """What `manage.py check_data` checks: the kept text is what the model instances give
    (selectors.documents_of, `criteria.all()`), which the export used to read."""
    assert datacheck.source_text_problems() == []


@pytest.fixture
def linked(db):
    """Two commitments sharing a document, each also on documents of other dates (one
    undated), linked out of date order, with criteria out of position order."""
    shared = SourceDocumentFactory(title="Shared statement", symbol="A/60/PV.1", issued_on=datetime.date(2005, 9, 16))
    later = SourceDocumentFactory(title="Later report", symbol="", issued_on=datetime.date(2016, 9, 6))
    undated = SourceDocumentFactory(title="Undated note", symbol="S/NOTE", issued_on=None)
    first, second = CommitmentFactory(slug="first", criteria=None), CommitmentFactory(slug="second", criteria=None)
    for commitment, documents in ((first, (undated, later, shared)), (second, (later, shared))):
        for document in documents:
            CommitmentQuoteFactory(commitment=commitment, quote=QuoteFactory(source=document), role="reaffirmed")
    for position, text in ((2, "Second criterion"), (1, "First criterion")):
        SuccessCriterion.objects.create(commitment=first, position=position, text=text)
    return first, second, shared, later, undated


@pytest.mark.django_db
def test_links_and_criteria_are_written_in_the_pages_order(linked):
    first, second, *_ = linked
    assert written(first) == (
        "Shared statement; Later report; Undated note",
        "A/60/PV.1; S/NOTE",
        "First criterion | Second criterion",
    )
    assert written(second) == ("Shared statement; Later report", "A/60/PV.1", "")
    assert written(CommitmentFactory(criteria=None)) == ("", "", "")
    assert_in_step()


@pytest.mark.django_db
def test_every_kind_of_write_keeps_them_in_step(linked):
    first, second, shared, later, undated = linked
    # A document renamed, re-dated (it moves) and given a symbol, through the ORM.
    later.title, later.issued_on, later.symbol = "Earlier report", datetime.date(1999, 1, 1), "A/54/1"
    later.save()
    assert written(second)[0] == "Earlier report; Shared statement"
    assert_in_step()
    # Bulk updates and raw SQL, which no Python signal sees.
    SourceDocument.objects.filter(pk=shared.pk).update(title="Shared statement, revised")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE commitments_sourcedocument SET title = %s WHERE id = %s", ["Undated memo", undated.pk])
    assert written(first)[0] == "Earlier report; Shared statement, revised; Undated memo"
    assert_in_step()
    # A quote moved to another document; a link moved to another quote; a link deleted.
    Quote.objects.filter(source=undated).update(source=shared)
    assert_in_step()
    link = CommitmentQuote.objects.filter(commitment=second).first()
    CommitmentQuote.objects.filter(pk=link.pk).update(quote=QuoteFactory(source=undated))
    assert_in_step()
    CommitmentQuote.objects.filter(commitment=first, quote__source=shared).delete()
    assert_in_step()
    # Criteria edited, reordered, moved and deleted.
    criterion = first.criteria.get(position=1)
    criterion.text, criterion.position = "First criterion, reworded", 3
    criterion.save()
    assert written(first)[2] == "Second criterion | First criterion, reworded"
    SuccessCriterion.objects.filter(pk=criterion.pk).update(commitment=second)
    assert_in_step()
    SuccessCriterion.objects.filter(commitment=first).delete()
    assert_in_step()
    # A document's links, quotes and then the document deleted (its quotes protect it).
    CommitmentQuote.objects.filter(quote__source=undated).delete()
    Quote.objects.filter(source=undated).delete()
    undated.delete()
    assert_in_step()


@pytest.mark.django_db(transaction=True)
def test_a_deleted_commitment_takes_its_row_with_it_and_the_deletion_commits(linked):
    first, *_ = linked
    with transaction.atomic():
        CommitmentQuote.objects.filter(commitment=first).delete()
        first.criteria.all().delete()
        Commitment.objects.filter(pk=first.pk).delete()
    assert not CommitmentSourceText.objects.filter(commitment_id=first.pk).exists()
    assert_in_step()


@pytest.mark.django_db
def test_every_row_is_written_again_after_a_migrate(linked):
    first, *_ = linked
    CommitmentSourceText.objects.filter(commitment=first).update(document_titles="stale")
    assert [finding.subject for finding in datacheck.source_text_problems()] == [first.slug]  # check_data sees it
    sourcetext.create_triggers()  # what every migrate ends with
    assert_in_step()


@pytest.mark.django_db
def test_the_shipped_data_set_is_in_step_once_loaded(db):
    call_command("load_seed", stdout=open("/dev/null", "w"))
    assert CommitmentSourceText.objects.count() == Commitment.objects.count() == 22
    assert_in_step()


@pytest.mark.django_db
def test_a_fixture_may_load_links_and_criteria_before_their_commitment(linked, tmp_path):
    fixture = tmp_path / "reordered.json"
    with fixture.open("w") as out:
        call_command("dumpdata", "commitments.sourcedocument", "commitments.quote", stdout=out)
    records = json.loads(fixture.read_text())
    links_first = json.loads(_dumped("commitments.commitmentquote", "commitments.successcriterion"))
    records = links_first + records + json.loads(_dumped("commitments.commitment"))
    fixture.write_text(json.dumps(records))
    CommitmentQuote.objects.all().delete()
    SuccessCriterion.objects.all().delete()
    Commitment.objects.all().delete()
    Quote.objects.all().delete()
    SourceDocument.objects.all().delete()
    call_command("loaddata", str(fixture), verbosity=0)
    assert Commitment.objects.count() == 2 and CommitmentSourceText.objects.count() == 2
    assert_in_step()


def _dumped(*models: str) -> str:
    out = io.StringIO()
    call_command("dumpdata", *models, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_on_postgresql_leave_no_stale_text():
    """A document renamed while, in another transaction, a criterion is added to a draft
    resting on it: the later writer waits for the earlier to commit, then reads its change."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite lets one writer at a time (make test runs this on PostgreSQL)")
    document = SourceDocumentFactory(title="Letter dated 26 July 2002")
    draft = CommitmentFactory(is_published=False, criteria=None)
    CommitmentQuoteFactory(commitment=draft, quote=QuoteFactory(source=document))
    renamed = threading.Event()

    def rename():
        with transaction.atomic():
            SourceDocument.objects.filter(pk=document.pk).update(title="Letter of 26 July 2002 (A/57/303)")
            renamed.set()
            time.sleep(1)  # the other transaction writes meanwhile
        connections.close_all()

    def add_criterion():
        renamed.wait(10)
        with transaction.atomic():
            SuccessCriterion.objects.create(commitment=draft, position=1, text="Report presented")
        connections.close_all()

    threads = [threading.Thread(target=rename), threading.Thread(target=add_criterion)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert written(draft) == ("Letter of 26 July 2002 (A/57/303)", "", "Report presented")
    assert_in_step()
