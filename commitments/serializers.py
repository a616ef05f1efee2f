"""JSON shapes of the public API. Field help comes from the models, for the schema and /data/."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from .models import (
    Commitment,
    CommitmentQuote,
    DatePrecision,
    Quote,
    Restatement,
    SourceDocument,
    StatusUpdate,
    SuccessCriterion,
)


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute URL of the object's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(serializers.Field):
    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        return reverse(self.view_name, kwargs={"slug": obj.slug}, request=self.context["request"])


class DocumentSummarySerializer(serializers.ModelSerializer):
    url = PageUrlField(help_text="The document's page, with its full text.")
    api_url = ApiUrlField("api:document-detail", help_text="This document in the API.")

    class Meta:
        model = SourceDocument
        fields = ("slug", "title", "kind", "symbol", "issued_on", "issued_on_precision", "url", "api_url")


class DocumentSerializer(DocumentSummarySerializer):
    original_url = serializers.URLField(source="url", read_only=True, help_text="Where the original is published.")

    class Meta(DocumentSummarySerializer.Meta):
        fields = (
            *DocumentSummarySerializer.Meta.fields,
            "author",
            "venue",
            "language",
            "original_url",
            "notes",
            "full_text",
        )


class QuoteSerializer(serializers.ModelSerializer):
    document = DocumentSummarySerializer(source="source", read_only=True)
    url = PageUrlField(help_text="The quote highlighted in its document.")

    class Meta:
        model = Quote
        fields = ("id", "text", "language", "locator", "document", "url")


class QuoteLinkSerializer(serializers.ModelSerializer):
    quote = QuoteSerializer(read_only=True)

    class Meta:
        model = CommitmentQuote
        fields = ("role", "quote")


class StatusUpdateSerializer(serializers.ModelSerializer):
    commitment = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = StatusUpdate
        fields = (
            "id",
            "commitment",
            "status",
            "as_of",
            "as_of_precision",
            "progress_value",
            "progress_stage",
            "rationale",
            "reason_code",
            "reason_text",
            "evidence_url",
            "evidence_quote",
            "corrects",
            "correction_note",
            "method_version",
            "recorded_at",
            "reviewed_at",
        )


class SuccessCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuccessCriterion
        fields = ("position", "text", "assessment", "evidence", "assessed_on")


class RestatementSerializer(serializers.ModelSerializer):
    quote = QuoteSerializer(read_only=True)

    class Meta:
        model = Restatement
        fields = ("kind", "stated_on", "stated_on_precision", "change", "quote")


class CommitmentSerializer(serializers.ModelSerializer):
    # The *_shown values are today's, or with ?as_of= those on that date (selectors.status_as_of).
    status = serializers.CharField(source="status_shown", read_only=True, help_text="Status of the latest update.")
    status_as_of = serializers.DateField(
        source="status_shown_as_of", read_only=True, allow_null=True, help_text="Date that status describes."
    )
    status_as_of_precision = serializers.ChoiceField(
        source="status_shown_as_of_precision",
        choices=DatePrecision.choices,
        read_only=True,
        help_text="How precisely status_as_of is known.",
    )
    reason = serializers.CharField(
        source="reason_shown",
        read_only=True,
        help_text="Why that status is stalled, abandoned or partially achieved (empty otherwise).",
    )
    progress_stage = serializers.CharField(
        source="progress_stage_shown", read_only=True, help_text="What the latest reading measures."
    )
    progress_value = serializers.DecimalField(
        source="progress_shown",
        max_digits=16,
        decimal_places=2,
        read_only=True,
        help_text="Latest progress reading, in the target's unit.",
    )
    progress_percent = serializers.IntegerField(
        source="progress_percent_shown", read_only=True, help_text="Latest reading as a percentage of the target."
    )
    source_documents = serializers.SerializerMethodField(help_text="Slugs of the documents it rests on.")
    url = PageUrlField(help_text="The commitment's public page.")
    api_url = ApiUrlField("api:commitment-detail", help_text="This commitment in the API.")

    class Meta:
        model = Commitment
        fields = (
            "slug",
            "title",
            "summary",
            "title_fr",
            "summary_fr",
            "theme",
            "pillar",
            "status",
            "reason",
            "status_as_of",
            "status_as_of_precision",
            "target_value",
            "target_unit",
            "target_text",
            "progress_value",
            "progress_stage",
            "progress_percent",
            "made_on",
            "made_on_precision",
            "made_by",
            "responsible_body",
            "period_start",
            "deadline",
            "source_documents",
            "url",
            "api_url",
        )

    def get_source_documents(self, commitment: Commitment) -> list[str]:
        from .tables import documents_of

        return [document.slug for document in documents_of(commitment)]


class CommitmentDetailSerializer(CommitmentSerializer):
    quotes = QuoteLinkSerializer(source="quote_links", many=True, read_only=True)
    success_criteria = SuccessCriterionSerializer(source="criteria", many=True, read_only=True)
    restatements = RestatementSerializer(many=True, read_only=True)
    history = StatusUpdateSerializer(source="status_updates", many=True, read_only=True)

    class Meta(CommitmentSerializer.Meta):
        fields = (*CommitmentSerializer.Meta.fields, "success_criteria", "quotes", "restatements", "history")
