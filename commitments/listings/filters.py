"""The tables' filters; a table's CSV export and the API use the same FilterSet, so they
hold the same rows. The <select>s are written in Python (QuickSelect) for speed."""

import copy
from html import escape
from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.filters import FilterMethod

from .. import search, selectors
from ..exports.cache import current_version, keep, kept
from ..models import (
    DOCUMENT_ORDER,
    Body,
    Commitment,
    CommitmentQuote,
    Pillar,
    ProgressStage,
    Quote,
    QuoteLanguage,
    QuoteRole,
    ReasonCode,
    Restatement,
    SearchEntry,
    SearchKind,
    SourceDocument,
    StatementKind,
    Status,
    StatusUpdate,
    Theme,
    Year,
    rows_of,
)
from ..search import visibility

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MARK = {True: " selected", False: ""}


class QuickSelect(forms.Select):
    """A <select> for long, flat option lists, rendered in Python.

    Django renders a template for every <option>: with 1,000 source documents that was
    most of the commitments page's time. No option groups, no per-option attributes.
    (html.escape is what django.utils.html.escape calls, without its lazy-string check.)
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        choices = list(self.choices)
        keys = [str(key) for key, _label in choices]
        texts = _escaped(keys)
        labels = _escaped([str(label) for _key, label in choices])
        options = "".join(
            f'<option value="{text}"{MARK[key in selected]}{_lang(choice[1])}>{label}</option>'
            for key, text, label, choice in zip(keys, texts, labels, choices, strict=True)
        )
        attributes = flatatt({"name": name, **self.build_attrs(self.attrs, attrs)})
        return format_html("<select{}>{}</select>", attributes, mark_safe(options))  # each part escaped above


def _escaped(texts: list[str]) -> list[str]:
    """Each text escaped, in one pass over them all (html.escape leaves NUL alone): a
    thousand documents' titles one call each were a tenth of a table page."""
    joined = "\0".join(texts)
    if joined.count("\0") != max(len(texts) - 1, 0):  # a text holding a NUL itself
        return [escape(text) for text in texts]
    return escape(joined).split("\0") if texts else []


class Titled(str):
    """An option's label that says its language (a document's title, in English on a French
    page); a str, so Django's validation and the cache treat it as the label it is."""

    language = ""

    def __new__(cls, text: str, language: str):
        label = super().__new__(cls, text)
        label.language = language
        return label

    def __reduce__(self):
        return Titled, (str(self), self.language)


def _lang(label) -> str:
    language = getattr(label, "language", "")
    return _LANG_ATTRIBUTES.get(language) or (f' lang="{escape(language)}"' if language else "")


_LANG_ATTRIBUTES = {"en": ' lang="en"', "fr": ' lang="fr"'}


ANY = _("Any")


class ChoiceFilter(django_filters.ChoiceFilter):
    """A choice filter whose <select> is written in Python (widgets.QuickSelect): Django
    renders a template per <option>, a fifth of the commitments page for its six lists."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", QuickSelect)
        kwargs.setdefault("empty_label", ANY)
        super().__init__(*args, **kwargs)


def search_filter(help_text: "StrOrPromise") -> django_filters.CharFilter:
    """Free text, read by the search engine (commitments.search): every word must appear,
    in any case, with or without accents, in any form ("deploy" finds "deployed"); "quoted
    words" as a phrase, -word excluded, `or` between alternatives."""
    return django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=help_text,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class Pairs(BaseChoiceIterator):
    """Choices that are already (value, label) pairs of strings. Django normalises a plain
    list on every iteration (4 ms for the 1,000 documents of each table page); it passes
    a choice iterator through as it is."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.pairs = pairs

    def __iter__(self):
        return iter(self.pairs)


def _years_made() -> Pairs:
    return Pairs([(str(year), str(year)) for (year,) in rows_of(Commitment, _published_years)])


def _published_years() -> QuerySet:
    return (
        Commitment.objects.published().annotate(year=Year("made_on")).order_by("-year").values_list("year").distinct()
    )


# How long the public documents' list is kept at most, even with the data unchanged.
DOCUMENT_CHOICES_SECONDS = 300


def _kept(name: str, read) -> list:
    """`read()`'s list, kept in the cache under the public data's version: any public change,
    by any path or server, moves it; at most DOCUMENT_CHOICES_SECONDS."""
    version = current_version()
    key = f"filters:{name}:{version.tag}" if version else None
    if key is not None and (values := kept(key)) is not None:
        return values
    values = list(read())
    if key is not None:
        keep(key, values, timeout=DOCUMENT_CHOICES_SECONDS)
    return values


def _flagged_documents() -> QuerySet:
    """The public documents by the search index's public flags, which the selectors' one
    definition sets (search.visibility): 0.7 ms where the definition itself, which checks
    every document's quotes against the published commitments, takes 4-8 ms at 1,000."""
    public = SearchEntry.objects.filter(visibility.flagged(SearchKind.DOCUMENT), kind=SearchKind.DOCUMENT)
    # `id + 0`: SQLite then reads the documents from their date index alone (with the flags
    # from theirs); by the id, it read each document's row and full text.
    documents = SourceDocument.objects.alias(unindexed_id=F("id") + 0).filter(
        unindexed_id__in=public.values("record_id")
    )
    return documents.order_by(*DOCUMENT_ORDER).values_list("slug", "title", "language")


