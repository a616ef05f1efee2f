"""The number of queries a page makes must not grow with its rows."""

import pytest
from django.db import connection
from django.urls import reverse

from commitments.listings.rendering import PAGE_SIZE
from commitments.models import SourceDocument, Status
from commitments.views.sources import SourceListView

from .factories import RestatementFactory, commitment_with_basis, public_flags_set, record_approved

pytestmark = pytest.mark.django_db


def make(count: int) -> None:
    for _ in range(count):
        commitment_with_basis(quotes=3, updates=3)
    public_flags_set()


# Sessions and auth add none for anonymous readers; these are the page's own reads.
EXPECTED = {
    # count, rows, quote links with documents; documents, years and bodies for the filter form
    # (documents and bodies are kept in the cache between commits: not in a test's transaction)
    "list": 6,
    "list_one_page": 5,  # the same but the count: a result that fits on page 1 is counted by its rows
    # the rows with their documents' and criteria's text (models.sourcetext): plain values,
    # 2,000 rows a fetch (the years only validate a ?year=)
    "export": 1,
    # commitment, quote links with documents, their quotes' translations, status history,
    # criteria, restatements
    "detail": 6,
    "api-detail": 6,  # the same reads as the page
    "corrections": 2,  # count, rows (each with the update it corrects)
    "methodology": 0,
    "data": 1,  # the releases; the data dictionary is the code's (never the records': it read every quote)
    # count, a page of 100 documents with their counts (subqueries); the count left out while
    # they fit on one page (3 documents a commitment: 15 at size 5, 150 at 50)
    "sources": 2,
    "sources_one_page": 1,
    # count, rows with their commitments and evidence quotes (and the quotes' documents), the
    # commitments for the filter's select
    "updates": 3,
    "quotes": 6,  # count, rows, the commitments they rest on, restate, evidence; documents for the filter form
    "feed": 1,
    "api-updates": 2,  # count, rows
    "updates-export": 1,
    # counts by kind and status, past deadline and due, counts by theme, pillar and body, numeric
    # targets, latest updates
    "home": 5,
    "commitment-feed": 2,  # the commitment, its latest public updates
    "table-feed": 1,  # the latest public updates among the filtered rows (a subquery)
    "embed": 2,  # the commitment, its quote links with their quotes and documents
    "card": 2,  # the same reads as the embed (the image itself is kept in the cache)
    "sitemap": 2,  # published commitments, public documents (a page of each)
    "suggest": 1,  # the commitment
}


@pytest.mark.parametrize("size", [5, 50])
def test_list_export_and_home_queries_are_constant(client, django_assert_num_queries, size):
    make(size)
    with django_assert_num_queries(EXPECTED["list"] if size > PAGE_SIZE else EXPECTED["list_one_page"]):
        assert client.get(reverse("commitments:commitment-list")).status_code == 200
    with django_assert_num_queries(EXPECTED["export"]):
        b"".join(client.get(reverse("commitments:commitment-export")).streaming_content)
    with django_assert_num_queries(EXPECTED["home"]):
        client.get(reverse("commitments:home"))
    one_page = SourceDocument.objects.count() <= SourceListView.paginate_by
    with django_assert_num_queries(EXPECTED["sources_one_page"] if one_page else EXPECTED["sources"]):
        assert client.get(reverse("commitments:source-list")).status_code == 200
    with django_assert_num_queries(EXPECTED["methodology"]):
        assert client.get(reverse("commitments:methodology")).status_code == 200


@pytest.mark.parametrize("size", [2, 30])
def test_corrections_page_queries_are_constant(client, django_assert_num_queries, size):
    for _ in range(size):
        commitment = commitment_with_basis(quotes=1, updates=1)
        record_approved(
            commitment=commitment,
            status=Status.NOT_STARTED,
            as_of=commitment.status_as_of,
            rationale="Nothing had been done yet.",
            evidence_url="https://example.org/correction",
            corrects=commitment.status_updates.get(),
            correction_note="The earlier reading counted an announcement as a deployment.",
        )
    with django_assert_num_queries(EXPECTED["corrections"]):
        html = client.get(reverse("commitments:corrections")).content.decode()
    assert html.count("counted an announcement as a deployment") == size


