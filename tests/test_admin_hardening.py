"""The admin against a hostile colleague (issue 16): no write path around the services' rules,
no form that makes a worker build thousands of forms, no page that tells which ids exist."""

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from commitments import services
from commitments.exports.releases import publish_release
from commitments.models import Commitment, Quote, Restatement, SourceDocument, SuccessCriterion
from commitments.services.roles import ANALYST, EDITOR

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    SourceDocumentFactory,
    UserFactory,
    commitment_with_basis,
    member_of,
)
from .helpers import change_url, form_fields

pytestmark = pytest.mark.django_db


def admin_url(obj, view: str, *args) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[*args])


def rows_of(model) -> list[dict]:
    """Everything stored for a model and its audit trail, to compare before and after."""
    return [*model.objects.order_by("pk").values(), *model.history.order_by("pk").values()]


# --- 4. The history's revert page reads old versions; it never writes -----------------------

# Per model with a history page: the record to revert and what a hostile form changes.
REVERT_ATTEMPTS = {
    # A draft without a quote: the change form and the publish action both refuse to publish it.
    Commitment: (
        lambda: CommitmentFactory(is_published=False),
        {"title": "Retitled by a revert", "is_published": "on"},
    ),
    SourceDocument: (SourceDocumentFactory, {"title": "Retitled by a revert"}),
    Quote: (QuoteFactory, {"locator": "Changed by a revert"}),
}
HISTORY_ADMINS = sorted(
    (model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, SimpleHistoryAdmin)),
    key=lambda model: model._meta.label,
)


def test_every_model_with_a_history_page_is_tried():
    assert {model._meta.label for model in HISTORY_ADMINS} == {
        "commitments.Commitment",
        "commitments.Quote",
        "commitments.SourceDocument",
    }
    assert set(HISTORY_ADMINS) == set(REVERT_ATTEMPTS)


@pytest.mark.parametrize("role", [ANALYST, EDITOR])
@pytest.mark.parametrize("model", HISTORY_ADMINS, ids=lambda model: model._meta.model_name)
def test_the_history_page_refuses_to_write(client, role, model):
    make, changes = REVERT_ATTEMPTS[model]
    obj = make()
    client.force_login(member_of(role, "hostile"))
    version = model.history.filter(id=obj.pk).latest("history_date")
    page = admin_url(obj, "simple_history", obj.pk, version.history_id)
    shown = client.get(page)
    assert shown.status_code == 200  # reading an old version stays possible
    html = shown.content.decode()
    assert 'name="_save"' not in html and "Revert" not in html.split("<form", 1)[-1]
    form = form_fields(html, f"historical{model._meta.model_name}_form")
    assert form  # the old version's values, as a browser would post them
    before = rows_of(model)
    for _attempt in range(2):
        response = client.post(page, {**form, **changes})
        assert response.status_code in (403, 405)
    assert rows_of(model) == before


# --- 9. An oversized inline formset is refused before its forms are built ---------------------


def rendered_forms(html: str, prefix: str) -> int:
    """How many forms of the inline `prefix` the page holds (each has an id field)."""
    return len(set(re.findall(rf'name="{re.escape(prefix)}-(\d+)-id"', html)))


@pytest.mark.parametrize(
    ("prefix", "total", "refusal"),
    [
        ("quote_links", 999, "Please submit at most 50 forms."),
        ("quote_links", 1_000_000, "Please submit at most 50 forms."),
        ("criteria", 1_000_000, "Please submit at most 50 forms."),
        ("restatements", 1_000_000, "Please submit at most 50 forms."),
        ("status_updates", 1_000_000, "Please submit at most 0 forms."),  # the read-only history
        ("status_updates-2", 1_000_000, "Please submit at most 1 form."),  # the new update
    ],
)
def test_an_oversized_inline_is_refused_without_building_its_forms(
    analyst_client, django_assert_max_num_queries, prefix, total, refusal
):
    commitment = commitment_with_basis(quotes=1, updates=2, is_published=False)  # every inline open to an analyst
    url = change_url(commitment)
    form = form_fields(analyst_client.get(url).content.decode(), "commitment_form")
    assert f"{prefix}-TOTAL_FORMS" in form
    form.update({"title": "Retitled by an oversized form", f"{prefix}-TOTAL_FORMS": str(total)})
    with django_assert_max_num_queries(80):  # the page as usual (63 with the method's checks), not one per form
        response = analyst_client.post(url, form)
    assert response.status_code == 200
    html = response.content.decode()
    assert refusal in html
    assert rendered_forms(html, prefix) <= 51
    stored = Commitment.objects.get(pk=commitment.pk)
    assert stored.title != "Retitled by an oversized form" and stored.version == commitment.version


