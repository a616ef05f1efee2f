"""Tell us: a reader suggests a correction or new evidence; editors handle it in the admin.

The form is on its own page (never cached: it holds a CSRF token), lands in the editors'
queue only, is limited per address, drops a filled honeypot, refuses oversized input with a
message, and keeps the reader's e-mail address only until an editor handles it."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.test import Client

from commitments import services
from commitments.models import Commitment, ReaderSuggestion
from commitments.services.roles import ANALYST, EDITOR

from .factories import CommitmentFactory, commitment_with_basis, member_of

SUGGESTION = {
    "what_is_wrong": "The 2018 figure is out of date: 300 troops were deployed.",
    "evidence_url": "https://www.canada.ca/en/news/deployment.html",
    "name": "A reader",
    "email": "reader@example.org",
    "website": "",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the per-address counters
    yield
    cache.clear()


@pytest.fixture
def commitment(db):
    return commitment_with_basis(quotes=1, updates=1)


def suggest_url(commitment) -> str:
    return f"/commitments/{commitment.slug}/suggest/"


def test_the_commitment_page_links_to_the_form_and_holds_no_csrf_token(client, commitment):
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert f'href="{suggest_url(commitment)}"' in page
    assert "csrfmiddlewaretoken" not in page  # the page stays shareable by caches


@pytest.mark.parametrize("language", ["", "/fr"])
def test_the_form_says_how_long_the_address_is_kept_and_is_never_cached(client, commitment, language):
    response = client.get(f"{language}{suggest_url(commitment)}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "csrfmiddlewaretoken" in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    said = "deleted as soon as your suggestion is handled" if not language else "supprimée dès que"
    assert said in page


def test_a_suggestion_lands_in_the_queue_and_nowhere_public(client, commitment):
    response = client.post(suggest_url(commitment), SUGGESTION)
    assert response.status_code == 302
    assert response["Location"] == f"/commitments/{commitment.slug}/suggest/thanks/"
    suggestion = ReaderSuggestion.objects.get()
    assert suggestion.commitment == commitment and suggestion.email == SUGGESTION["email"]
    assert suggestion.handled_at is None
    thanks = client.get(response["Location"]).content.decode()
    assert "received your suggestion" in thanks
    for url in (commitment.get_absolute_url(), "/corrections/", "/updates/", f"/api/commitments/{commitment.slug}/"):
        assert "300 troops were deployed" not in client.get(url).content.decode(), url


def test_the_form_is_csrf_protected(commitment):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(suggest_url(commitment), SUGGESTION).status_code == 403
    assert not ReaderSuggestion.objects.exists()


def test_a_filled_honeypot_is_thanked_like_anyone_and_dropped(client, commitment):
    response = client.post(suggest_url(commitment), {**SUGGESTION, "website": "http://spam.example"})
    assert response.status_code == 302 and response["Location"].endswith("/suggest/thanks/")
    assert not ReaderSuggestion.objects.exists()


def test_oversized_input_is_refused_with_a_message(client, commitment):
    response = client.post(suggest_url(commitment), {**SUGGESTION, "what_is_wrong": "x" * 2001})
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    huge = client.post(suggest_url(commitment), {**SUGGESTION, "what_is_wrong": "x" * 100_000})
    assert huge.status_code == 413
    assert "too long to send" in huge.content.decode()
    bad_address = client.post(suggest_url(commitment), {**SUGGESTION, "email": "not an address"})
    assert bad_address.status_code == 400 and "Enter a valid email address" in bad_address.content.decode()
    assert not ReaderSuggestion.objects.exists()


def test_each_address_may_send_five_an_hour(client, commitment, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    one = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(5):
        assert client.post(suggest_url(commitment), SUGGESTION, **one).status_code == 302
    refused = client.post(suggest_url(commitment), SUGGESTION, **one)
    assert refused.status_code == 429
    assert "Too many suggestions" in refused.content.decode()
    # A client cannot escape by writing its own X-Forwarded-For entries before the proxy's.
    forged = {"HTTP_X_FORWARDED_FOR": "203.0.113.99, 198.51.100.7"}
    assert client.post(suggest_url(commitment), SUGGESTION, **forged).status_code == 429
    # Another reader is not held back.
    assert client.post(suggest_url(commitment), SUGGESTION, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302
    assert ReaderSuggestion.objects.count() == 6


def test_drafts_take_no_suggestions(client, db):
    draft = CommitmentFactory(is_published=False)
    assert client.get(suggest_url(draft)).status_code == 404
    assert client.post(suggest_url(draft), SUGGESTION).status_code == 404
    assert client.get(f"/commitments/{draft.slug}/suggest/thanks/").status_code == 404


def test_an_editor_handles_a_suggestion_and_the_address_goes(client, commitment):
    client.post(suggest_url(commitment), SUGGESTION)
    suggestion = ReaderSuggestion.objects.get()
    correction = commitment.status_updates.first()
    editor = member_of(EDITOR, "eddie")
    client.force_login(editor)
    queue = client.get("/admin/commitments/readersuggestion/?state=open").content.decode()
    assert "The 2018 figure is out of date" in queue
    page = f"/admin/commitments/readersuggestion/{suggestion.pk}/change/"
    response = client.post(page, {"handling_note": "Checked; recorded a correction.", "led_to": correction.pk})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.handled_by == editor and suggestion.handled_at is not None
    assert suggestion.led_to == correction and suggestion.email == ""
    assert "The 2018 figure" not in client.get("/admin/commitments/readersuggestion/?state=open").content.decode()


def test_the_bulk_action_marks_handled(client, commitment):
    for _ in range(2):
        client.post(suggest_url(commitment), SUGGESTION)
    client.force_login(member_of(EDITOR, "eddie"))
    ids = list(ReaderSuggestion.objects.values_list("pk", flat=True))
    response = client.post(
        "/admin/commitments/readersuggestion/", {"action": "mark_handled", "_selected_action": ids}, follow=True
    )
    assert "2 suggestions marked handled." in response.content.decode()
    assert not ReaderSuggestion.objects.filter(handled_at__isnull=True).exists()
    assert set(ReaderSuggestion.objects.values_list("email", flat=True)) == {""}


def test_only_editors_handle_suggestions(client, commitment):
    services.receive_suggestion(commitment=commitment, what_is_wrong="Wrong.", email="r@example.org")
    suggestion = ReaderSuggestion.objects.get()
    analyst = member_of(ANALYST, "ana")
    with pytest.raises(PermissionDenied):
        services.handle_suggestion(actor=analyst, suggestion=suggestion)
    client.force_login(analyst)
    assert client.get("/admin/commitments/readersuggestion/").status_code == 403


def test_the_update_it_led_to_is_one_of_the_same_commitment(commitment):
    other = commitment_with_basis(quotes=1, updates=1)
    suggestion = services.receive_suggestion(commitment=commitment, what_is_wrong="Wrong.")
    with pytest.raises(Exception, match="same commitment"):
        services.handle_suggestion(actor=None, suggestion=suggestion, led_to=other.status_updates.first())


def test_the_database_refuses_a_handled_suggestion_that_keeps_its_address(commitment):
    with pytest.raises(IntegrityError):
        ReaderSuggestion.objects.create(
            commitment=commitment, what_is_wrong="Wrong.", email="r@example.org", handled_at="2026-01-01T00:00Z"
        )


def test_an_unpublished_commitment_is_refused_by_the_service(db):
    draft = CommitmentFactory(is_published=False)
    with pytest.raises(Exception, match="published commitments only"):
        services.receive_suggestion(commitment=draft, what_is_wrong="Wrong.")
    assert Commitment.objects.filter(pk=draft.pk).exists()
