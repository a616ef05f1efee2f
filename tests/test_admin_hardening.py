"""The admin against a hostile colleague (issue 16): no write path around the services' rules."""

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from commitments.models import Commitment, Quote, SourceDocument
from commitments.services.roles import ANALYST, EDITOR

from .factories import (
    CommitmentFactory,
    QuoteFactory,
    SourceDocumentFactory,
    member_of,
)
from .helpers import form_fields

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
    version = model.history.filter(pk=obj.pk).latest("history_date")
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
