import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commitments import services
from commitments.models import Commitment, Status

from .factories import CommitmentFactory, CommitmentQuoteFactory, QuoteFactory, record_approved

pytestmark = pytest.mark.django_db


def record(commitment, **fields):
    defaults = dict(
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 3, 19),
        rationale="Announced a deployment.",
        evidence_url="https://example.org/news",
    )
    return record_approved(commitment=commitment, **{**defaults, **fields})


def test_recording_an_update_refreshes_the_current_status_and_progress():
    commitment = CommitmentFactory(target_value=600, target_unit="troops")
    record(commitment, progress_value=250, progress_stage="deployed")
    commitment.refresh_from_db()
    assert (commitment.current_status, commitment.current_progress) == (Status.IN_PROGRESS, 250)
    assert commitment.status_as_of == datetime.date(2018, 3, 19)


def test_an_older_assessment_recorded_later_does_not_replace_the_newer_one():
    commitment = CommitmentFactory()
    record(commitment, status=Status.ACHIEVED, as_of=datetime.date(2020, 1, 1))
    record(commitment, status=Status.NOT_STARTED, as_of=datetime.date(2017, 1, 1))
    commitment.refresh_from_db()
    assert commitment.current_status == Status.ACHIEVED


def test_a_status_only_update_keeps_the_last_progress_reading():
    commitment = CommitmentFactory(target_value=600, target_unit="troops")
    record(commitment, progress_value=250, progress_stage="deployed", as_of=datetime.date(2018, 3, 19))
    record(
        commitment,
        status=Status.STALLED,
        as_of=datetime.date(2019, 8, 1),
        reason_code="blocked_by_others",
        reason_text="The council did not act.",
    )
    commitment.refresh_from_db()
    assert (commitment.current_status, commitment.current_progress) == (Status.STALLED, 250)


def test_a_refused_update_leaves_nothing_behind():
    commitment = CommitmentFactory()
    with pytest.raises(ValidationError):
        record(commitment, evidence_url="")
    commitment.refresh_from_db()
    assert commitment.status_updates.count() == 0
    assert commitment.current_status == Status.NOT_ASSESSED


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"as_of": timezone.localdate() + datetime.timedelta(days=2)}, "as_of"),
        ({"as_of": datetime.date(2016, 7, 31)}, "as_of"),
        ({"rationale": "   "}, "rationale"),
        ({"progress_value": 5}, "progress_value"),
    ],
)
def test_updates_that_break_a_rule_are_refused_with_a_message(fields, field_in_error):
    commitment = CommitmentFactory(made_on=datetime.date(2016, 8, 1))
    with pytest.raises(ValidationError) as error:
        record(commitment, **fields)
    assert field_in_error in error.value.message_dict


def test_a_stale_save_is_refused_and_the_newer_edit_survives():
    commitment = CommitmentFactory()
    first = Commitment.objects.get(pk=commitment.pk)
    second = Commitment.objects.get(pk=commitment.pk)
    first.title = "First analyst's title"
    services.save_commitment(commitment=first, expected_version=1)
    second.summary = "Second analyst's summary"
    with pytest.raises(services.StaleEditError):
        services.save_commitment(commitment=second, expected_version=1)
    stored = Commitment.objects.get(pk=commitment.pk)
    assert (stored.title, stored.version) == ("First analyst's title", 2)
    assert stored.summary != "Second analyst's summary"


def test_saving_a_commitment_never_overwrites_its_derived_status():
    commitment = CommitmentFactory()
    stale_copy = Commitment.objects.get(pk=commitment.pk)
    record(commitment, status=Status.ACHIEVED)
    stale_copy.title = "Renamed"
    services.save_commitment(commitment=stale_copy, expected_version=stale_copy.version)
    assert Commitment.objects.get(pk=commitment.pk).current_status == Status.ACHIEVED


def test_publishing_needs_a_quote():
    draft = CommitmentFactory(is_published=False)
    with pytest.raises(ValidationError):
        services.set_published(commitment=draft, published=True)
    CommitmentQuoteFactory(commitment=draft, quote=QuoteFactory())
    services.set_published(commitment=draft, published=True)
    assert Commitment.objects.get(pk=draft.pk).is_published
