"""The tables' filters; a table's CSV export and the API use the same FilterSet, so they
hold the same rows. The widgets are written in Python (QuickSelect, QuickTextInput) for speed."""

import copy
from typing import TYPE_CHECKING

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ChoiceField as FilterChoiceField
from django_filters.filters import FilterMethod

from .. import search, selectors
from ..models import (
    Commitment,
    CommitmentQuote,
    Pillar,
    ProgressStage,
    Quote,
    QuoteLanguage,
    QuoteRole,
    ReasonCode,
    Restatement,
    SearchKind,
    StatementKind,
    Status,
    StatusUpdate,
    Theme,
)
from . import choices
from .widgets import QuickSelect, QuickTextInput

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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
        widget=QuickTextInput(attrs={"type": "search"}),
    )


class DateText(QuickTextInput):
    """A date typed as the hint says (YYYY-MM-DD): a browser's date box shows the reader's
    locale's order (mm/dd/yyyy) beside a hint that says otherwise."""

    def __init__(self, attrs=None):
        defaults = {"pattern": r"\d{4}-\d{2}-\d{2}", "inputmode": "numeric", "placeholder": "YYYY-MM-DD"}
        super().__init__({**defaults, **(attrs or {})})


class _SharedFields(dict):
    """A filter form class's fields, which its forms never change: Form.__init__'s deep copy
    of them (deep copies of widgets, choices, validators and lazy labels) is the fields
    themselves."""

    def __deepcopy__(self, memo):
        return dict(self)


def _read_labels_once(field) -> None:
    """A fixed list's labels, and its "Any", read in the form class's language when it is
    built, not on every render: a translation lookup each was half a short list's time.
    A list read from the database (a callable) is read when used, as before."""
    if not isinstance(field, FilterChoiceField):
        return
    listed = field.choices.choices  # what the filter was given (ChoiceIterator.choices)
    if isinstance(listed, list | tuple) and not any(isinstance(label, list | tuple) for _value, label in listed):
        field.choices = choices.Pairs([(value, str(label)) for value, label in listed])
    if field.empty_label is not None:
        field.empty_label = str(field.empty_label)


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet without its deep copies: each request's filters are shallow
    copies of the class's, and its form's fields are built once (get_form_class), never
    copied. The two deep copies (lazy labels, widgets, validators through copyreg) cost a
    JSON list page a sixth of its time and a table page 3 ms."""

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
            filter_.__dict__.pop("_field", None)  # the form class's (get_form_class), not the filter's
            if isinstance(filter_.__dict__.get("filter"), FilterMethod):
                filter_.filter = FilterMethod(filter_)  # calls this copy's parent's method
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_

    # Each FilterSet class's form class, in each language, built once: its fields depend on
    # the class's filters alone (choices are read when used), and no form changes its
    # fields, so every request's form shares them uncopied. Building them was a quarter of
    # the API list's filtering.
    _form_classes: dict[tuple[type, str], type] = {}

    def get_form_class(self):
        key = (type(self), get_language())  # a label not given is the model's, translated once
        if key not in self._form_classes:
            form_class = super().get_form_class()
            for field in form_class.base_fields.values():
                _read_labels_once(field)
            form_class.base_fields = _SharedFields(form_class.base_fields)
            self._form_classes[key] = form_class
        return self._form_classes[key]


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
        choices=choices.documents,
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
    year = ChoiceFilter(field_name="made_on", lookup_expr="year", choices=choices.years_made, label=_("Year made"))
    body = ChoiceFilter(field_name="responsible_body", choices=choices.bodies, label=_("Responsible body"))
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
    commitment = ChoiceFilter(field_name="commitment__slug", choices=choices.commitments, label=_("Commitment"))
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
    source = ChoiceFilter(field_name="source__slug", choices=choices.documents, label=_("Source document"))
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
