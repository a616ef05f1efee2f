"""HTTP caching: every public answer to an anonymous reader carries a strong ETag and
Last-Modified and may be shared; a conditional request whose ETag still matches is answered
304 before any view runs; signed-in staff and pages with a personal part (a CSRF token) are
never shared; a page written once is answered from the shared cache until the next public change.

The data is committed (transaction=True): inside a test's own transaction nothing gets a
validator, since what it reads may yet be rolled back."""

import pytest
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from commitments import services
from commitments.models import Commitment
from tracker.urls import urlpatterns as site_urls

from .factories import CommitmentFactory, CommitmentQuoteFactory, commitment_with_basis, member_of
from .public_urls import public_urls

pytestmark = pytest.mark.django_db(transaction=True)

SHARED = "public, max-age=60, stale-while-revalidate=300"


def _page_with_a_form(request):
    template = engines["django"].from_string('<form method="post">{% csrf_token %}<button>Send</button></form>')
    return HttpResponse(template.render({}, request))


# The site's addresses and one page that carries a CSRF token, as a correction form would.
urlpatterns = [*site_urls, path("with-a-form/", _page_with_a_form)]


@pytest.fixture
def published():
    return commitment_with_basis(title="Alpha")


def test_every_public_answer_is_shareable_with_validators(client, published, django_assert_num_queries):
    answered = 0
    for url in public_urls():
        response = client.get(url)
        if response.status_code != 200:
            assert response.status_code in (301, 302), url
            continue
        if url.endswith("/suggest/"):  # the tell-us form carries a CSRF token: never shared
            assert response["Cache-Control"] == "private, no-store" and not response.has_header("ETag"), url
            continue
        answered += 1
        assert response["Cache-Control"] == SHARED, url
        assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/"), url
        assert response.has_header("Last-Modified"), url
        assert not response.cookies, url
        vary = response.get("Vary", "").lower()
        assert "cookie" not in vary and "accept-language" not in vary, url
        with django_assert_num_queries(1):  # the version, and no view
            again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, url
        assert again["ETag"] == response["ETag"] and again["Cache-Control"] == SHARED
        assert again.content == b""
    assert answered >= 20


def test_each_address_language_and_query_has_its_own_etag(client, published):
    etags = {client.get(url)["ETag"] for url in ("/commitments/", "/fr/commitments/", "/commitments/?q=Alpha")}
    assert len(etags) == 3


def test_a_public_change_changes_the_etag_and_a_draft_does_not(client, published):
    url = published.get_absolute_url()
    first = client.get(url)["ETag"]
    draft = CommitmentFactory(title="A draft", is_published=False)
    services.save_commitment(commitment=draft, expected_version=draft.version)
    assert client.get(url, HTTP_IF_NONE_MATCH=first).status_code == 304
    Commitment.objects.filter(pk=published.pk).update(title="Renamed")
    fresh = client.get(url, HTTP_IF_NONE_MATCH=first)
    assert fresh.status_code == 200 and "Renamed" in fresh.content.decode()
    assert fresh["ETag"] != first


def test_a_page_is_written_once_then_answered_from_the_cache(client, published, django_assert_num_queries):
    url = published.get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(1):
        kept = client.get(url)
    assert kept.content == first.content
    assert kept["X-Frame-Options"] == first["X-Frame-Options"] == "DENY"
    assert kept["Content-Security-Policy"] == first["Content-Security-Policy"]
    Commitment.objects.filter(pk=published.pk).update(title="Renamed")
    assert "Renamed" in client.get(url).content.decode()


def test_signed_in_staff_get_private_answers_and_no_304(client, published):
    url = "/commitments/"
    anonymous_etag = client.get(url)["ETag"]
    client.force_login(member_of("Analyst", "ana"))
    response = client.get(url, HTTP_IF_NONE_MATCH=anonymous_etag)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")


@pytest.mark.urls(__name__)
def test_a_page_with_a_csrf_token_is_never_shared(client, published):
    response = client.get("/with-a-form/")
    assert response.status_code == 200 and b"csrfmiddlewaretoken" in response.content
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")
    again = client.get("/with-a-form/")
    assert again.content != response.content  # a token of its own: written afresh, never kept


def test_the_admin_is_left_alone(client, published):
    response = client.get("/admin/login/")
    assert "public" not in response.get("Cache-Control", "")
    assert not response.has_header("ETag")


def test_a_download_has_validators_too(client, published):
    response = client.get("/commitments/export.csv")
    b"".join(response.streaming_content)
    assert response["Cache-Control"] == SHARED
    assert client.get("/commitments/export.csv", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_a_draft_never_reaches_a_kept_page(client, published):
    draft = CommitmentFactory(title="Secret draft", is_published=False)
    CommitmentQuoteFactory(commitment=draft, role="made")
    client.get("/commitments/")
    services.set_published(commitment=draft, published=True, actor=None)
    assert "Secret draft" in client.get("/commitments/").content.decode()
    services.set_published(commitment=draft, published=False, actor=None)
    assert "Secret draft" not in client.get("/commitments/").content.decode()
