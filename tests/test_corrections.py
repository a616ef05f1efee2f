"""A correction names an approved update of its own commitment, and the public never learns
of an update that is not public through a correction that names it (issue 16, item 7)."""

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from commitments import services
from commitments.models import ReviewState, Status, StatusUpdate
from commitments.services.roles import ANALYST

from .factories import CommitmentFactory, CommitmentQuoteFactory, member_of, record_approved, reviewer
from .helpers import change_url, csv_rows, form_fields, new_status_update, text_of

pytestmark = pytest.mark.django_db

EVIDENCE = {"rationale": "The record shows it.", "evidence_url": "https://example.org/record"}
# The returned update's date, which nothing public may print.
RETURNED_ON = datetime.date(2017, 5, 5)


@pytest.fixture
def commitment(db):
    return CommitmentQuoteFactory(commitment=CommitmentFactory()).commitment


def returned(commitment) -> StatusUpdate:
    update = services.record_status_update(
        commitment=commitment, status=Status.NOT_STARTED, as_of=RETURNED_ON, **EVIDENCE
    )
    return services.return_status_update(update=update, reviewer=reviewer(), note="No evidence of deployment.")


def correction_of(commitment, corrected, **fields) -> StatusUpdate:
    return services.record_status_update(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 1, 1),
        corrects=corrected,
        correction_note="The earlier update overstated the deployment.",
        **{**EVIDENCE, **fields},
    )


@pytest.mark.parametrize("state", ["pending", "returned"])
def test_a_correction_of_an_update_that_is_not_approved_is_refused(commitment, state):
    corrected = (
        returned(commitment)
        if state == "returned"
        else services.record_status_update(
            commitment=commitment, status=Status.NOT_STARTED, as_of=RETURNED_ON, **EVIDENCE
        )
    )
    with pytest.raises(ValidationError) as refused:
        correction_of(commitment, corrected)
    label = ReviewState(state).label.lower()  # pending review, returned to its author
    assert refused.value.message_dict["corrects"] == [
        f"Only an approved update can be corrected; the update as of 2017-05-05 is {label}."
    ]
    assert not StatusUpdate.objects.filter(corrects=corrected).exists()


def test_a_correction_of_an_approved_update_of_another_commitment_is_refused(commitment):
    other = record_approved(commitment=CommitmentFactory(), status=Status.NOT_STARTED, as_of=RETURNED_ON, **EVIDENCE)
    with pytest.raises(ValidationError) as refused:
        correction_of(commitment, other)
    assert refused.value.message_dict["corrects"] == ["A correction must be to an update of the same commitment."]


def test_a_correction_of_an_approved_update_is_recorded_and_approved(commitment):
    corrected = record_approved(commitment=commitment, status=Status.NOT_STARTED, as_of=RETURNED_ON, **EVIDENCE)
    correction = correction_of(commitment, corrected)
    services.approve_status_update(update=correction, reviewer=reviewer())
    assert StatusUpdate.objects.public().get(corrects=corrected) == correction


def test_approving_an_older_correction_of_a_returned_update_is_refused(commitment):
    """A pending correction recorded before the rule, naming an update since returned."""
    wrong = returned(commitment)
    older = StatusUpdate.objects.create(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 1, 1),
        corrects=wrong,
        correction_note="Recorded before the rule.",
        **EVIDENCE,
    )
    with pytest.raises(ValidationError) as refused:
        services.approve_status_update(update=older, reviewer=reviewer())
    assert "Only an approved update can be corrected" in str(refused.value)
    older.refresh_from_db()
    assert older.review_state == ReviewState.PENDING


def test_the_admin_offers_only_the_commitments_approved_updates_to_correct(client, commitment):
    client.force_login(member_of(ANALYST, "ana"))
    approved = record_approved(
        commitment=commitment, status=Status.NOT_STARTED, as_of=datetime.date(2017, 4, 4), **EVIDENCE
    )
    wrong = returned(commitment)
    pending = services.record_status_update(
        commitment=commitment, status=Status.IN_PROGRESS, as_of=datetime.date(2017, 6, 6), **EVIDENCE
    )
    elsewhere = record_approved(
        commitment=CommitmentFactory(), status=Status.NOT_STARTED, as_of=RETURNED_ON, **EVIDENCE
    )
    html = text_of(client.get(change_url(commitment)))
    select = re.search(r'<select name="[^"]*-0-corrects"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, "the correction is chosen from a list"
    offered = {int(value) for value in re.findall(r'<option value="(\d+)"', select.group(1))}
    assert offered == {approved.pk}
    assert not {wrong.pk, pending.pk, elsewhere.pk} & offered

    form = new_status_update(
        form_fields(html, "commitment_form"),
        status="in_progress",
        as_of="2018-01-01",
        as_of_precision="day",
        corrects=str(wrong.pk),
        correction_note="Forged: names a returned update.",
        **EVIDENCE,
    )
    response = client.post(change_url(commitment), form)
    assert response.status_code == 200 and "errorlist" in text_of(response)
    assert not StatusUpdate.objects.filter(corrects=wrong).exists()


@pytest.fixture
def older_correction(commitment):
    """An approved correction recorded before the rule, naming an update since returned."""
    wrong = returned(commitment)
    correction = StatusUpdate.objects.create(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 1, 1),
        corrects=wrong,
        correction_note="The earlier update overstated the deployment.",
        review_state=ReviewState.APPROVED,
        recorded_by=member_of(ANALYST, "ana"),
        reviewed_by=reviewer(),
        **EVIDENCE,
    )
    return correction, wrong


