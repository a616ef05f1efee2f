"""generate_bench_data: a synthetic data set that keeps the real data's invariants."""

import io

import pytest
from django.core.management import CommandError, call_command

from commitments import services
from commitments.management import synthetic
from commitments.models import Commitment, CommitmentQuote, Quote, QuoteRole, SourceDocument, StatusUpdate
from commitments.models.textmatch import find_passage

from .factories import SourceDocumentFactory

pytestmark = pytest.mark.django_db

DERIVED = ("current_status", "current_progress", "status_as_of", "status_as_of_precision")


@pytest.fixture
def bench_data():
    call_command(
        "generate_bench_data", commitments=20, updates_per=4, quotes_per=3, long_history=12, stdout=io.StringIO()
    )


def test_it_writes_the_counts_asked_for(bench_data):
    assert Commitment.objects.count() == 20
    assert Quote.objects.count() == CommitmentQuote.objects.count() == 60
    assert StatusUpdate.objects.count() == 12 + 19 * 4
    assert Commitment.objects.filter(status_updates__isnull=True).count() == 0
    assert Commitment.objects.published().count() == 19  # one draft in twenty


def test_every_slug_says_it_is_synthetic(bench_data):
    for model in (SourceDocument, Commitment):
        assert not model.objects.exclude(slug__startswith=synthetic.SLUG_PREFIX).exists()
    assert set(SourceDocument.objects.values_list("notes", flat=True)) == {synthetic.SYNTHETIC_NOTE}


def test_every_quote_occurs_verbatim_in_its_document(bench_data):
    quotes = Quote.objects.select_related("source")
    assert [q.pk for q in quotes if find_passage(q.source.full_text, q.text) is None] == []


def test_every_record_passes_its_own_validation(bench_data):
    for model in (SourceDocument, Quote, Commitment, CommitmentQuote, StatusUpdate):
        for obj in model.objects.all():
            obj.full_clean()


def test_every_commitment_is_made_by_a_quote(bench_data):
    assert not Commitment.objects.exclude(quote_links__role=QuoteRole.MADE).exists()


def test_current_status_is_what_the_history_gives(bench_data):
    generated = {c.pk: tuple(getattr(c, f) for f in DERIVED) for c in Commitment.objects.all()}
    for commitment in Commitment.objects.all():
        services.refresh_current_status(commitment)
    derived = {c.pk: tuple(getattr(c, f) for f in DERIVED) for c in Commitment.objects.all()}
    assert generated == derived
    assert len({status for status, *_ in derived.values()}) > 2
    assert any(progress is not None for _, progress, *_ in derived.values())


def test_history_keeps_a_first_entry_for_each_record(bench_data):
    assert Commitment.history.count() == 20
    assert SourceDocument.history.count() == SourceDocument.objects.count()


def test_it_refuses_a_database_that_holds_data(db):
    SourceDocumentFactory()
    with pytest.raises(CommandError, match="empty database"):
        call_command("generate_bench_data", commitments=2)
    assert not Commitment.objects.exists()


def test_the_source_sort_key_is_what_the_service_computes(bench_data):
    generated = dict(Commitment.objects.values_list("pk", "primary_source_title"))
    services.refresh_primary_source(Commitment.objects.all())
    assert dict(Commitment.objects.values_list("pk", "primary_source_title")) == generated
    assert None not in generated.values()
