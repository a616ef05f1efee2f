"""The data dictionary at /data/, read from the export and API definitions themselves."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from rest_framework import serializers

from .. import listings
from ..api.serializers import (
    ApiUrlField,
    CommitmentDetailSerializer,
    DocumentSerializer,
    PageUrlField,
    StatusUpdateSerializer,
)
from ..models import (
    Body,
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
    TargetUnit,
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
        context["licence"] = gettext(settings.DATA_LICENCE)  # the default is in the catalogue (settings)
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
    TargetUnit,
    Body,
)


def vocabulary_id(vocabulary: type[models.TextChoices] | None) -> str:
    return f"vocabulary-{vocabulary.__name__.lower()}" if vocabulary else ""


_IDENTIFIER = re.compile(r"(\??[a-z]+(?:_[a-z]+)+=?)")

# What an API field built from the model, without help text of its own, holds.
API_DESCRIPTIONS = {
    "theme": _("Theme."),
    "pillar": _("Pillar of the Responsibility to Protect."),
    "period_start": _("Start of the commitment's period, if any."),
    "success_criteria": _("What would count as achieved, written before any assessment, each with its assessment."),
    "quotes": _("The quotes it rests on, each with its role and its document."),
    "restatements": _("Later documents that restate or change it, each with its quote."),
    "history": _("Its public status updates, newest first."),
    "id": _("Stable identifier of the status update."),
    "commitment": _("The commitment it assesses."),
    "status": _("The status it records."),
    "recorded_at": _("When the update was recorded in the tracker (UTC)."),
    "reviewed_at": _("When an editor other than its author approved it (UTC)."),
    "title": _("The document's title."),
    "kind": _("What kind of document it is."),
    "language": _("Its language."),
}

# The types the dictionary names, in the reader's language.
KINDS = {
    "text": _("text"),
    "code": _("code"),
    "date": _("date"),
    "datetime": _("date and time"),
    "date-time": _("date and time"),
    "number": _("number"),
    "integer": _("integer"),
    "url": _("URL"),
    "object": _("object"),
    "list of objects": _("list of objects"),
    "list of codes": _("list of codes"),
}


@dataclass(frozen=True)
class FieldEntry:
    name: str
    kind: str
    description: str
    vocabulary: str = ""  # id of the vocabulary's section on the page

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    @property
    def description_html(self) -> SafeString:
        """The description, with the field names and parameters it mentions (status_as_of,
        ?as_of=) set as code: they are identifiers, the same in every language."""
        parts = _IDENTIFIER.split(str(self.description))
        return format_html_join(
            "",
            "{}",
            ((format_html("<code>{}</code>", part) if index % 2 else part,) for index, part in enumerate(parts)),
        )


@dataclass(frozen=True)
class Section:
    title: str
    url: str
    fields: list[FieldEntry]
    file_name: str = ""  # an export's: shown as code, not translated

    @property
    def slug(self) -> str:
        return slugify(self.file_name or self.url)


def export_sections() -> list[Section]:
    sections = []
    for listing in (listings.COMMITMENTS, listings.STATUS_UPDATES, listings.QUOTES):
        columns = listing.columns(absolute_url=str)
        sections.append(
            Section(
                title=f"{listing.name}.csv",
                file_name=f"{listing.name}.csv",
                url=reverse(listing.export_url_name),
                fields=[FieldEntry(c.name, c.kind, str(c.description), vocabulary_id(c.vocabulary)) for c in columns],
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
    if isinstance(field, (PageUrlField, ApiUrlField)):
        return "url"
    return next((kind for cls, kind in _API_KINDS if isinstance(field, cls)), "text")


def _vocabulary_of(field: serializers.Field) -> str:
    # A choice field's own choices only: a related field's `choices` reads every row of its
    # table (the evidence quote's: every quote, half a second of /data/ at 30,000 quotes).
    if not isinstance(field, serializers.ChoiceField):
        return vocabulary_id(None)
    values = set(field.choices)
    match = next((v for v in VOCABULARIES if values and set(v.values) == values), None)
    return vocabulary_id(match)


def api_sections() -> list[Section]:
    endpoints = (
        (_("Commitment"), "api:commitment-list", CommitmentDetailSerializer),
        (_("Status update"), "api:update-list", StatusUpdateSerializer),
        (_("Document"), "api:document-list", DocumentSerializer),
    )
    sections = []
    for title, url_name, serializer_class in endpoints:
        fields = [
            FieldEntry(
                name,
                _api_kind(field),
                str(field.help_text or API_DESCRIPTIONS.get(name) or field.label or ""),
                _vocabulary_of(field),
            )
            for name, field in serializer_class().fields.items()
        ]
        sections.append(Section(title=str(title), url=reverse(url_name), fields=fields))
    return sections


def vocabularies() -> list[dict]:
    return [
        {"id": vocabulary_id(v), "name": v.__name__, "choices": [(c.value, c.label) for c in v]} for v in VOCABULARIES
    ]
