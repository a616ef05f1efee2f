"""The admin's ingestion pages, as an analyst uses them: upload, review, quote, draft, dismiss."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.models import Commitment, DocumentFile, Quote, QuoteRole, SourceDocument, Suggestion
from commitments.services.ingestion import ingest_document
from commitments.services.roles import ANALYST, EDITOR

from .documents import FILES, blocks_of, pdf_bytes
from .factories import UserFactory, member_of

pytestmark = pytest.mark.django_db
INGEST = reverse("admin:commitments_sourcedocument_ingest")


def _pdf(number: int = 4) -> SimpleUploadedFile:
    content, _pages = pdf_bytes(blocks_of(FILES[number]), header="Running header", width=60, lines_per_page=20)
    return SimpleUploadedFile("statement.pdf", content, content_type="application/pdf")


def _review(document: SourceDocument) -> str:
    return reverse("admin:commitments_sourcedocument_review", args=[document.pk])


def test_an_analyst_brings_in_a_pdf_and_sees_its_suggestions_marked(analyst_client):
    response = analyst_client.post(INGEST, {"file": _pdf(), "title": "2016 statement", "language": ""})
    document = SourceDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == _review(document)
    assert document.language == "bilingual" and document.original.media_type == "application/pdf"
    page = analyst_client.get(_review(document)).content.decode()
    troops = Suggestion.objects.get(document=document, text__contains="600 troops")
    assert f'<mark id="suggestion-{troops.pk}"' in page
    assert "names a number with its unit" in page and "Make a quote" in page
    change = analyst_client.get(reverse("admin:commitments_sourcedocument_change", args=[document.pk])).content.decode()
    assert _review(document) in change


def test_one_click_makes_a_verbatim_quote_with_its_page_and_one_more_a_draft(analyst_client):
    analyst_client.post(INGEST, {"file": _pdf()})
    document = SourceDocument.objects.get()
    troops = Suggestion.objects.get(document=document, text__contains="600 troops")
    action = reverse("admin:commitments_suggestion_action", args=[troops.pk])
    assert analyst_client.post(action, {"action": "quote"}).status_code == 302
    quote = Quote.objects.get()
    assert quote.text == troops.text and quote.span_in_source() is not None
    assert quote.locator.startswith("page ") and quote.language == "en"
    draft = reverse("admin:commitments_quote_draft", args=[quote.pk])
    form = analyst_client.get(draft).content.decode()
    assert 'value="undertaking" selected' in form
    response = analyst_client.post(
        draft,
        {
            "title": "Up to 600 troops for peace operations",
            "summary": "Canada offers up to 600 troops.",
            "kind": "undertaking",
            "theme": "peacekeeping",
            "pillar": "react",
            "made_on": "2016-09-06",
            "made_on_precision": "day",
            "made_by": "Canada's delegation",
        },
    )
    commitment = Commitment.objects.get()
    assert response.status_code == 302 and not commitment.is_published
    assert list(commitment.quote_links.values_list("quote", "role")) == [(quote.pk, QuoteRole.MADE)]


def test_a_dismissed_suggestion_stays_dismissed(analyst_client):
    analyst_client.post(INGEST, {"file": _pdf()})
    document = SourceDocument.objects.get()
    welcomes = Suggestion.objects.get(document=document, text__startswith="Canada welcomes the progress")
    analyst_client.post(reverse("admin:commitments_suggestion_action", args=[welcomes.pk]), {"action": "dismiss"})
    page = analyst_client.get(_review(document)).content.decode()
    assert f"suggestion-{welcomes.pk}" not in page and "1 dismissed suggestion is hidden" in page


def test_any_selected_passage_becomes_a_quote_and_a_passage_not_in_the_text_does_not(analyst_client):
    analyst_client.post(INGEST, {"file": _pdf()})
    document = SourceDocument.objects.get()
    passage = reverse("admin:commitments_sourcedocument_passage", args=[document.pk])
    analyst_client.post(passage, {"passage": "Too often,   political\ndivisiveness prevents action."})
    assert Quote.objects.get().text == "Too often, political divisiveness prevents action."
    response = analyst_client.post(passage, {"passage": "Canada will send a million troops."}, follow=True)
    assert "does not occur word for word" in response.content.decode() and Quote.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("statement.pdf", b"Canada will act.", "its content is plain text"),
        ("empty.txt", b"", "The submitted file is empty."),
    ],
)
def test_a_bad_upload_is_a_400_with_the_reason_and_no_document(analyst_client, name, content, message):
    response = analyst_client.post(INGEST, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and message in response.content.decode()
    assert not SourceDocument.objects.exists() and not DocumentFile.objects.exists()


def test_an_upload_over_the_limit_is_refused_before_it_is_read(analyst_client, settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 2048
    response = analyst_client.post(INGEST, {"file": _pdf()})
    assert response.status_code == 400 and "the limit is 2.0" in response.content.decode()
    assert not SourceDocument.objects.exists()


def test_only_analysts_upload_and_only_with_the_csrf_token(client):
    staff = UserFactory(username="staff-without-a-role")
    client.force_login(staff)
    assert client.get(INGEST).status_code == 403
    assert client.post(INGEST, {"file": _pdf()}).status_code == 403
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(member_of(ANALYST, "ana"))
    assert checked.post(INGEST, {"file": _pdf()}).status_code == 403
    assert not SourceDocument.objects.exists()


def test_the_original_is_for_signed_in_staff_only(analyst_client):
    analyst_client.post(INGEST, {"file": _pdf()})
    original = DocumentFile.objects.get()
    url = reverse("admin:commitments_sourcedocument_original", args=[original.document_id])
    response = analyst_client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert Client().get(url).status_code == 302  # to the sign-in page
    # Stored under a random name, and nothing serves the storage.
    assert "statement" not in original.file.name
    assert Client().get(f"/media/{original.file.name}").status_code == 404


@pytest.mark.parametrize("copies", [1, 8])
def test_the_review_page_reads_a_constant_number_of_queries(analyst_client, copies):
    text = "\n\n".join(["Canada will send up to 600 troops. Canada supports the Kigali Principles."] * copies)
    document = ingest_document(name="many.txt", content=text.encode())
    assert Suggestion.objects.filter(document=document).count() == 2 * copies
    analyst_client.get(_review(document))  # the session and permissions, read once
    with CaptureQueriesContext(connection) as queries:
        assert analyst_client.get(_review(document)).status_code == 200
    assert len(queries) == EXPECTED_REVIEW_QUERIES


# Session, user, the user's permissions (groups and own), the document, its
# suggestions with their commitments, the original file: 7 whatever the number of suggestions.
EXPECTED_REVIEW_QUERIES = 7


def test_deleting_a_document_deletes_its_original_once_committed(analyst_client, django_capture_on_commit_callbacks):
    analyst_client.post(INGEST, {"file": _pdf()})
    original = DocumentFile.objects.get()
    storage, name = original.file.storage, original.file.name
    assert storage.exists(name)
    editor = Client()
    editor.force_login(member_of(EDITOR, "eddie"))
    delete = reverse("admin:commitments_sourcedocument_delete", args=[original.document_id])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = editor.post(delete, {"post": "yes"})
        assert response.status_code == 302
        assert not SourceDocument.objects.exists() and not DocumentFile.objects.exists()
        assert storage.exists(name), "deleted before the deletion was committed"
    for callback in callbacks:
        callback()
    assert not storage.exists(name)


def test_a_deletion_rolled_back_keeps_the_original(analyst_client, django_capture_on_commit_callbacks):
    analyst_client.post(INGEST, {"file": _pdf()})
    original = DocumentFile.objects.get()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            original.document.delete()
            raise RuntimeError("the deletion fails after the row is gone")
    assert DocumentFile.objects.filter(pk=original.pk).exists()
    assert original.file.storage.exists(original.file.name)
