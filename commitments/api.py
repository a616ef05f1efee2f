"""Read-only JSON API. Lists read the same listings as the table pages and CSV exports."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.reverse import reverse

from . import listings, selectors
from .listings import InvalidFilters, Listing
from .serializers import (
    CommitmentDetailSerializer,
    CommitmentSerializer,
    DocumentSerializer,
    DocumentSummarySerializer,
    StatusUpdateSerializer,
)


class ListingAPIView(generics.ListAPIView):
    """Filters (`?status=…`, `?q=…`, …) and `?sort=` work as on the table page."""

    listing: Listing | None = None  # set by a subclass or as_view(listing=…)

    def get_queryset(self):
        try:
            return self.listing.filtered(self.request.query_params)
        except InvalidFilters as invalid:
            raise exceptions.ValidationError(invalid.errors) from invalid


class CommitmentList(ListingAPIView):
    listing = listings.COMMITMENTS
    serializer_class = CommitmentSerializer


class CommitmentDetail(generics.RetrieveAPIView):
    serializer_class = CommitmentDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.commitment_detail()


class StatusUpdateList(ListingAPIView):
    listing = listings.STATUS_UPDATES
    serializer_class = StatusUpdateSerializer


class DocumentList(generics.ListAPIView):
    serializer_class = DocumentSummarySerializer

    def get_queryset(self):
        return selectors.source_list()


class DocumentDetail(generics.RetrieveAPIView):
    serializer_class = DocumentSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.source_list()


@extend_schema(exclude=True)
@api_view(["GET"])
def api_root(request, format=None):
    return Response(
        {
            name: reverse(f"api:{name}", request=request, format=format)
            for name in ("commitment-list", "update-list", "document-list", "schema")
        }
    )