def _defined_documents() -> QuerySet:
    return selectors.public_documents().order_by(*DOCUMENT_ORDER).values_list("slug", "title", "language")


def _public_documents() -> list[tuple[str, str, str]]:
    # The flags find nothing while a change is noted and not yet dealt with (or when no
    # document is public): then they are set now, or, if they cannot be (on a replica, or
    # while another request sets them), the definition is read.
    return rows_of(SourceDocument, _flagged_documents) or rows_of(
        SourceDocument, _flagged_documents if visibility.condition() is visibility.flagged else _defined_documents
    )


def _documents() -> Pairs:
    # The public documents only (a draft's document is neither offered nor accepted), as
    # (slug, title) pairs, not model instances: the list holds every document (1,000s).
    # Kept under the public data's version too (_kept): every list page shows it.
    documents = _kept("public-documents", _public_documents)
    # A title in the page's own language needs no lang attribute: it inherits the page's.
    page = "fr" if get_language() == "fr" else "en"
    return Pairs(
        [
            (slug, title if (written := "fr" if language == "fr" else "en") == page else Titled(title, written))
            for slug, title, language in documents
        ]
    )


def _bodies() -> Pairs:
    """The responsible bodies of published commitments (the dashboard's bars link here)."""
    bodies = _kept(
        "bodies",
        lambda: [body for (body,) in rows_of(Commitment, _published_bodies)],
    )
    labels = dict(Body.choices)  # a body in the vocabulary by its label in the page's language
    return Pairs([(body, str(labels.get(body, body))) for body in bodies])


def _published_bodies() -> QuerySet:
    return (
        Commitment.objects.published()
        .exclude(responsible_body="")
        .order_by("responsible_body")
        .values_list("responsible_body")
        .distinct()
    )


def _commitments() -> Pairs:
    """Published commitments by title in the reader's language, for the updates table."""
    rows = _kept("commitments", lambda: rows_of(Commitment, _published_titles))
    french = get_language() == "fr"
    pairs = [(slug, title_fr if french and title_fr else title) for slug, title, title_fr in rows]
    return Pairs(sorted(pairs, key=lambda pair: pair[1].casefold()))


def _published_titles() -> QuerySet:
    return Commitment.objects.published().order_by("title").values_list("slug", "title", "title_fr")


class DateText(forms.TextInput):
    """A date typed as the hint says (YYYY-MM-DD): a browser's date box shows the reader's
    locale's order (mm/dd/yyyy) beside a hint that says otherwise."""

    def __init__(self, attrs=None):
        defaults = {"pattern": r"\d{4}-\d{2}-\d{2}", "inputmode": "numeric", "placeholder": "YYYY-MM-DD"}
        super().__init__({**defaults, **(attrs or {})})


class _FieldsOfOneForm(dict):
    """A form class's fields made for its one instance: Form.__init__'s deep copy of them
    (deep copies of widgets, choices, validators and lazy labels) is the fields themselves."""

    def __deepcopy__(self, memo):
        return dict(self)


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet without its deep copies: each request's filters are shallow
    copies of the class's, and its form's fields, which those copies build anew for it, are
    not copied again. The two deep copies (lazy labels, widgets, validators through
    copyreg) cost a JSON list page a sixth of its time and a table page 3 ms."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, shared in self.base_filters.items():
            filter_ = copy.copy(shared)
            filter_.__dict__.pop("_field", None)  # built per request, never shared
            if isinstance(filter_.__dict__.get("filter"), FilterMethod):
                filter_.filter = FilterMethod(filter_)  # calls this copy's parent's method
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.base_fields = _FieldsOfOneForm(form_class.base_fields)
        return form_class


