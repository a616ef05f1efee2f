"""JSON shapes of the public API. Field help comes from the models, for the schema and /data/."""

import copy
import re
from collections.abc import Mapping

from django.db.models import Manager
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.reverse import reverse

from .. import selectors
from ..formatting import SlugUrls
from ..models import (
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
    """The absolute URL of the object's public page (of the object at `source`, if given)."""

    def __init__(self, source: str = "*", **kwargs):
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class SlugPageUrlField(PageUrlField):
    """The absolute URL of the object's own public page, a slug-keyed view's (`view_name`:
    what the model's get_absolute_url reverses)."""

    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        super().__init__(**kwargs)

    def row_writer(self):
        """For a page of rows, one reverse() into which each slug is put."""
        return _slug_row_writer(self)


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(serializers.Field):
    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        return reverse(self.view_name, kwargs={"slug": obj.slug}, request=self.context["request"])

    def row_writer(self):
        """to_representation for a page of rows: one reverse() for the page."""
        return _slug_row_writer(self)


_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # Django's slug path converter


def _slug_row_writer(field):
    """A slug-keyed URL field's to_representation for a page of rows: one reverse (35 µs)
    for the page, into which each slug is put. A slug made only of characters a URL keeps
    as they are is put in; any other goes through the field's reverse()."""
    url = SlugUrls(field.view_name, field.context["request"].build_absolute_uri)

    def write(obj) -> str:
        if _PLAIN_SLUG.fullmatch(obj.slug):
            return url(obj.slug)
        return field.to_representation(obj)

    return write


# Fields whose to_representation reads only the value (no context, no parent).
_PLAIN_FIELDS = (
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DecimalField,
    serializers.EmailField,
    serializers.FloatField,
    serializers.IntegerField,
    serializers.SlugField,
    serializers.URLField,
)
_SKIP = object()


class FlatListSerializer(serializers.ListSerializer):
    """A page of rows written exactly as the child serializer writes each one, at a fraction
    of the cost.

    DRF builds the child's fields anew for every page (1.5 ms for CommitmentSerializer: deep
    copies and model introspection), then writes every cell through Field.get_attribute (a
    loop over the source's parts inside exception handling): 4 ms more for the 650 cells of
    a page of 25 commitments. Here fields of a plain type, which write from the value alone,
    are built once per serializer class; a plain field with a one-attribute source is read
    with getattr and written by its own to_representation; a field with `row_writer()`
    prepares its work once a page; every other field, and any cell the plain path cannot
    read (a callable, a missing attribute), goes DRF's way. tests/test_api_list.py holds the
    output to the child's on varied rows.
    """

    _plain_fields: dict[type, dict] = {}  # per child class: its plain fields, built once
    child: serializers.Serializer  # always a serializer of rows (Meta.list_serializer_class)

    def to_representation(self, data):
        rows = data.all() if isinstance(data, Manager) else data
        writers = [(name, self._writer(field)) for name, field in self._readable_fields().items()]
        page = []
        for row in rows:
            if isinstance(row, Mapping):
                page.append(self.child.to_representation(row))
                continue
            written = {}
            for name, write in writers:
                value = write(row)
                if value is not _SKIP:
                    written[name] = value
            page.append(written)
        return page

    def _readable_fields(self) -> dict:
        """The child's readable fields by name, in order: the shared plain ones, the others
        copied and bound to this page's child as DRF's Serializer.fields does."""
        child_class = type(self.child)
        if not _builds_fields_alike(child_class):
            return {field.field_name: field for field in self.child._readable_fields}
        if child_class not in self._plain_fields:
            self._plain_fields[child_class] = {
                field.field_name: field if _is_plain(field) else None for field in child_class()._readable_fields
            }
        fields = {}
        for name, field in self._plain_fields[child_class].items():
            if field is None and name in self.child._declared_fields:
                field = copy.deepcopy(self.child._declared_fields[name])
                field.bind(name, self.child)
            elif field is None:  # built from the model: DRF builds them all
                field = self.child.fields[name]
            fields[name] = field
        return fields

    @staticmethod
    def _writer(field):
        if hasattr(field, "row_writer"):
            return field.row_writer()

        def drf_way(row):  # the loop body of Serializer.to_representation
            try:
                attribute = field.get_attribute(row)
            except SkipField:
                return _SKIP
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            return None if check_for_none is None else field.to_representation(attribute)

        if not _is_plain(field) or len(field.source_attrs) != 1:
            return drf_way
        attribute, represent = field.source_attrs[0], field.to_representation

        def plain_way(row):
            try:
                value = getattr(row, attribute)
            except Exception:  # DRF decides: None, the default, skip or raise
                return drf_way(row)
            if value is None:
                return None
            if callable(value):  # DRF calls a method named as the source
                return drf_way(row)
            return represent(value)

        return plain_way


def _is_plain(field) -> bool:
    return type(field) in _PLAIN_FIELDS


def _builds_fields_alike(serializer_class: type[serializers.Serializer]) -> bool:
    """Whether every instance has the same fields: not so if the class changes them in
    __init__ or get_fields (say, from a ?fields= parameter)."""
    return serializer_class.__init__ is serializers.BaseSerializer.__init__ and serializer_class.get_fields in (
        serializers.Serializer.get_fields,
        serializers.ModelSerializer.get_fields,
    )


class DocumentSummarySerializer(serializers.ModelSerializer):
    url = SlugPageUrlField("commitments:source-detail", help_text=_("The document's page, with its full text."))
    api_url = ApiUrlField("api:document-detail", help_text=_("This document in the API."))

    class Meta:
        model = SourceDocument
        fields: tuple[str, ...] = (
            "slug",
            "title",
            "short_title",
            "kind",
            "symbol",
            "issued_on",
            "issued_on_precision",
            "url",
            "api_url",
        )


class DocumentSerializer(DocumentSummarySerializer):
    original_url = serializers.URLField(source="url", read_only=True, help_text=_("Where the original is published."))

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
    url = PageUrlField(help_text=_("The quote highlighted in its document."))

    class Meta:
        model = Quote
        fields = ("id", "text", "language", "locator", "document", "url")


class QuoteLinkSerializer(serializers.ModelSerializer):
    quote = QuoteSerializer(read_only=True)

    class Meta:
        model = CommitmentQuote
        fields = ("role", "quote")


class StatusUpdateSerializer(serializers.ModelSerializer):
    commitment = serializers.SlugRelatedField[Commitment](slug_field="slug", read_only=True)
    # Never an update the public may not see (StatusUpdateQuerySet.public).
    corrects = serializers.IntegerField(
        source="corrects_shown",
        read_only=True,
        allow_null=True,
        help_text=StatusUpdate._meta.get_field("corrects").help_text,
    )
    # The evidence quote's words and where they are, not only its id (issue 21).
    evidence_quote_text = serializers.CharField(
        source="evidence_quote.text",
        read_only=True,
        allow_null=True,
        help_text=_("The words of the quote that shows this status, verbatim (null without one)."),
    )
    evidence_quote_url = PageUrlField(
        source="evidence_quote", allow_null=True, help_text=_("That quote highlighted in its document.")
    )

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
            "evidence_quote_text",
            "evidence_quote_url",
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
    status = serializers.CharField(source="status_shown", read_only=True, help_text=_("Status of the latest update."))
    status_as_of = serializers.DateField(
        source="status_shown_as_of", read_only=True, allow_null=True, help_text=_("Date that status describes.")
    )
    status_as_of_precision = serializers.ChoiceField(
        source="status_shown_as_of_precision",
        choices=DatePrecision.choices,
        read_only=True,
        help_text=_("How precisely status_as_of is known."),
    )
    reason = serializers.CharField(
        source="reason_shown",
        read_only=True,
        help_text=_("Why that status is stalled, abandoned or partially achieved (empty otherwise)."),
    )
    progress_stage = serializers.CharField(
        source="progress_stage_shown", read_only=True, help_text=_("What the latest reading measures.")
    )
    progress_value = serializers.DecimalField(
        source="progress_shown",
        max_digits=16,
        decimal_places=2,
        read_only=True,
        help_text=_("Latest progress reading, in the target's unit."),
    )
    progress_percent = serializers.IntegerField(
        source="progress_percent_shown", read_only=True, help_text=_("Latest reading as a percentage of the target.")
    )
    source_documents = serializers.SerializerMethodField(help_text=_("Slugs of the documents it rests on."))
    url = SlugPageUrlField("commitments:commitment-detail", help_text=_("The commitment's public page."))
    api_url = ApiUrlField("api:commitment-detail", help_text=_("This commitment in the API."))

    class Meta:
        model = Commitment
        fields: tuple[str, ...] = (
            "slug",
            "title",
            "summary",
            "title_fr",
            "summary_fr",
            "kind",
            "theme",
            "pillar",
            "status",
            "reason",
            "status_as_of",
            "status_as_of_precision",
            "target_value",
            "target_unit",
            "target_text",
            "target_text_fr",
            "progress_value",
            "progress_stage",
            "progress_percent",
            "made_on",
            "made_on_precision",
            "made_on_basis",
            "made_by",
            "responsible_body",
            "counted_stage",
            "period_start",
            "deadline",
            "deadline_precision",
            "source_documents",
            "url",
            "api_url",
        )
        list_serializer_class = FlatListSerializer

    def get_source_documents(self, commitment: Commitment) -> list[str]:
        # The API list reads the page's slugs in one query (api.CommitmentList); the detail
        # has the quote links prefetched.
        slugs = self.context.get("document_slugs")
        if slugs is not None:
            return slugs[commitment.pk]
        return [document.slug for document in selectors.documents_of(commitment)]


class CommitmentDetailSerializer(CommitmentSerializer):
    quotes = QuoteLinkSerializer(source="quote_links", many=True, read_only=True)
    success_criteria = SuccessCriterionSerializer(source="criteria", many=True, read_only=True)
    restatements = RestatementSerializer(many=True, read_only=True)
    history = StatusUpdateSerializer(source="status_updates", many=True, read_only=True)

    class Meta(CommitmentSerializer.Meta):
        fields = (*CommitmentSerializer.Meta.fields, "success_criteria", "quotes", "restatements", "history")