def test_a_commitment_at_every_inline_cap_with_a_long_history_still_saves(analyst_client):
    """The caps leave room for real work, and the page's fields fit DATA_UPLOAD_MAX_NUMBER_FIELDS."""
    commitment = commitment_with_basis(quotes=50, updates=40, is_published=False)  # every inline open to an analyst
    SuccessCriterion.objects.bulk_create(
        SuccessCriterion(commitment=commitment, position=index, text=f"Criterion {index}.") for index in range(2, 51)
    )
    quotes = [link.quote for link in commitment.quote_links.all()]
    Restatement.objects.bulk_create(
        Restatement(commitment=commitment, quote=quote, stated_on=datetime.date(2019, 1, 1)) for quote in quotes
    )
    commitment.refresh_from_db()
    url = change_url(commitment)
    form = form_fields(analyst_client.get(url).content.decode(), "commitment_form")
    assert len(form) > 1000  # more than Django's default DATA_UPLOAD_MAX_NUMBER_FIELDS
    form["title"] = "Retitled at the caps"
    response = analyst_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Commitment.objects.get(pk=commitment.pk).title == "Retitled at the caps"


# --- 10. History pages answer alike whether or not the id exists ------------------------------


@pytest.fixture
def one_of_each(db):
    """One stored row of every model the admin registers."""
    commitment = commitment_with_basis(quotes=1, updates=1)
    attempt = {"user_agent": "test", "ip_address": "203.0.113.7", "username": "ana", "http_accept": "*/*"}
    attempt = {**attempt, "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt)
    publish_release(actor=None, as_of=timezone.localdate())
    services.receive_suggestion(commitment=commitment, what_is_wrong="A reader's suggestion.")
    assert Group.objects.exists()
    return commitment


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_a_staff_user_without_permission_cannot_tell_which_ids_exist(client, one_of_each, model):
    outsider = UserFactory(username="outsider")  # staff, in no group
    client.force_login(outsider)
    existing = model.objects.order_by("pk").first()
    assert existing is not None
    missing_pk = model.objects.order_by("-pk").first().pk + 1000
    pages = {
        "existing": admin_url(existing, "history", existing.pk),
        "missing": admin_url(existing, "history", missing_pk),
    }
    if isinstance(admin.site._registry[model], SimpleHistoryAdmin):
        version = model.history.filter(id=existing.pk).latest("history_date").history_id
        pages["existing version"] = admin_url(existing, "simple_history", existing.pk, version)
        pages["missing record"] = admin_url(existing, "simple_history", missing_pk, version)
        pages["missing version"] = admin_url(existing, "simple_history", existing.pk, 10**9)
    answers = {name: client.get(url).status_code for name, url in pages.items()}
    assert set(answers.values()) == {403}, answers


def test_a_colleague_with_permission_still_reads_the_history(analyst_client):
    link = CommitmentQuoteFactory()
    commitment = link.commitment
    assert analyst_client.get(admin_url(commitment, "history", commitment.pk)).status_code == 200
    version = Commitment.history.filter(id=commitment.pk).latest("history_date").history_id
    assert analyst_client.get(admin_url(commitment, "simple_history", commitment.pk, version)).status_code == 200
    assert analyst_client.get(admin_url(commitment, "history", commitment.pk + 1000)).status_code == 404


def test_view_on_site_does_not_tell_a_colleague_without_permission_which_ids_exist(analyst_client):
    draft = CommitmentFactory(is_published=False)
    content_type = ContentType.objects.get_for_model(Commitment)
    existing = f"/admin/r/{content_type.pk}/{draft.pk}/"
    missing = f"/admin/r/{content_type.pk}/{draft.pk + 1000}/"
    outsider = Client()
    outsider.force_login(UserFactory(username="outsider"))  # staff, in no group
    assert [outsider.get(existing).status_code, outsider.get(missing).status_code] == [403, 403]
    assert [analyst_client.get(existing).status_code, analyst_client.get(missing).status_code] == [302, 404]
