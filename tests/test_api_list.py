"""The API list writes its rows faster than DRF's own way (serializers.FlatListSerializer and
api.CommitmentList): what a client downloads must stay byte for byte what CommitmentSerializer
writes, whatever the filters, sort, page and language."""

import datetime
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from commitments import selectors
from commitments.api.serializers import (
    CommitmentDetailSerializer,
    CommitmentSerializer,
    FlatListSerializer,
    StatusUpdateSerializer,
)
from commitments.api.views import CommitmentList
from commitments.listings import COMMITMENTS
from commitments.models import Commitment, Status, StatusUpdate

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    SourceDocumentFactory,
    commitment_with_basis,
    record_approved,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied(db):
    """Commitments unlike each other in every way a row can differ, over two pages."""
    old, new, undated = (
        SourceDocumentFactory(issued_on=datetime.date(2001, 1, 1)),
        SourceDocumentFactory(issued_on=datetime.date(2020, 1, 1)),
        SourceDocumentFactory(issued_on=datetime.date(2010, 6, 1)),
    )
    for index in range(30):
        commitment = commitment_with_basis(
            quotes=index % 3,
            updates=index % 4,
            made_on=datetime.date(2005 + index % 7, 1 + index % 12, 1),
            made_on_precision=("day", "month", "year")[index % 3],
            title_fr=f"Déployer des troupes, engagement {index}" if index % 2 else "",
            summary_fr="Le Canada déploiera des troupes." if index % 2 else "",
            theme=("peacekeeping", "un_reform", "prevention")[index % 3],
            pillar=("prevent", "react")[index % 2],
            deadline=datetime.date(2030, 1, 1) if index % 5 else None,
        )
        if index % 6 == 0:  # no numeric target
            Commitment.objects.filter(pk=commitment.pk).update(target_value=None, target_unit="", target_text="")
        elif index % 6 == 1:  # a target with cents
            Commitment.objects.filter(pk=commitment.pk).update(target_value=Decimal("1234.5"))
        # Quotes from documents out of date order, two of them from the same document.
        for document in (new, old, new)[: index % 4]:
            CommitmentQuoteFactory(commitment=commitment, quote=QuoteFactory(source=document), role="reaffirmed")
        if index % 7 == 0:
            CommitmentQuoteFactory(commitment=commitment, quote=QuoteFactory(source=undated), role="reaffirmed")
        if index % 4 == 3:
            record_approved(
                commitment=commitment,
                status=Status.STALLED,
                as_of=datetime.date(2021, 5, 1),
                reason_code="blocked_by_others",
                reason_text="The Council did not act.",
                rationale="Nothing moved.",
                evidence_url="https://example.org/council",
            )
    CommitmentFactory(title="Hidden draft", slug="hidden-draft", is_published=False)


def as_commitment_serializer_writes(response, params: QueryDict) -> bytes:
    """The response's page as CommitmentSerializer writes each row, one by one, from the
    listing's rows with their prefetched quote links (what the API list wrote before)."""
    number, size = int(params.get("page", 1)), 25
    rows = COMMITMENTS.filtered(params)[(number - 1) * size : number * size]
    request = Request(response.renderer_context["request"]._request)
    results = [CommitmentSerializer(row, context={"request": request}).data for row in rows]
    return JSONRenderer().render({**response.data, "results": results})


SORTS = ["title", "theme", "pillar", "current_status", "target", "progress", "made_on", "source"]
QUERIES = [
    "",
    "page=2",
    *(f"sort={key}" for key in SORTS),
    *(f"sort=-{key}&page=2" for key in SORTS),
    "sort=nonsense",
    "status=stalled",
    "theme=un_reform&sort=-made_on",
    "as_of=2019-01-01",
    "as_of=2022-01-01&sort=-current_status",
    "q=troops&sort=progress",
    "q=nothing-matches-this",
]


def test_api_list_writes_what_commitment_serializer_writes(client, varied):
    for query in QUERIES:
        response = client.get(f"{reverse('api:commitment-list')}?{query}")
        assert response.status_code == 200, query
        assert response.content == as_commitment_serializer_writes(response, QueryDict(query)), query
        assert "hidden-draft" not in response.content.decode()


def test_api_list_writes_what_commitment_serializer_writes_in_french(varied):
    """The page links follow the active language (/fr/…): the list reverses them per page."""
    view = CommitmentList.as_view()
    for query in ("", "sort=-title&page=2"):
        with translation.override("fr"):
            response = view(APIRequestFactory().get("/api/commitments/", QueryDict(query)))
            response.render()
            assert "/fr/commitments/" in response.content.decode()
            assert response.content == as_commitment_serializer_writes(response, QueryDict(query)), query


def test_rows_show_their_documents_earliest_first_once_each(client, varied):
    rows = client.get(reverse("api:commitment-list"), {"sort": "made_on"}).json()["results"]
    for row in rows:
        commitment = Commitment.objects.get(slug=row["slug"])
        links = commitment.quote_links.order_by("quote__source__issued_on", "quote_id")
        expected = list(dict.fromkeys(link.quote.source.slug for link in links))
        assert row["source_documents"] == expected
    assert any(len(row["source_documents"]) >= 3 for row in rows)


def test_bad_input_is_a_400_in_drf_error_shape(client, db):
    response = client.get(reverse("api:commitment-list"), {"status": "nonsense"})
    assert response.status_code == 400
    assert list(response.json()) == ["status"] and "nonsense" in response.json()["status"][0]


def request_for(path: str) -> Request:
    return Request(APIRequestFactory().get(path))


def test_flat_list_serializer_writes_nested_and_related_fields_as_drf(varied):
    """Fields it does not write itself (nested lists, relations, methods) go DRF's way."""
    request = request_for("/api/")
    context = {"request": request}
    detail = list(selectors.commitment_detail()[:6])
    assert isinstance(CommitmentDetailSerializer(detail, many=True, context=context), FlatListSerializer)
    assert CommitmentDetailSerializer(detail, many=True, context=context).data == [
        CommitmentDetailSerializer(commitment, context=context).data for commitment in detail
    ]
    updates = list(StatusUpdate.objects.select_related("commitment")[:20])
    flat = FlatListSerializer(updates, child=StatusUpdateSerializer(), context=context)
    assert flat.data == [StatusUpdateSerializer(update).data for update in updates]


def test_api_list_view_reads_documents_in_one_query(django_assert_num_queries, varied):
    view = CommitmentList.as_view()
    with django_assert_num_queries(3):  # count, page, the page's document slugs
        response = view(APIRequestFactory().get("/api/commitments/", QueryDict("sort=source")))
        response.render()
    assert len(response.data["results"]) == 25
