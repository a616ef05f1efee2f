"""The assessment method: criteria first, reasons, stages, restatements, corrections,
the method page and the citation."""

import datetime
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from commitments import services
from commitments.formatting import suggested_citation
from commitments.models import (
    METHOD_VERSION,
    CriterionAssessment,
    ProgressStage,
    ReasonCode,
    Restatement,
    RestatementKind,
    Status,
    StatusUpdate,
    SuccessCriterion,
)
from commitments.views import pages as methodology

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    RestatementFactory,
    SuccessCriterionFactory,
    record_approved,
)
from .helpers import csv_rows, text_of

pytestmark = pytest.mark.django_db

EVIDENCE = {"rationale": "The record shows it.", "evidence_url": "https://example.org/record"}


@pytest.fixture
def troops():
    commitment = CommitmentFactory(
        slug="deploy-troops", target_value=600, target_unit="troops", target_text="up to 600 troops"
    )
    CommitmentQuoteFactory(commitment=commitment)
    return commitment


def record(commitment, **fields):
    return services.record_status_update(
        commitment=commitment, as_of=datetime.date(2018, 3, 19), **{**EVIDENCE, **fields}
    )


def refused_by_database(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


# Criteria set in advance


def test_a_commitment_cannot_be_judged_before_its_criteria_are_written():
    commitment = CommitmentFactory(criteria=None)
    with pytest.raises(ValidationError, match="success criteria"):
        record(commitment, status=Status.IN_PROGRESS)
    SuccessCriterionFactory(commitment=commitment)
    record(commitment, status=Status.IN_PROGRESS)


def test_a_commitment_too_vague_to_assess_is_not_verifiable_with_its_reason(client):
    commitment = CommitmentFactory(criteria=None)
    update = record_approved(
        commitment=commitment,
        status=Status.NOT_VERIFIABLE,
        as_of=datetime.date(2018, 1, 1),
        rationale="It names no action, partner or date that could ever be checked.",
        evidence_url="https://example.org/statement",
    )
    assert commitment.current_status == Status.NOT_VERIFIABLE
    CommitmentQuoteFactory(commitment=commitment)
    page = text_of(client.get(commitment.get_absolute_url()))
    assert "Not verifiable" in page and update.rationale in page


def test_not_verifiable_takes_no_reading(troops):
    with pytest.raises(ValidationError) as error:
        record(troops, status=Status.NOT_VERIFIABLE, progress_value=5, progress_stage=ProgressStage.PLEDGED)
    assert "progress_value" in error.value.message_dict


def test_criteria_and_their_assessments_show_beside_the_verdict(client, troops):
    SuccessCriterion.objects.filter(commitment=troops).delete()
    SuccessCriterionFactory(commitment=troops, position=2, text="Troops stay for the mission's mandate.")
    SuccessCriterionFactory(
        commitment=troops,
        position=1,
        text="Up to 600 troops deployed.",
        assessment=CriterionAssessment.NOT_MET,
        evidence="About 250 were announced.",
        assessed_on=datetime.date(2018, 3, 19),
    )
    html = text_of(client.get(troops.get_absolute_url()))
    first, second = html.index("Up to 600 troops deployed."), html.index("Troops stay for the mission")
    assert first < second
    assert "Not met" in html and "About 250 were announced." in html
    assert reverse("commitments:methodology") in html


def test_a_criterion_written_after_the_first_verdict_is_marked(client, troops):
    record_approved(commitment=troops, status=Status.IN_PROGRESS, as_of=datetime.date(2018, 1, 1), **EVIDENCE)
    html = text_of(client.get(troops.get_absolute_url()))
    assert "after the first assessment" not in html
    late = SuccessCriterionFactory(commitment=troops, position=2, text="Written once the verdict was known.")
    html = text_of(client.get(troops.get_absolute_url()))
    assert 'Written once the verdict was known.</span> <span class="criterion-late">' in html
    assert late.history.count() == 1  # and its changes are kept


def test_an_assessed_criterion_needs_its_evidence(troops):
    criterion = SuccessCriterion(commitment=troops, text="x", assessment=CriterionAssessment.MET)
    with pytest.raises(ValidationError):
        criterion.full_clean()
    assert refused_by_database(
        lambda: SuccessCriterion.objects.create(commitment=troops, text="x", assessment=CriterionAssessment.MET)
    )


# Reasons


@pytest.mark.parametrize("status", [Status.STALLED, Status.ABANDONED, Status.PARTIALLY_ACHIEVED])
def test_stalled_abandoned_and_partial_need_a_reason_code_and_text(troops, status):
    with pytest.raises(ValidationError) as error:
        record(troops, status=status)
    assert {"reason_code", "reason_text"} <= error.value.message_dict.keys()


def test_other_statuses_take_no_reason(troops):
    with pytest.raises(ValidationError) as error:
        record(troops, status=Status.IN_PROGRESS, reason_code=ReasonCode.NOT_PRIORITISED, reason_text="x")
    assert "reason_code" in error.value.message_dict
    assert refused_by_database(
        lambda: StatusUpdate.objects.create(
            commitment=troops,
            status=Status.IN_PROGRESS,
            as_of=datetime.date(2018, 1, 1),
            reason_code=ReasonCode.NOT_PRIORITISED,
            **EVIDENCE,
        )
    )


def test_the_reason_shows_and_filters_the_table_and_the_csv(client, troops):
    other = CommitmentFactory(title="Another pledge")
    CommitmentQuoteFactory(commitment=other)
    record_approved(
        commitment=troops,
        status=Status.STALLED,
        as_of=datetime.date(2019, 1, 1),
        reason_code=ReasonCode.BLOCKED_BY_OTHERS,
        reason_text="The Security Council did not act.",
        **EVIDENCE,
    )
    page = text_of(client.get(troops.get_absolute_url()))
    assert "Blocked by others" in page and "The Security Council did not act." in page
    listed = text_of(client.get(reverse("commitments:commitment-list"), {"reason": "blocked_by_others"}))
    assert troops.title in listed and "Another pledge" not in listed
    rows = csv_rows(client, reverse("commitments:commitment-export") + "?reason=blocked_by_others")
    assert [(r["slug"], r["reason"], r["reason_label"]) for r in rows] == [
        (troops.slug, "blocked_by_others", "Blocked by others")
    ]
    assert client.get(reverse("commitments:commitment-export"), {"reason": "bogus"}).status_code == 400


# Stages


def test_a_reading_says_what_it_measures(troops):
    with pytest.raises(ValidationError) as error:
        record(troops, status=Status.IN_PROGRESS, progress_value=250)
    assert "progress_stage" in error.value.message_dict
    assert refused_by_database(
        lambda: StatusUpdate.objects.create(
            commitment=troops,
            status=Status.IN_PROGRESS,
            as_of=datetime.date(2018, 1, 1),
            progress_stage=ProgressStage.DEPLOYED,
            **EVIDENCE,
        )
    )


def test_pledged_is_never_shown_as_deployed(client, troops):
    record_approved(
        commitment=troops,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 3, 19),
        progress_value=250,
        progress_stage=ProgressStage.PLEDGED,
        **EVIDENCE,
    )
    record_approved(
        commitment=troops,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2017, 1, 1),
        progress_value=100,
        progress_stage=ProgressStage.DEPLOYED,
        **EVIDENCE,
    )
    html = text_of(client.get(troops.get_absolute_url()))
    assert 'id="stage-pledged"' in html and 'id="stage-deployed"' in html
    assert "Pledged: 250 troops (42% of the target)" in html
    assert "Deployed: 100 troops (17% of the target)" in html
    assert "250 troops pledged" in html and "250 troops deployed" not in html  # the headline names its stage
    table = text_of(client.get(reverse("commitments:commitment-list")))
    assert "250 of 600 troops pledged" in table and "troops deployed" not in table
    row = csv_rows(client, reverse("commitments:commitment-export"))[0]
    assert (row["progress_value"], row["progress_stage"]) == ("250", "pledged")


