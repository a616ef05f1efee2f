"""Read-only JSON API. Lists read the same listings as the table pages and CSV exports."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.reverse import reverse

from .. import listings, selectors
from ..listings import InvalidFilters, Listing
from .serializers import (
    CommitmentDetailSerializer,
    CommitmentSerializer,
    DocumentSerializer,
    DocumentSummarySerializer,
    StatusUpdateSerializer,
)


def listing_parameters(listing: Listing) -> list[OpenApiParameter]:
    """The listing's filters and sort keys, for the OpenAPI schema, read from its FilterSet and
    Table so the documentation cannot drift from what the list accepts."""
    parameters = []
    for name, definition in listing.filterset_class.base_filters.items():
        choices = definition.extra.get("choices")
        parameters.append(
            OpenApiParameter(
                name,
                OpenApiTypes.DATE if isinstance(definition, django_filters.DateFilter) else OpenApiTypes.STR,
                description=str(definition.label or name),
                enum=[value for value, _label in choices] if isinstance(choices, list | tuple) else None,
            )
        )
    sortable = [column.name for column in listing.table_class([]).columns if column.orderable]
    parameters.append(
        OpenApiParameter(
            "sort",
            OpenApiTypes.STR,
            description="Sort by a column; a leading '-' sorts descending.",
            enum=[*sortable, *(f"-{name}" for name in sortable)],
        )
    )
    return parameters


class ListingAPIView(generics.ListAPIView):
    """Filters (`?status=…`, `?q=…`, …) and `?sort=` work as on the table page."""

    # Set by a subclass or by as_view(listing=…), which takes only names the class already has.
    listing: Listing = None  # type: ignore[assignment]

    def get_queryset(self):
        try:
            return self.listing.filtered(self.request.query_params)
        except InvalidFilters as invalid:
            raise exceptions.ValidationError(invalid.errors) from invalid


@extend_schema_view(get=extend_schema(parameters=listing_parameters(listings.COMMITMENTS)))
class CommitmentList(ListingAPIView):
    listing = listings.COMMITMENTS
    serializer_class = CommitmentSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # REST_FRAMEWORK sets a page size: the list always pages
        # A row shows only its documents' slugs, read for the whole page as values.
        context = {
            **self.get_serializer_context(),
            "document_slugs": selectors.document_slugs([commitment.pk for commitment in page]),
        }
        return self.get_paginated_response(self.get_serializer(page, many=True, context=context).data)


class CommitmentDetail(generics.RetrieveAPIView):
    serializer_class = CommitmentDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.commitment_detail()


@extend_schema_view(get=extend_schema(parameters=listing_parameters(listings.STATUS_UPDATES)))
class StatusUpdateList(ListingAPIView):
    listing = listings.STATUS_UPDATES
    serializer_class = StatusUpdateSerializer


# Public documents, not selectors.source_list(): the API shows none of its quote and
# commitment counts, which cost 2 s a page over the benchmark's 10,000 commitments.
class DocumentList(generics.ListAPIView):
    serializer_class = DocumentSummarySerializer

    def get_queryset(self):
        return selectors.public_documents().defer("full_text")  # the summary leaves it out


class DocumentDetail(generics.RetrieveAPIView):
    serializer_class = DocumentSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.public_documents()


@extend_schema(exclude=True)
@api_view(["GET"])
def api_root(request, format=None):
    return Response(
        {
            name: reverse(f"api:{name}", request=request, format=format)
            for name in ("commitment-list", "update-list", "document-list", "schema")
        }
    )