class CommitmentFilter(FilterSet):
    q = search_filter(_("Words in the title, summary or quoted text."))
    # The status shown: today's, or that on the as-of date (see filter_queryset).
    status = ChoiceFilter(field_name="status_shown", choices=Status.choices, label=_("Status"))
    reason = ChoiceFilter(field_name="reason_shown", choices=ReasonCode.choices, label=_("Reason"))
    kind = ChoiceFilter(choices=StatementKind.choices, label=_("Kind of statement"))
    attention = ChoiceFilter(
        choices=(("past_deadline", _("Past its deadline")), ("assessment_due", _("Assessment due"))),
        method="filter_attention",
        label=_("Needs attention"),
    )
    theme = ChoiceFilter(choices=Theme.choices, label=_("Theme"))
    pillar = ChoiceFilter(choices=Pillar.choices, label=_("R2P pillar"))
    source = ChoiceFilter(
        choices=_documents,
        method="filter_source",
        label=_("Source document"),
    )
    target = ChoiceFilter(
        choices=(("numeric", _("A numeric target")), ("none", _("No numeric target"))),
        method="filter_target",
        label=_("Target"),
    )
    # Choices as callables: the page reads them once to render the form; exports and the
    # API, which render no form, read them only to validate a ?year= or ?source= given.
    year = ChoiceFilter(field_name="made_on", lookup_expr="year", choices=_years_made, label=_("Year made"))
    body = ChoiceFilter(field_name="responsible_body", choices=_bodies, label=_("Responsible body"))
    as_of = django_filters.DateFilter(
        method="keep_all",
        label=_("Status as of"),
        help_text=_("A past date (YYYY-MM-DD) shows each status as it stood then."),
        widget=DateText(),
    )

    class Meta:
        model = Commitment
        fields = (
            *("q", "status", "reason", "kind", "attention", "theme", "pillar"),
            *("target", "source", "year", "body", "as_of"),
        )

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # The as-of date goes first: it decides which status the status filter and sort see.
        day = self.form.cleaned_data.get("as_of")
        if day is not None:
            queryset = selectors.status_as_of(queryset, day)
        return super().filter_queryset(queryset)

    def keep_all(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # applied by filter_queryset

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Found by its own words (titles, summaries, theme and kind labels) or by a quote it
        # rests on: two sets of ids, each read once (an EXISTS per commitment cost 145 ms).
        commitments = search.matching_ids(SearchKind.COMMITMENT, value)
        quotes = search.matching_ids(SearchKind.QUOTE, value)
        if commitments is None or quotes is None:
            return queryset
        resting_on_quotes = CommitmentQuote.objects.filter(quote__in=quotes).values("commitment_id")
        return queryset.filter(Q(pk__in=commitments) | Q(pk__in=resting_on_quotes))

    def filter_attention(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Today's current status: "past its deadline" and "assessment due" are about now.
        today = timezone.localdate()
        if value == "past_deadline":
            return queryset.filter(pk__in=Commitment.objects.past_deadline(today).values("pk"))
        return queryset.filter(
            pk__in=Commitment.objects.assessment_due(today, selectors.assessment_max_age()).values("pk")
        )

    def filter_target(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(target_value__isnull=value != "numeric")

    def filter_source(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The commitments the document speaks of: made or quoted in it, restated in it, or a
        public status update citing it as evidence. Every document the choices offer is public
        through one of these (selectors.public_documents), so none lists no rows."""
        # Exists, not a join, so a commitment with two quotes from one document appears once.
        quoted = CommitmentQuote.objects.filter(commitment=OuterRef("pk"), quote__source__slug=value)
        restated = Restatement.objects.filter(commitment=OuterRef("pk"), quote__source__slug=value)
        evidence = StatusUpdate.objects.public().filter(commitment=OuterRef("pk"), evidence_quote__source__slug=value)
        return queryset.filter(Exists(quoted) | Exists(restated) | Exists(evidence))


class StatusUpdateFilter(FilterSet):
    q = search_filter(_("Words in the rationale or the commitment's title."))
    status = ChoiceFilter(choices=Status.choices, label=_("Status"))
    reason = ChoiceFilter(field_name="reason_code", choices=ReasonCode.choices, label=_("Reason"))
    stage = ChoiceFilter(field_name="progress_stage", choices=ProgressStage.choices, label=_("Stage"))
    theme = ChoiceFilter(field_name="commitment__theme", choices=Theme.choices, label=_("Theme"))
    commitment = ChoiceFilter(field_name="commitment__slug", choices=_commitments, label=_("Commitment"))
    since = django_filters.DateFilter(
        field_name="as_of", lookup_expr="gte", label=_("As of, from"), widget=DateText(), help_text=_("YYYY-MM-DD")
    )
    until = django_filters.DateFilter(
        field_name="as_of", lookup_expr="lte", label=_("As of, until"), widget=DateText(), help_text=_("YYYY-MM-DD")
    )

    class Meta:
        model = StatusUpdate
        fields = ("q", "status", "reason", "stage", "theme", "commitment", "since", "until")

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # By its rationale, or by its commitment's words.
        updates = search.matching_ids(SearchKind.UPDATE, value)
        if updates is None:
            return queryset
        commitments = search.matching_ids(SearchKind.COMMITMENT, value)
        return queryset.filter(Q(pk__in=updates) | Q(commitment__in=commitments))


class QuoteFilter(FilterSet):
    q = search_filter(_("Words in the quote."))
    source = ChoiceFilter(field_name="source__slug", choices=_documents, label=_("Source document"))
    language = ChoiceFilter(choices=QuoteLanguage.choices, label=_("Language"))
    role = ChoiceFilter(choices=QuoteRole.choices, method="filter_role", label=_("Role"))

    class Meta:
        model = Quote
        fields = ("q", "source", "language", "role")

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        quotes = search.matching_ids(SearchKind.QUOTE, value)
        return queryset if quotes is None else queryset.filter(pk__in=quotes)

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        published = CommitmentQuote.objects.filter(quote=OuterRef("pk"), role=value, commitment__is_published=True)
        return queryset.filter(Exists(published))