def test_public_outputs_never_name_a_corrected_update_that_is_not_public(client, older_correction):
    correction, wrong = older_correction
    commitment = correction.commitment
    page_url, feed_url = commitment.get_absolute_url(), reverse("commitments:update-feed")
    for language in ("", "/fr"):
        page = text_of(client.get(f"{language}{page_url}"))
        assert "overstated the deployment" in page  # the correction itself is public
        assert "2017-05-05" not in page, language
        feed = text_of(client.get(f"{language}{feed_url}"))
        assert "The record shows it." in feed and "2017-05-05" not in feed, language
    translation.activate("en")
    detail = json.loads(text_of(client.get(reverse("api:commitment-detail", kwargs={"slug": commitment.slug}))))
    assert [entry["corrects"] for entry in detail["history"]] == [None]
    listed = json.loads(text_of(client.get(reverse("api:update-list"))))["results"]
    assert [(entry["id"], entry["corrects"]) for entry in listed] == [(correction.pk, None)]
    rows = csv_rows(client, reverse("commitments:update-export"))
    assert [(row["id"], row["corrects_id"]) for row in rows] == [(str(correction.pk), "")]
    assert "overstated the deployment" not in text_of(client.get(reverse("commitments:corrections")))


def test_public_outputs_name_a_corrected_update_that_is_public(client, commitment):
    corrected = record_approved(commitment=commitment, status=Status.NOT_STARTED, as_of=RETURNED_ON, **EVIDENCE)
    correction = record_approved(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 1, 1),
        corrects=corrected,
        correction_note="The earlier update overstated the deployment.",
        **EVIDENCE,
    )
    assert "Corrects the assessment as of 5 May 2017" in text_of(client.get(commitment.get_absolute_url()))
    assert "Corrects the assessment as of 5 May 2017" in text_of(client.get(reverse("commitments:update-feed")))
    detail = json.loads(text_of(client.get(reverse("api:commitment-detail", kwargs={"slug": commitment.slug}))))
    assert [entry["corrects"] for entry in detail["history"]] == [corrected.pk, None]
    listed = json.loads(text_of(client.get(reverse("api:update-list"))))["results"]
    assert {entry["id"]: entry["corrects"] for entry in listed} == {correction.pk: corrected.pk, corrected.pk: None}
    rows = csv_rows(client, reverse("commitments:update-export"))
    assert {row["id"]: row["corrects_id"] for row in rows} == {
        str(correction.pk): str(corrected.pk),
        str(corrected.pk): "",
    }
    assert "overstated the deployment" in text_of(client.get(reverse("commitments:corrections")))


@pytest.mark.parametrize(("language", "said"), [("en", "as of March 2017"), ("fr", "en mars 2017")])
def test_a_correction_dates_the_corrected_assessment_as_precisely_as_it_was_made(client, commitment, language, said):
    """An assessment made "as of March 2017" (stored as 1 March) is never cited as of 1 March."""
    corrected = record_approved(
        commitment=commitment,
        status=Status.NOT_STARTED,
        as_of=datetime.date(2017, 3, 1),
        as_of_precision="month",
        **EVIDENCE,
    )
    record_approved(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 1, 1),
        corrects=corrected,
        correction_note="It had started.",
        **EVIDENCE,
    )
    with translation.override(language):
        pages = [
            commitment.get_absolute_url(),
            reverse("commitments:update-feed"),
            reverse("commitments:corrections"),
        ]
    for url in pages:
        text = text_of(client.get(url))
        assert said in text, url
        for falsely_precise in ("2017-03-01", "1 March 2017", "1er mars 2017", "mars 2017"):
            for preposition in ("as of", "au", "en date du"):
                assert f"{preposition} {falsely_precise}" not in text, url


@pytest.mark.parametrize(("language", "said"), [("en", "(status unchanged)"), ("fr", "(état inchangé)")])
def test_a_correction_that_keeps_the_status_says_so_rather_than_showing_it_change_to_itself(
    client, commitment, language, said
):
    corrected = record_approved(commitment=commitment, status=Status.IN_PROGRESS, as_of=RETURNED_ON, **EVIDENCE)
    record_approved(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        as_of=RETURNED_ON,
        corrects=corrected,
        correction_note="The rationale cited the wrong mission.",
        **EVIDENCE,
    )
    with translation.override(language):
        page = text_of(client.get(reverse("commitments:corrections")))
    assert said in page and "→" not in page