@pytest.mark.parametrize("updates", [2, 40])
def test_detail_queries_are_constant(client, django_assert_num_queries, updates):
    commitment = commitment_with_basis(quotes=updates // 2 + 1, updates=updates)
    for link in commitment.quote_links.all()[1:]:  # each later quote also restates it
        RestatementFactory(commitment=commitment, quote=link.quote)
    for update in list(commitment.status_updates.all())[: updates // 2]:  # corrected, citing a quote
        record_approved(
            commitment=commitment,
            status=Status.IN_PROGRESS,
            as_of=update.as_of,
            rationale="The reading counted troops pledged as deployed.",
            evidence_quote=commitment.quote_links.first().quote,
            corrects=update,
            correction_note="Pledged, not deployed.",
        )
    with django_assert_num_queries(EXPECTED["detail"]):
        html = client.get(commitment.get_absolute_url()).content.decode()
    assert "Corrects the assessment as of" in html and "Pledged, not deployed." in html
    assert f'href="{commitment.quote_links.first().quote.get_absolute_url()}"' in html
    with django_assert_num_queries(EXPECTED["api-detail"]):
        assert client.get(reverse("api:commitment-detail", kwargs={"slug": commitment.slug})).status_code == 200


@pytest.mark.parametrize("quotes", [1, 20])
def test_source_page_queries_are_constant(client, django_assert_num_queries, quotes):
    commitment = commitment_with_basis(quotes=quotes, updates=0)
    document = commitment.quote_links.first().quote.source
    with django_assert_num_queries(3):  # document, its quotes, their commitments
        assert client.get(document.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("size", "expected"), [(2, "list_one_page"), (20, "list_one_page"), (30, "list"), (60, "list")]
)
def test_list_queries_are_constant_on_one_page_and_on_many(client, django_assert_num_queries, size, expected):
    make(size)
    with django_assert_num_queries(EXPECTED[expected]):
        response = client.get(reverse("commitments:commitment-list"))
    assert response.context["table"].paginator.count == size


@pytest.mark.parametrize("size", [PAGE_SIZE + 1, 2 * PAGE_SIZE])  # more than a page: counted
def test_updates_with_quoted_evidence_read_in_constant_queries(client, django_assert_num_queries, size):
    """/updates/, its CSV, the feed and the API show each update's evidence quote (issue 21)
    from the rows' own query: a quote is joined, never read per row."""
    for _ in range(size):
        commitment = commitment_with_basis(quotes=1, updates=0)
        record_approved(
            commitment=commitment,
            status=Status.IN_PROGRESS,
            as_of=commitment.made_on,
            rationale="The words show it.",
            evidence_quote=commitment.quote_links.first().quote,
        )
    public_flags_set()
    for path, expected in (
        ("/updates/", EXPECTED["updates"]),
        ("/fr/updates/", EXPECTED["updates"]),
        ("/quotes/", EXPECTED["quotes"]),
        ("/updates.atom", EXPECTED["feed"]),
        ("/api/updates/", EXPECTED["api-updates"]),
    ):
        with django_assert_num_queries(expected):
            assert client.get(path).status_code == 200, path
    # PostgreSQL writes the CSV with COPY on its own cursor, which Django does not count.
    with django_assert_num_queries(0 if connection.vendor == "postgresql" else EXPECTED["updates-export"]):
        body = b"".join(client.get("/updates/export.csv").streaming_content).decode()
    assert body.count("Canada will deploy up to") == size


@pytest.mark.parametrize("size", [3, 30])
def test_follow_share_and_suggest_queries_are_constant(client, django_assert_num_queries, size):
    make(size)
    commitment = commitment_with_basis(quotes=size, updates=size)
    with django_assert_num_queries(EXPECTED["commitment-feed"]):
        assert client.get(reverse("commitments:commitment-feed", args=(commitment.slug,))).status_code == 200
    with django_assert_num_queries(EXPECTED["table-feed"]):
        assert client.get(reverse("commitments:commitment-table-feed") + "?theme=peacekeeping").status_code == 200
    with django_assert_num_queries(EXPECTED["table-feed"]):
        assert client.get(reverse("commitments:update-feed") + "?status=in_progress").status_code == 200
    with django_assert_num_queries(EXPECTED["embed"]):
        assert client.get(reverse("commitments:embed", args=(commitment.slug,))).status_code == 200
    with django_assert_num_queries(EXPECTED["card"]):
        assert client.get(reverse("commitments:commitment-card", args=(commitment.slug,))).status_code == 200
    with django_assert_num_queries(EXPECTED["sitemap"]):
        assert client.get("/sitemap.xml").status_code == 200
    with django_assert_num_queries(EXPECTED["suggest"]):
        assert client.get(reverse("commitments:suggest", args=(commitment.slug,))).status_code == 200


@pytest.mark.parametrize("size", [2, 30])
def test_the_data_dictionary_reads_none_of_the_records(client, django_assert_num_queries, size):
    make(size)
    with django_assert_num_queries(EXPECTED["data"]) as captured:
        assert client.get(reverse("commitments:data")).status_code == 200
    assert not [query["sql"] for query in captured.captured_queries if "commitments_quote" in query["sql"]]
