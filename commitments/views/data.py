"""The data dictionary at /data/, read from the export and API definitions themselves."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.views.generic import TemplateView
from rest_framework import serializers

from .. import listings
from ..api.serializers import CommitmentDetailSerializer, DocumentSerializer, StatusUpdateSerializer
from ..models import (
    CriterionAssessment,
    DateBasis,
    DatePrecision,
    DocumentKind,
    Language,
    Pillar,
    ProgressStage,
    QuoteLanguage,
    QuoteRole,
    ReasonCode,
    RestatementKind,
    StatementKind,
    Status,
    Theme,
)
from .discovery import dataset_jsonld


class DataDictionaryView(TemplateView):
    template_name = "commitments/data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["exports"] = export_sections()
        context["api"] = api_sections()
        context["vocabularies"] = vocabularies()
        context["licence"] = settings.DATA_LICENCE
        context["dataset_jsonld"] = dataset_jsonld(self.request)
        return context


VOCABULARIES: tuple[type[models.TextChoices], ...] = (
    StatementKind,
    Status,
    ReasonCode,
    ProgressStage,
    CriterionAssessment,
    RestatementKind,
    Theme,
    Pillar,
    QuoteRole,
    DatePrecision,
    DateBasis,
    QuoteLanguage,
    Language,
    DocumentKind,
)


def vocabulary_id(vocabulary: type[models.TextChoices] | None) -> str:
    return f"vocabulary-{vocabulary.__name__.lower()}" if vocabulary else ""


@dataclass(frozen=True)
class FieldEntry:
    name: str
    kind: str
    description: str
    vocabulary: str = ""  # id of the vocabulary's section on the page


@dataclass(frozen=True)
class Section:
    title: str
    url: str
    fields: list[FieldEntry]


def export_sections() -> list[Section]:
    sections = []
    for listing in (listings.COMMITMENTS, listings.STATUS_UPDATES, listings.QUOTES):
        columns = listing.columns(absolute_url=str)
        sections.append(
            Section(
                title=f"{listing.name}.csv",
                url=reverse(listing.export_url_name),
                fields=[FieldEntry(c.name, c.kind, c.description, vocabulary_id(c.vocabulary)) for c in columns],
            )
        )
    return sections


_API_KINDS = (
    (serializers.ChoiceField, "code"),
    (serializers.SlugRelatedField, "code"),
    (serializers.SlugField, "code"),
    (serializers.URLField, "url"),
    (serializers.DateTimeField, "date-time"),
    (serializers.DateField, "date"),
    (serializers.DecimalField, "number"),
    (serializers.IntegerField, "integer"),
    (serializers.PrimaryKeyRelatedField, "integer"),
    (serializers.ListSerializer, "list of objects"),
    (serializers.BaseSerializer, "object"),
    (serializers.SerializerMethodField, "list of codes"),
)


def _api_kind(field: serializers.Field) -> str:
    if field.__class__.__name__ in ("PageUrlField", "ApiUrlField"):
        return "url"
    return next((kind for cls, kind in _API_KINDS if isinstance(field, cls)), "text")


def _vocabulary_of(field: serializers.Field) -> str:
    values = set(getattr(field, "choices", {}) or {})
    match = next((v for v in VOCABULARIES if values and set(v.values) == values), None)
    return vocabulary_id(match)


def api_sections() -> list[Section]:
    endpoints = (
        ("Commitment", "api:commitment-list", CommitmentDetailSerializer),
        ("Status update", "api:update-list", StatusUpdateSerializer),
        ("Document", "api:document-list", DocumentSerializer),
    )
    sections = []
    for title, url_name, serializer_class in endpoints:
        fields = [
            FieldEntry(name, _api_kind(field), str(field.help_text or field.label or ""), _vocabulary_of(field))
            for name, field in serializer_class().fields.items()
        ]
        sections.append(Section(title=title, url=reverse(url_name), fields=fields))
    return sections


def vocabularies() -> list[dict]:
    return [
        {"id": vocabulary_id(v), "name": v.__name__, "choices": [(c.value, c.label) for c in v]} for v in VOCABULARIES
    ]
