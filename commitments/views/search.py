"""/search/: every kind of public record, found by the search engine, grouped by kind."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .. import search
from ..models import Commitment, Quote, SearchKind, SourceDocument, StatusUpdate

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Results of each kind on the page of every kind; and on the page of one kind.
PER_KIND = 5
PER_PAGE = 20
MAX_PAGE = 500

KIND_NAMES: dict[str, "StrOrPromise"] = {
    SearchKind.COMMITMENT: _("Commitments"),
    SearchKind.QUOTE: _("Quotes"),
    SearchKind.DOCUMENT: _("Source documents"),
    SearchKind.UPDATE: _("Status updates"),
}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        strip=True,
        help_text=_(
            'Every word must appear. "Quoted words" as a phrase, -word to leave a word out, "or" between alternatives.'
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=_("Show"), required=False, choices=[("", _("Everything")), *KIND_NAMES.items()])


def _records(kind: str, ids: list[int]) -> dict[int, Any]:
    """The hits' records, with what their lines show, in one query."""
    rows: QuerySet
    if kind == SearchKind.COMMITMENT:
        rows = Commitment.objects.only("slug", "title", "title_fr")
    elif kind == SearchKind.QUOTE:
        rows = Quote.objects.select_related("source").only("language", "source__slug", "source__title")
    elif kind == SearchKind.DOCUMENT:
        rows = SourceDocument.objects.only("slug", "title", "language")
    else:
        rows = StatusUpdate.objects.select_related("commitment").only(
            "status", "as_of", "as_of_precision", "commitment__slug", "commitment__title", "commitment__title_fr"
        )
    return rows.in_bulk(ids)


@dataclass
class Group:
    kind: str
    name: str
    count: int
    hits: list[search.Hit]
    more_url: str

    @property
    def count_label(self) -> str:
        # The engine counts up to MAX_COUNTED matches of each kind.
        return f"{search.MAX_COUNTED:,}+" if self.count > search.MAX_COUNTED else str(self.count)


def _group(results: search.Results, kind: str, *, offset: int, limit: int) -> Group:
    hits = search.hits(results, kind, offset=offset, limit=limit)
    records = _records(kind, [hit.record_id for hit in hits])
    for hit in hits:
        hit.record = records.get(hit.record_id)
    more_url = "?" + urlencode({"q": results.text, "kind": kind})
    return Group(kind, str(KIND_NAMES[kind]), results.counts.get(kind, 0), hits, more_url)


def _page_number(request: HttpRequest) -> int:
    # A bad ?page= shows the first page, as the tables do.
    try:
        return min(max(int(request.GET.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        return 1


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict = {"form": form, "kind_names": KIND_NAMES}
    if not form.is_bound:
        return render(request, "commitments/search.html", context)
    if not form.is_valid():
        return render(request, "commitments/search.html", context, status=400)
    text, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    results = search.search(text)
    context.update(
        results=results,
        kind=kind,
        suggestion_urls=[
            (suggested, "?" + urlencode({"q": suggested, "kind": kind} if kind else {"q": suggested}))
            for suggested in results.suggestions
        ],
    )
    if kind:
        page = _page_number(request)
        group = _group(results, kind, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
        context["groups"] = [group]
        base = {"q": text, "kind": kind}
        if page > 1:
            context["previous_url"] = "?" + urlencode({**base, "page": page - 1})
        if page * PER_PAGE < group.count:
            context["next_url"] = "?" + urlencode({**base, "page": page + 1})
    else:
        context["groups"] = [
            _group(results, each, offset=0, limit=PER_KIND) for each in KIND_NAMES if results.counts.get(each)
        ]
    return render(request, "commitments/search.html", context)
