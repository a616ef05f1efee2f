"""Nothing verdict-bearing reaches the public on an analyst's word alone: once a commitment
is public, its target (what the meter measures against) and its success criteria are
changed by an editor only, on every path (the admin's page, a forged POST, the services)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from commitments import services
from commitments.models import Commitment, SuccessCriterion
from commitments.services.roles import ANALYST, EDITOR

from .factories import CommitmentFactory, CommitmentQuoteFactory, member_of
from .helpers import change_url, form_fields

pytestmark = pytest.mark.django_db


def public_with_target() -> Commitment:
    commitment = CommitmentFactory(target_value=Decimal(600), target_unit="troops", target_text="up to 600 troops")
    CommitmentQuoteFactory(commitment=commitment)
    return commitment


@pytest.fixture
def analyst():
    return member_of(ANALYST, "ana")


@pytest.fixture
def editor():
    return member_of(EDITOR, "eddie")


def test_an_analyst_cannot_shrink_a_public_target_through_the_service(analyst, editor):
    commitment = public_with_target()
    commitment.target_value = Decimal(250)
    with pytest.raises(PermissionDenied, match="only an editor"):
        services.save_commitment(commitment=commitment, actor=analyst)
    assert Commitment.objects.get(pk=commitment.pk).target_value == 600

    stored = Commitment.objects.get(pk=commitment.pk)
    stored.target_value = Decimal(250)
    services.save_commitment(commitment=stored, actor=editor)
    assert Commitment.objects.get(pk=commitment.pk).target_value == 250


def test_an_analyst_sets_a_drafts_target_and_edits_a_public_ones_other_fields(analyst):
    draft = CommitmentFactory(is_published=False)
    draft.target_value, draft.target_unit = Decimal(600), "troops"
    services.save_commitment(commitment=draft, actor=analyst)
    public = Commitment.objects.get(pk=public_with_target().pk)
    public.summary = "A clearer summary."
    services.save_commitment(commitment=public, actor=analyst)
    assert Commitment.objects.get(pk=public.pk).summary == "A clearer summary."


def test_an_analyst_cannot_mark_a_public_commitments_criterion_met(analyst, editor):
    criterion = public_with_target().criteria.get()
    criterion.assessment, criterion.evidence = "met", "Troops deployed."
    criterion.assessed_on = datetime.date(2019, 1, 1)
    with pytest.raises(PermissionDenied, match="only an editor"):
        services.save_criterion(criterion=criterion, actor=analyst)
    with pytest.raises(PermissionDenied):
        services.delete_criterion(criterion=criterion, actor=analyst)
    assert SuccessCriterion.objects.get(pk=criterion.pk).assessment == "not_assessed"
    services.save_criterion(criterion=criterion, actor=editor)
    assert SuccessCriterion.objects.get(pk=criterion.pk).assessment == "met"


def test_the_admin_shows_an_analyst_a_public_target_and_criteria_read_only_and_ignores_a_forged_post(analyst):
    commitment = public_with_target()
    client = Client()
    client.force_login(analyst)
    html = client.get(change_url(commitment)).content.decode()
    form = form_fields(html, "commitment_form")
    assert "target_value" not in form and "criteria-0-text" not in form
    assert "up to 600 troops" in html  # still shown, read-only

    forged = {
        **form,
        "target_value": "250",
        "target_unit": "troops",
        "criteria-0-id": str(commitment.criteria.get().pk),
        "criteria-0-commitment": str(commitment.pk),
        "criteria-0-position": "1",
        "criteria-0-text": "Rewritten by an analyst",
        "criteria-0-assessment": "met",
        "criteria-0-evidence": "Said so.",
    }
    client.post(change_url(commitment), forged)
    stored = Commitment.objects.get(pk=commitment.pk)
    assert stored.target_value == 600
    assert stored.criteria.get().text != "Rewritten by an analyst"
    assert stored.criteria.get().assessment == "not_assessed"


def test_an_editor_changes_a_public_criterion_in_the_admin(editor):
    commitment = public_with_target()
    client = Client()
    client.force_login(editor)
    form = form_fields(client.get(change_url(commitment)).content.decode(), "commitment_form")
    form.update({"criteria-0-assessment": "met", "criteria-0-evidence": "Deployed.", "target_value": "500"})
    response = client.post(change_url(commitment), form)
    assert response.status_code == 302
    stored = Commitment.objects.get(pk=commitment.pk)
    assert stored.criteria.get().assessment == "met" and stored.target_value == 500