def test_a_commitment_counts_money_or_people_not_both(troops):
    record(troops, status=Status.IN_PROGRESS, progress_value=250, progress_stage=ProgressStage.PLEDGED)
    with pytest.raises(ValidationError, match="same kind"):
        record(troops, status=Status.IN_PROGRESS, progress_value=250, progress_stage=ProgressStage.DISBURSED)
    record(troops, status=Status.IN_PROGRESS, progress_value=100, progress_stage=ProgressStage.DEPLOYED)


# Restatements


def test_restatements_show_in_date_order_and_keep_the_original_words(client, troops):
    original = troops.quote_links.get().quote
    later = RestatementFactory(
        commitment=troops,
        quote=QuoteFactory(),
        kind=RestatementKind.FIGURE_CHANGED,
        stated_on=datetime.date(2019, 5, 1),
        change="A smaller figure: up to 200 troops.",
    )
    earlier = RestatementFactory(commitment=troops, quote=QuoteFactory(), stated_on=datetime.date(2017, 2, 1))
    html = text_of(client.get(troops.get_absolute_url()))
    lineage = html[html.index('id="lineage-heading"') :]
    assert lineage.index(earlier.quote.text) < lineage.index(later.quote.text)
    assert "Figure changed" in lineage and "A smaller figure: up to 200 troops." in lineage
    assert original.text in html[: html.index('id="lineage-heading"')]


