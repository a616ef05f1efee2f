"""The filters' lists of choices, read from the database on each page: only what the public
may see is offered, or accepted (a draft's document is neither)."""

from django.db.models import F, QuerySet
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language

from .. import selectors
from ..exports.cache import current_version, keep, kept
from ..models import (
    DOCUMENT_ORDER,
    Body,
    Commitment,
    SearchEntry,
    SearchKind,
    SourceDocument,
    Year,
    distinct_values,
    rows_of,
)
from ..search import visibility
from .widgets import Titled


class Pairs(BaseChoiceIterator):
    """Choices that are already (value, label) pairs of strings. Django normalises a plain
    list on every iteration (4 ms for the 1,000 documents of each table page); it passes
    a choice iterator through as it is."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.pairs = pairs

    def __iter__(self):
        return iter(self.pairs)


def years_made() -> Pairs:
    years = [str(int(year)) for year in distinct_values(Commitment, _published_years, descending=True)]
    return Pairs([(year, year) for year in years])


def _published_years() -> QuerySet:
    # Read by the years' index (commitment_year_idx), one seek a year.
    return Commitment.objects.published().annotate(value=Year("made_on")).values_list("value")


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


def flagged_documents() -> QuerySet:
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


def public_documents() -> list[tuple[str, str, str]]:
    # The flags find nothing while a change is noted and not yet dealt with (or when no
    # document is public): then the definition is read. A page never sets the flags (the
    # next search does): it would write to the primary for a reader of a replica, and a
    # change noted between its writes and its read left it an empty list to keep.
    return rows_of(SourceDocument, flagged_documents) or rows_of(SourceDocument, _defined_documents)


def documents() -> Pairs:
    # The public documents only (a draft's document is neither offered nor accepted), as
    # (slug, title) pairs, not model instances: the list holds every document (1,000s).
    # Kept under the public data's version too (_kept): every list page shows it.
    documents = _kept("public-documents", public_documents)
    # A title in the page's own language needs no lang attribute: it inherits the page's.
    page = "fr" if get_language() == "fr" else "en"
    return Pairs(
        [
            (slug, title if (written := "fr" if language == "fr" else "en") == page else Titled(title, written))
            for slug, title, language in documents
        ]
    )


def bodies() -> Pairs:
    """The responsible bodies of published commitments (the dashboard's bars link here)."""
    bodies = _kept(
        "bodies",
        lambda: distinct_values(Commitment, _published_bodies),
    )
    labels = dict(Body.choices)  # a body in the vocabulary by its label in the page's language
    return Pairs([(body, str(labels.get(body, body))) for body in bodies])


def _published_bodies() -> QuerySet:
    # Read by commitment_pub_body_idx, one seek a body (distinct_values).
    published = Commitment.objects.published().exclude(responsible_body="")
    return published.annotate(value=F("responsible_body")).values_list("value")


def commitments() -> Pairs:
    """Published commitments by title in the reader's language, for the updates table."""
    rows = _kept("commitments", lambda: rows_of(Commitment, _published_titles))
    french = get_language() == "fr"
    pairs = [(slug, title_fr if french and title_fr else title) for slug, title, title_fr in rows]
    return Pairs(sorted(pairs, key=lambda pair: pair[1].casefold()))


def _published_titles() -> QuerySet:
    return Commitment.objects.published().order_by("title").values_list("slug", "title", "title_fr")
