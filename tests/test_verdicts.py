"""Verdicts an expert can cite (issue 17): the method enforced by the services, kinds of
statement, meters at the stage the criteria count, time on the page, and check_data."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from commitments import services
from commitments.models import (
    Commitment,
    CriterionAssessment,
    ProgressStage,
    Quote,
    ReasonCode,
    StatementKind,
    Status,
    SuccessCriterion,
)
from commitments.services.roles import ANALYST, EDITOR

from .factories import CommitmentFactory, CommitmentQuoteFactory, member_of, record_approved, reviewer
from .helpers import change_url, csv_rows, form_fields

pytestmark = pytest.mark.django_db

EVIDENCE = {"rationale": "The record shows it.", "evidence_url": "https://example.org/record"}
DAY = datetime.date(2018, 3, 19)


@pytest.fixture
def two_criteria():
    """A published undertaking judged against two criteria: the first met, the second not assessed."""
    commitment = CommitmentFactory(criteria=None, target_value=600, target_unit="troops", target_text="600")
    CommitmentQuoteFactory(commitment=commitment)
    SuccessCriterion.objects.create(
        commitment=commitment, position=1, text="The commission is created.", assessment="met", evidence="Resolution."
    )
    SuccessCriterion.objects.create(
        commitment=commitment, position=2, text="Canada cooperates with like-minded countries."
    )
    return commitment


def record(commitment, status, **fields):
    return services.record_status_update(commitment=commitment, status=status, as_of=DAY, **{**EVIDENCE, **fields})


def set_assessment(commitment, position, assessment):
    criterion = commitment.criteria.get(position=position)
    criterion.assessment, criterion.evidence = assessment, criterion.evidence or "The record."
    services.save_criterion(criterion=criterion)


def test_achieved_is_refused_while_an_applicable_criterion_is_not_met_and_names_it(two_criteria):
    with pytest.raises(ValidationError) as refused:
        record(two_criteria, Status.ACHIEVED)
    message = refused.value.message_dict["status"][0]
    assert "every applicable criterion met" in message and "“Canada cooperates with like-minded countries.”" in message
    set_assessment(two_criteria, 2, CriterionAssessment.NO_LONGER_APPLICABLE)
    assert record(two_criteria, Status.ACHIEVED).status == Status.ACHIEVED  # what no longer applies is left out


def test_partially_achieved_needs_some_criteria_met_not_all(two_criteria):
    partial = {"reason_code": ReasonCode.DELIVERED_BY_ANOTHER_ACTOR, "reason_text": "The UN created it."}
    assert record(two_criteria, Status.PARTIALLY_ACHIEVED, **partial)
    set_assessment(two_criteria, 1, CriterionAssessment.NOT_MET)
    with pytest.raises(ValidationError, match="at least one criterion met"):
        record(two_criteria, Status.PARTIALLY_ACHIEVED, **partial)
    set_assessment(two_criteria, 1, CriterionAssessment.MET)
    set_assessment(two_criteria, 2, CriterionAssessment.MET)
    with pytest.raises(ValidationError, match="so the verdict is “achieved”"):
        record(two_criteria, Status.PARTIALLY_ACHIEVED, **partial)


def test_not_started_in_progress_and_not_verifiable_must_agree_with_the_criteria(two_criteria):
    with pytest.raises(ValidationError, match="“Not started” contradicts the criteria: criterion 1"):
        record(two_criteria, Status.NOT_STARTED)
    with pytest.raises(ValidationError, match="“Not verifiable” contradicts the criteria"):
        record(two_criteria, Status.NOT_VERIFIABLE)
    assert record(two_criteria, Status.IN_PROGRESS)
    set_assessment(two_criteria, 2, CriterionAssessment.MET)
    with pytest.raises(ValidationError, match="“in progress” contradicts them"):
        record(two_criteria, Status.IN_PROGRESS)


def test_the_refusal_is_in_french_on_a_french_request(two_criteria):
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        record(two_criteria, Status.ACHIEVED)
    message = refused.value.message_dict["status"][0]
    assert "«\xa0Réalisé\xa0» exige que chaque critère applicable soit rempli" in message


def test_approval_checks_the_criteria_again(two_criteria):
    set_assessment(two_criteria, 2, CriterionAssessment.MET)
    update = record(two_criteria, Status.ACHIEVED, recorded_by=member_of(ANALYST, "ana"))
    set_assessment(two_criteria, 2, CriterionAssessment.NOT_MET)  # reassessed while it waited for review
    with pytest.raises(ValidationError, match="criterion 2"):
        services.approve_status_update(update=update, reviewer=reviewer())
    assert Commitment.objects.get(pk=two_criteria.pk).current_status == Status.NOT_ASSESSED


def test_the_admin_refuses_a_contradicting_status_beside_the_field_naming_the_criterion(client, two_criteria):
    client.force_login(member_of(ANALYST, "ana"))
    form = form_fields(client.get(change_url(two_criteria)).content.decode(), "commitment_form")
    prefix = next(
        key[: -len("-TOTAL_FORMS")]
        for key in form
        if key.endswith("-TOTAL_FORMS") and "status_updates" in key and form[key.replace("TOTAL", "MAX_NUM")] == "1"
    )
    fields = {"status": "achieved", "as_of": "2018-03-19", "as_of_precision": "day", **EVIDENCE}
    response = client.post(change_url(two_criteria), {**form, **{f"{prefix}-0-{k}": v for k, v in fields.items()}})
    html = response.content.decode()
    assert response.status_code == 200 and "“Canada cooperates with like-minded countries.”" in html
    assert not two_criteria.status_updates.exists()


@pytest.mark.parametrize("kind", [StatementKind.POSITION, StatementKind.CALL_TO_OTHERS])
def test_a_position_or_a_call_is_only_not_verifiable_or_unassessed(kind):
    commitment = CommitmentFactory(kind=kind)
    with pytest.raises(ValidationError, match="not an undertaking"):
        record(commitment, Status.IN_PROGRESS)
    assert record(commitment, Status.NOT_VERIFIABLE).status == Status.NOT_VERIFIABLE


def test_a_past_action_is_background_and_takes_no_verdict():
    commitment = CommitmentFactory(kind=StatementKind.PAST_ACTION)
    for status in (Status.ACHIEVED, Status.NOT_VERIFIABLE):
        with pytest.raises(ValidationError, match="recorded as background"):
            record(commitment, status)
    assert record(commitment, Status.NOT_ASSESSED).status == Status.NOT_ASSESSED


def test_the_kind_is_filtered_exported_in_the_api_and_in_the_data_dictionary(client):
    CommitmentQuoteFactory(commitment=CommitmentFactory(title="A promise"))
    CommitmentQuoteFactory(commitment=CommitmentFactory(title="A welcome", kind=StatementKind.POSITION))
    table = client.get("/commitments/?kind=position").content.decode()
    assert "A welcome" in table and "A promise" not in table
    assert [(row["title"], row["kind"]) for row in csv_rows(client, "/commitments/export.csv?kind=position")] == [
        ("A welcome", "position")
    ]
    assert {row["kind"] for row in client.get("/api/commitments/").json()["results"]} == {"undertaking", "position"}
    dictionary = client.get(reverse("commitments:data")).content.decode()
    assert "<code>kind</code>" in dictionary and "call_to_others" in dictionary


def test_methodology_explains_kinds_the_criteria_rule_stages_and_assessment_due_in_both_languages(client):
    html = client.get(reverse("commitments:methodology")).content.decode()
    assert 'id="method-statementkind-past_action"' in html and "never as a promise delivered" in html
    assert "achieved only when every applicable criterion is met" in html
    assert "a pledge never fills a “deploy” meter" in html and "older than 2 years says “assessment due”" in html
    with translation.override("fr"):
        url = reverse("commitments:methodology")
    french = client.get(url).content.decode()
    assert "Types de déclaration" in french and "Action passée" in french and "évaluation à faire" in french


def troops(**fields):
    commitment = CommitmentFactory(
        target_value=600, target_unit="troops", target_text="up to 600 troops", counted_stage="deployed", **fields
    )
    CommitmentQuoteFactory(commitment=commitment)
    return commitment


def test_the_headline_meter_shows_only_the_stage_the_criteria_count(client):
    commitment = troops()
    record_approved(commitment=commitment, status=Status.IN_PROGRESS, as_of=DAY, progress_value=250,
                    progress_stage=ProgressStage.PLEDGED, **EVIDENCE)  # fmt: skip
    commitment.refresh_from_db()
    assert commitment.current_progress is None
    html = client.get(commitment.get_absolute_url()).content.decode()
    progress = html[html.index('id="progress-heading"') : html.index('id="criteria-heading"')]
    assert "No deployed figure yet." in progress and 'id="progress-meter"' not in progress
    assert "Pledged: 250 troops" in progress  # shown apart, by stage
    with translation.override("fr"):
        url = commitment.get_absolute_url()
    assert "Aucun chiffre pour l&#x27;instant sur les effectifs déployés." in client.get(url).content.decode()
    record_approved(commitment=commitment, status=Status.IN_PROGRESS, as_of=DAY, progress_value=120,
                    progress_stage=ProgressStage.DEPLOYED, **EVIDENCE)  # fmt: skip
    with translation.override("en"):
        html = client.get(commitment.get_absolute_url()).content.decode()
    assert "Latest reading: 120 troops deployed (20% of the target)" in html


def test_an_editor_changing_the_counted_stage_moves_the_headline_meter():
    commitment = troops()
    record_approved(commitment=commitment, status=Status.IN_PROGRESS, as_of=DAY, progress_value=250,
                    progress_stage=ProgressStage.PLEDGED, **EVIDENCE)  # fmt: skip
    commitment.refresh_from_db()
    commitment.counted_stage = ""
    with pytest.raises(Exception, match="only an editor"):
        services.save_commitment(commitment=commitment, actor=member_of(ANALYST, "ana"))
    commitment.refresh_from_db()
    commitment.counted_stage = ""
    services.save_commitment(commitment=commitment, actor=member_of(EDITOR, "eddie"))
    assert Commitment.objects.get(pk=commitment.pk).current_progress == 250


def past_deadline():
    commitment = troops(
        made_on=datetime.date(2002, 1, 1),
        made_on_precision="year",
        period_start=datetime.date(2002, 1, 1),
        deadline=datetime.date(2012, 1, 1),
        deadline_precision="year",
        title="Ten-year pledge",
    )
    record_approved(commitment=commitment, status=Status.IN_PROGRESS, as_of=datetime.date(2012, 3, 27), **EVIDENCE)
    return commitment


def test_past_its_deadline_is_said_on_the_page_the_table_and_the_dashboard(client):
    commitment = past_deadline()
    troops(title="No deadline")
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "<dt>Deadline</dt><dd>2012</dd>" in html
    assert "Past its deadline:</strong> the deadline (2012) has passed without a final verdict." in html
    table = client.get("/commitments/?attention=past_deadline").content.decode()
    assert "Ten-year pledge" in table and "No deadline" not in table
    home = client.get(reverse("commitments:home")).content.decode()
    assert '<a href="/commitments/?attention=past_deadline"><strong>1</strong> past its deadline' in home
    with translation.override("fr"):
        url = commitment.get_absolute_url()
    assert "Échéance dépassée\xa0:</strong> l'échéance (2012) est passée sans verdict définitif." in (
        client.get(url).content.decode()
    )
    commitment.criteria.update(assessment="met", evidence="Spent.")
    record_approved(commitment=commitment, status=Status.ACHIEVED, as_of=datetime.date(2013, 1, 1), **EVIDENCE)
    assert "Past its deadline" not in client.get(commitment.get_absolute_url()).content.decode()


def test_assessment_due_follows_the_configured_age(client, settings):
    commitment = past_deadline()  # last assessed in March 2012
    assert (
        "Assessment due:</strong> the latest assessment is more than 2 years old."
        in client.get(commitment.get_absolute_url()).content.decode()
    )
    assert "Ten-year pledge" in client.get("/commitments/?attention=assessment_due").content.decode()
    settings.ASSESSMENT_MAX_AGE_DAYS = 365 * 100
    assert "Assessment due" not in client.get(commitment.get_absolute_url()).content.decode()
    assert "Ten-year pledge" not in client.get("/commitments/?attention=assessment_due").content.decode()


def test_last_updated_is_the_last_change_a_person_made_not_a_load(client):
    commitment = troops()  # its audit trail's first entry names no user, as load_seed's do
    Commitment.objects.filter(pk=commitment.pk).update(
        updated_at=datetime.datetime(2020, 1, 2, 12, tzinfo=datetime.UTC)
    )
    assert "Last updated: <time" in (html := client.get(commitment.get_absolute_url()).content.decode())
    assert "2 January 2020</time>" in html


def test_check_data_passes_on_the_seed_and_lists_the_deadlines_passed(seed, capsys):
    call_command("check_data")
    out = capsys.readouterr().out
    assert "global-partnership-1-billion: past its deadline (2012) without a final verdict" in out
    assert "The data passes every check." in out


def contradicting_criteria():
    # The peacebuilding commission's "partially achieved" now has no criterion met.
    SuccessCriterion.objects.filter(commitment__slug="support-peacebuilding-commission").update(
        assessment="not_met", evidence="Reassessed."
    )


def a_pledge_on_a_deploy_meter():
    Commitment.objects.filter(slug="deploy-600-troops-peace-operations").update(
        current_progress=250, current_progress_stage="pledged"
    )


def a_past_action_judged():
    Commitment.objects.filter(slug="establish-iciss").update(current_status="achieved")


def a_quote_not_in_its_document():
    Quote.objects.filter(pk=Quote.objects.order_by("pk").values("pk")[:1]).update(text="Words no document holds.")


@pytest.mark.parametrize(
    "breakage", [contradicting_criteria, a_pledge_on_a_deploy_meter, a_past_action_judged, a_quote_not_in_its_document]
)
def test_check_data_fails_on_a_broken_record(seed, breakage, capsys):
    breakage()
    with pytest.raises(CommandError, match="problem"):
        call_command("check_data")
    assert "problem: " in capsys.readouterr().err


def test_once_public_only_an_editor_changes_the_kind(client):
    commitment = troops()
    commitment.kind = StatementKind.POSITION
    with pytest.raises(Exception, match="only an editor"):
        services.save_commitment(commitment=commitment, actor=member_of(ANALYST, "ana"))
    client.force_login(member_of(ANALYST, "ana"))
    html = client.get(change_url(commitment)).content.decode()
    assert 'name="kind"' not in html and "Kind of statement" in html  # shown read-only
    services.save_commitment(commitment=commitment, actor=member_of(EDITOR, "eddie"))
    assert Commitment.objects.get(pk=commitment.pk).kind == StatementKind.POSITION
