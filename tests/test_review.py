"""Two-person review: an update counts and is public only once someone else approved it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from commitments import services
from commitments.models import ReviewState, Status, StatusUpdate
from commitments.services.roles import ANALYST, EDITOR

from .factories import CommitmentFactory, CommitmentQuoteFactory, member_of
from .helpers import text_of

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:commitments_statusupdate_changelist")


@pytest.fixture
def people(db):
    return {
        "ana": member_of(ANALYST, "ana"),
        "eddie": member_of(EDITOR, "eddie"),
        "edna": member_of(EDITOR, "edna"),
    }


@pytest.fixture
def commitment(db):
    commitment = CommitmentFactory(target_value=600, target_unit="troops")
    CommitmentQuoteFactory(commitment=commitment)
    return commitment


def record(commitment, author, **fields):
    defaults = dict(
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 3, 19),
        progress_value=250,
        progress_stage="pledged",
        rationale="About 250 personnel announced for Mali.",
        evidence_url="https://example.org/mali",
    )
    return services.record_status_update(commitment=commitment, recorded_by=author, **{**defaults, **fields})


def test_a_recorded_update_is_pending_and_does_not_count(commitment, people):
    update = record(commitment, people["ana"])
    assert update.review_state == ReviewState.PENDING
    commitment.refresh_from_db()
    assert (commitment.current_status, commitment.current_progress) == (Status.NOT_ASSESSED, None)
    assert not StatusUpdate.objects.public().exists()


def test_an_editor_who_is_not_the_author_approves_and_the_status_follows(commitment, people):
    update = record(commitment, people["ana"])
    services.approve_status_update(update=update, reviewer=people["eddie"])
    update.refresh_from_db()
    assert (update.review_state, update.reviewed_by) == (ReviewState.APPROVED, people["eddie"])
    assert update.reviewed_at is not None
    commitment.refresh_from_db()
    assert (commitment.current_status, commitment.current_progress) == (Status.IN_PROGRESS, 250)
    assert list(StatusUpdate.objects.public()) == [update]


def test_an_author_cannot_approve_their_own_update_even_as_an_editor(commitment, people):
    update = record(commitment, people["eddie"])
    with pytest.raises(ValidationError, match="someone else must approve"):
        services.approve_status_update(update=update, reviewer=people["eddie"])
    update.refresh_from_db()
    assert update.review_state == ReviewState.PENDING
    services.approve_status_update(update=update, reviewer=people["edna"])
    assert StatusUpdate.objects.approved().get() == update


def test_the_database_refuses_an_author_as_reviewer(commitment, people):
    update = record(commitment, people["eddie"])
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.filter(pk=update.pk).update(review_state=ReviewState.APPROVED, reviewed_by=people["eddie"])


def test_the_database_refuses_a_pending_update_with_a_reviewer(commitment, people):
    update = record(commitment, people["ana"])
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.filter(pk=update.pk).update(reviewed_by=people["eddie"])


def test_an_analyst_cannot_approve(commitment, people):
    colleague = member_of(ANALYST, "andy")
    update = record(commitment, colleague)
    with pytest.raises(PermissionDenied):
        services.approve_status_update(update=update, reviewer=people["ana"])


def test_an_update_is_approved_once(commitment, people):
    update = record(commitment, people["ana"])
    services.approve_status_update(update=update, reviewer=people["eddie"])
    with pytest.raises(ValidationError, match="no longer pending review \\(approved\\)"):
        services.approve_status_update(update=update, reviewer=people["edna"])


def test_a_later_pending_update_does_not_replace_the_approved_status(commitment, people):
    first = record(commitment, people["ana"], status=Status.IN_PROGRESS)
    services.approve_status_update(update=first, reviewer=people["eddie"])
    record(
        commitment,
        people["ana"],
        status=Status.ABANDONED,
        as_of=datetime.date(2020, 1, 1),
        progress_value=None,
        progress_stage="",
        reason_code="position_changed",
        reason_text="Dropped.",
    )
    commitment.refresh_from_db()
    assert commitment.current_status == Status.IN_PROGRESS


def test_pending_updates_are_not_on_the_page_export_or_api(client, commitment, people):
    record(commitment, people["ana"], rationale="Awaiting a second pair of eyes.")
    pages = [
        commitment.get_absolute_url(),
        reverse("commitments:update-list"),
        reverse("commitments:update-export"),
        reverse("commitments:home"),
        reverse("api:update-list"),
        reverse("api:commitment-detail", kwargs={"slug": commitment.slug}),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Awaiting a second pair of eyes." not in text_of(response), url


def queue_html(client, **params) -> str:
    return client.get(QUEUE, params).content.decode()


def test_the_review_queue_counts_and_lists_what_awaits_each_editor(client, commitment, people):
    mine = record(commitment, people["eddie"], rationale="Eddie's own reading.")
    anas = record(commitment, people["ana"], rationale="Ana's reading.", as_of=datetime.date(2018, 4, 1))
    approved = record(commitment, people["ana"], rationale="Already checked.", as_of=datetime.date(2018, 5, 1))
    services.approve_status_update(update=approved, reviewer=people["edna"])
    client.force_login(people["eddie"])
    html = queue_html(client)
    assert "Pending review (2)" in html and "Approved (1)" in html and "Awaiting my review (1)" in html
    awaiting = queue_html(client, review="awaiting_me")
    assert f"/statusupdate/{anas.pk}/change/" in awaiting
    assert f"/statusupdate/{mine.pk}/change/" not in awaiting
    assert f"/statusupdate/{approved.pk}/change/" not in awaiting


def approve_through_queue(client, update):
    return client.post(
        QUEUE, {"action": "approve", "_selected_action": [update.pk], "index": 0}, follow=True
    ).content.decode()


def test_an_editor_approves_in_the_queue_but_not_their_own(client, commitment, people):
    others = record(commitment, people["ana"])
    own = record(commitment, people["eddie"], as_of=datetime.date(2018, 4, 1))
    client.force_login(people["eddie"])
    html = approve_through_queue(client, own)
    assert "someone else must approve" in html
    html = approve_through_queue(client, others)
    assert "1 status update approved." in html
    states = dict(StatusUpdate.objects.values_list("pk", "review_state"))
    assert states == {others.pk: ReviewState.APPROVED, own.pk: ReviewState.PENDING}


def test_an_analyst_is_not_offered_the_approve_action(client, commitment, people):
    update = record(commitment, member_of(ANALYST, "andy"))
    client.force_login(people["ana"])
    assert 'value="approve"' not in queue_html(client)
    approve_through_queue(client, update)
    update.refresh_from_db()
    assert update.review_state == ReviewState.PENDING


def test_an_editor_returns_an_update_to_its_author_with_the_reason(client, commitment, people):
    update = record(commitment, people["ana"], rationale="Counts an offer as a deployment.")
    client.force_login(people["eddie"])
    asked = client.post(QUEUE, {"action": "return_to_author", "_selected_action": [update.pk], "index": 0})
    assert "Why are they returned?" in asked.content.decode()
    done = client.post(
        QUEUE,
        {"action": "return_to_author", "_selected_action": [update.pk], "note": "An offer is not a deployment."},
        follow=True,
    ).content.decode()
    assert "1 status update returned." in done
    update.refresh_from_db()
    assert (update.review_state, update.review_note) == (ReviewState.RETURNED, "An offer is not a deployment.")
    assert "Returned to its author (1)" in queue_html(client)
    commitment.refresh_from_db()
    assert commitment.current_status == Status.NOT_ASSESSED
    assert not StatusUpdate.objects.public().exists()
    with pytest.raises(ValidationError, match="no longer pending review \\(returned to its author\\)"):
        services.approve_status_update(update=update, reviewer=people["edna"])


def test_returning_needs_a_reason_and_someone_else(commitment, people):
    update = record(commitment, people["eddie"])
    with pytest.raises(ValidationError, match="someone else"):
        services.return_status_update(update=update, reviewer=people["eddie"], note="Mine.")
    with pytest.raises(ValidationError, match="Say why"):
        services.return_status_update(update=update, reviewer=people["edna"], note="  ")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.filter(pk=update.pk).update(review_state=ReviewState.RETURNED, reviewed_by=people["edna"])