def test_a_changing_restatement_says_what_changed_and_comes_after_the_commitment(troops):
    restatement = Restatement(
        commitment=troops, quote=QuoteFactory(), kind=RestatementKind.DEADLINE_CHANGED, stated_on=troops.made_on
    )
    with pytest.raises(ValidationError) as error:
        restatement.full_clean()
    assert "change" in error.value.message_dict
    restatement.kind, restatement.stated_on = RestatementKind.REAFFIRMED, datetime.date(2000, 1, 1)
    with pytest.raises(ValidationError) as error:
        restatement.full_clean()
    assert "stated_on" in error.value.message_dict
    assert refused_by_database(
        lambda: Restatement.objects.create(
            commitment=troops, quote=QuoteFactory(), kind=RestatementKind.SCOPE_CHANGED, stated_on=troops.made_on
        )
    )


# Corrections


def test_a_correction_says_what_was_wrong(troops):
    wrong = record_approved(commitment=troops, status=Status.ACHIEVED, as_of=datetime.date(2018, 3, 19), **EVIDENCE)
    with pytest.raises(ValidationError) as error:
        record(troops, status=Status.IN_PROGRESS, corrects=wrong)
    assert "correction_note" in error.value.message_dict
    assert refused_by_database(
        lambda: StatusUpdate.objects.create(
            commitment=troops, status=Status.IN_PROGRESS, as_of=datetime.date(2018, 1, 1), corrects=wrong, **EVIDENCE
        )
    )


def test_the_corrections_page_lists_approved_corrections_only(client, troops):
    wrong = record_approved(commitment=troops, status=Status.ACHIEVED, as_of=datetime.date(2018, 3, 19), **EVIDENCE)
    record_approved(
        commitment=troops,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 3, 19),
        corrects=wrong,
        correction_note="An announcement was read as a deployment.",
        **EVIDENCE,
    )
    record(
        troops,
        status=Status.NOT_STARTED,
        corrects=wrong,
        correction_note="Still awaiting review: never public.",
    )
    html = text_of(client.get(reverse("commitments:corrections")))
    assert "An announcement was read as a deployment." in html and troops.title in html
    assert "Still awaiting review" not in html
    assert "Corrects the assessment as of 19 March 2018" in html
    assert "An announcement was read as a deployment." in text_of(client.get(troops.get_absolute_url()))


# Method page and version


def test_the_method_page_explains_every_term_the_code_uses(client):
    html = text_of(client.get(reverse("commitments:methodology")))
    for vocabulary, explanations in methodology.EXPLANATIONS.items():
        assert set(explanations) == set(vocabulary), vocabulary  # nothing unexplained, nothing stale
        for choice in vocabulary:
            assert f"<code>{choice.value}</code>" in html
            assert str(explanations[choice]).replace("'", "&#x27;") in html
    assert f"Method version {METHOD_VERSION}" in html
    assert reverse("commitments:corrections") in html


def test_each_assessment_records_the_method_version(client, troops):
    update = record_approved(commitment=troops, status=Status.IN_PROGRESS, as_of=datetime.date(2018, 1, 1), **EVIDENCE)
    assert update.method_version == METHOD_VERSION
    row = csv_rows(client, reverse("commitments:update-export"))[0]
    assert row["method_version"] == METHOD_VERSION
    assert f"version {METHOD_VERSION}" in text_of(client.get(troops.get_absolute_url()))


# Cite this


def test_the_page_and_the_csv_offer_the_same_citation(client, troops):
    record_approved(commitment=troops, status=Status.IN_PROGRESS, as_of=datetime.date(2018, 3, 19), **EVIDENCE)
    url = f"http://testserver{troops.get_absolute_url()}"
    expected = suggested_citation(troops, url=url, accessed_on=timezone.localdate())
    assert troops.title in expected and url in expected and "19 March 2018" in expected
    assert timezone.localdate().strftime("%Y") in expected
    assert expected in unescape(text_of(client.get(troops.get_absolute_url())))
    assert csv_rows(client, reverse("commitments:commitment-export"))[0]["citation"] == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "“50% of %(url)s pledged.” Commitment Tracker: Canada's R2P and peace-and-security commitments. "
            "https://tracker.example.org/c/ (status as of March 2018; accessed 2 February 2026).",
        ),
        (
            "fr",
            "«\xa050% of %(url)s pledged\xa0». Suivi des engagements\xa0: les engagements du Canada sur la R2P, "
            "la paix et la sécurité. https://tracker.example.org/c/ "
            "(état en mars 2018\u202f; consulté le 2 février 2026).",
        ),
    ],
)
def test_the_citation_words_in_each_language(troops, language, expected):
    # A title holding format signs is cited as written.
    troops.title = "50% of %(url)s pledged"
    troops.status_as_of, troops.status_as_of_precision = datetime.date(2018, 3, 19), "month"
    with translation.override(language):
        cited = suggested_citation(troops, url="https://tracker.example.org/c/", accessed_on=datetime.date(2026, 2, 2))
    assert cited == expected
