"""Each rule is checked twice: as a form error a person sees, and as a database refusal."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commitments.models import Commitment, Quote, Status, StatusUpdate

from .factories import CommitmentFactory, QuoteFactory, SourceDocumentFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


def refused_by_database(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_a_quote_not_in_its_document_is_refused_with_the_closest_passage():
    document = SourceDocumentFactory(full_text="Canada will deploy up to 600 troops in support of peace operations.")
    quote = Quote(source=document, text="Canada will deploy up to 500 troops")
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    message = error.value.message_dict["text"][0]
    assert "does not occur word for word" in message
    assert "Canada will deploy up to <mark>6</mark>00 troops" in message


def test_a_quote_differing_only_in_white_space_is_accepted():
    document = SourceDocumentFactory(full_text="Canada will deploy\nup to  600 troops.")
    Quote(source=document, text="deploy up to 600 troops").full_clean()


def test_a_cited_document_cannot_be_deleted():
    from django.db.models import ProtectedError

    quote = QuoteFactory()
    with pytest.raises(ProtectedError):
        quote.source.delete()


def test_unknown_theme_is_refused_by_form_and_database():
    commitment = CommitmentFactory.build(theme="astrology")
    with pytest.raises(ValidationError):
        commitment.full_clean()
    assert refused_by_database(lambda: CommitmentFactory(theme="astrology"))


def test_target_without_unit_is_refused_by_form_and_database():
    with pytest.raises(ValidationError) as error:
        CommitmentFactory.build(target_value=600, target_unit="").full_clean()
    assert "target_unit" in error.value.message_dict
    assert refused_by_database(lambda: CommitmentFactory(target_value=600, target_unit=""))


def test_negative_target_is_refused_by_form_and_database():
    with pytest.raises(ValidationError):
        CommitmentFactory.build(target_value=-1, target_unit="troops").full_clean()
    assert refused_by_database(lambda: CommitmentFactory(target_value=-1, target_unit="troops"))


def test_period_that_ends_before_it_starts_is_refused():
    start, end = datetime.date(2012, 1, 1), datetime.date(2002, 1, 1)
    with pytest.raises(ValidationError):
        CommitmentFactory.build(period_start=start, deadline=end).full_clean()
    assert refused_by_database(lambda: CommitmentFactory(period_start=start, deadline=end))


def test_assessed_status_without_evidence_is_refused_by_form_and_database():
    commitment = CommitmentFactory()
    update = StatusUpdate(commitment=commitment, status=Status.ACHIEVED, as_of=datetime.date(2018, 1, 1), rationale="x")
    with pytest.raises(ValidationError) as error:
        update.full_clean()
    assert "evidence_url" in error.value.message_dict
    # Saved straight to the table: StatusUpdateFactory goes through the service, whose
    # full_clean would refuse these rows before the database's constraints see them.
    assert refused_by_database(
        lambda: StatusUpdateFactory.build(commitment=commitment, evidence_url="", evidence_quote=None).save()
    )
    assert refused_by_database(lambda: StatusUpdateFactory.build(commitment=commitment, rationale="").save())


def test_not_yet_assessed_needs_no_evidence():
    commitment = CommitmentFactory()
    StatusUpdate(commitment=commitment, status=Status.NOT_ASSESSED, as_of=datetime.date(2018, 1, 1)).full_clean()


def test_negative_progress_is_refused_by_form_and_database():
    commitment = CommitmentFactory(target_value=600, target_unit="troops")
    with pytest.raises(ValidationError):
        StatusUpdateFactory.build(commitment=commitment, progress_value=-5).full_clean()
    # Saved straight to the table, past the service, for the database's constraint (as above).
    assert refused_by_database(lambda: StatusUpdateFactory.build(commitment=commitment, progress_value=-5).save())


def test_str_does_not_query(django_assert_num_queries):
    update = StatusUpdateFactory()
    quote = QuoteFactory()
    with django_assert_num_queries(0):
        str(update), str(quote), str(update.commitment), str(quote.source)


def test_progress_percent_is_capped_and_rounded():
    commitment = Commitment(target_value=600, target_unit="troops", current_progress=250)
    assert commitment.progress_percent == 42
    commitment.current_progress = 900
    assert commitment.progress_percent == 100
    commitment.current_progress = None
    assert commitment.progress_percent is None
