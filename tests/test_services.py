import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commitments import services
from commitments.models import Commitment, SourceDocument, Status, StatusUpdate
from commitments.services.roles import ANALYST

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    UserFactory,
    member_of,
    record_approved,
    reviewer,
)

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
        services.set_published(commitment=draft, published=True, actor=reviewer())
    CommitmentQuoteFactory(commitment=draft, quote=QuoteFactory())
    services.set_published(commitment=draft, published=True, actor=reviewer())
    assert Commitment.objects.get(pk=draft.pk).is_published


def test_only_an_editor_publishes_or_withdraws_whatever_path_the_save_takes():
    """The publish rule is the service's: an analyst's save that would change whether a
    commitment is public is refused, and nothing of it is written."""
    analyst = member_of(ANALYST, "analyst-who-publishes")
    draft = CommitmentQuoteFactory(commitment=CommitmentFactory(is_published=False)).commitment
    draft.is_published = True
    draft.title = "Published by an analyst"
    with pytest.raises(PermissionDenied):
        services.save_commitment(commitment=draft, actor=analyst)
    with pytest.raises(PermissionDenied):
        services.set_published(commitment=Commitment.objects.get(pk=draft.pk), published=True, actor=analyst)
    stored = Commitment.objects.get(pk=draft.pk)
    assert not stored.is_published and stored.title != "Published by an analyst" and stored.version == 1
    # The same analyst's ordinary edit goes through.
    stored.title = "Edited by an analyst"
    services.save_commitment(commitment=stored, actor=analyst)
    assert Commitment.objects.get(pk=draft.pk).title == "Edited by an analyst"


def test_a_user_outside_the_roles_writes_nothing_through_the_services():
    outsider = UserFactory(username="outsider")
    commitment = CommitmentFactory()
    with pytest.raises(PermissionDenied):
        services.record_status_update(
            commitment=commitment,
            status=Status.IN_PROGRESS,
            as_of=datetime.date(2018, 3, 19),
            rationale="Seen in the record.",
            evidence_url="https://example.org/record",
            recorded_by=outsider,
        )
    document = SourceDocument(slug="new", title="New", kind="statement", full_text="Canada will act.")
    with pytest.raises(PermissionDenied):
        services.save_document(document=document, actor=outsider)
    commitment.title = "Renamed by an outsider"
    with pytest.raises(PermissionDenied):
        services.save_commitment(commitment=commitment, actor=outsider)
    assert not StatusUpdate.objects.exists() and not SourceDocument.objects.filter(slug="new").exists()
    assert Commitment.objects.get(pk=commitment.pk).title != "Renamed by an outsider"


def test_the_history_rules_are_checked_by_the_service_not_by_the_row():
    """A row on its own is valid; what the commitment's history forbids is refused when the
    update is recorded: a verdict before criteria, a reading of another family of stages."""
    without_criteria = CommitmentFactory(criteria=None)
    unsaved = StatusUpdate(
        commitment=without_criteria,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 3, 19),
        rationale="Seen in the record.",
        evidence_url="https://example.org/record",
    )
    unsaved.full_clean()  # the row's own rules pass
    with pytest.raises(ValidationError) as refused:
        services.record_status_update(
            commitment=without_criteria,
            status=Status.IN_PROGRESS,
            as_of=datetime.date(2018, 3, 19),
            rationale="Seen in the record.",
            evidence_url="https://example.org/record",
        )
    assert "success criteria" in refused.value.message_dict["status"][0]
    counted_in_people = CommitmentFactory(target_value=600, target_unit="troops")
    record_approved(
        commitment=counted_in_people,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 3, 19),
        progress_value=250,
        progress_stage="pledged",
        rationale="Pledged.",
        evidence_url="https://example.org/record",
    )
    with pytest.raises(ValidationError) as refused:
        services.record_status_update(
            commitment=counted_in_people,
            status=Status.IN_PROGRESS,
            as_of=datetime.date(2018, 4, 19),
            progress_value=100,
            progress_stage="disbursed",
            rationale="Money?",
            evidence_url="https://example.org/record",
        )
    assert "pledged" in refused.value.message_dict["progress_stage"][0]
    assert StatusUpdate.objects.filter(commitment=counted_in_people).count() == 1
