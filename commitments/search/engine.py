"""The one search engine: the table's search box, /search/ and the API's ?q= all ask it.

It finds records in the index (commitments_searchentry, kept by triggers) through the
database's own full-text search, then keeps only what the public may see, by each entry's
public flag (visibility.py, set from the selectors' one definition of public): a draft's
words are indexed but never found."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from types import ModuleType

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from ..models import SearchEntry, SearchKind
from . import postgres, sqlite, visibility
from .query import ParsedQuery, parse

# Fewer results than this and the page offers a spelling that finds more.
FEW_RESULTS = 3
# Matches counted per kind; more are shown as "more than 1,000" (counting 100,000 updates
# that hold a common word, each checked for being public, would take seconds).
MAX_COUNTED = 1000


def _backend() -> ModuleType:
    return postgres if connection.vendor == "postgresql" else sqlite


def matching_ids(kind: str, text: str) -> QuerySet | RawSQL | None:
    """The ids of the records of this kind whose words match the text, public or not (a
    listing filters its own public rows by them), as a subquery for `pk__in`; None when the
    text holds nothing to look for, so the listing is left unfiltered."""
    query = parse(text)
    if not query:
        return None
    return _backend().matching_record_ids(query, kind)


def _public_entries(query: ParsedQuery, kind: str, visible: visibility.Visible) -> QuerySet[SearchEntry]:
    return _backend().matching(query, kind).filter(visible(kind))


def count(query: ParsedQuery, visible: visibility.Visible) -> dict[str, int]:
    """How many public records of each kind match (kinds with none left out), counted up to
    MAX_COUNTED: past that the page says "more than"."""
    if not query:
        return {}
    counts = _backend().public_counts(query, MAX_COUNTED + 1) if visible is visibility.flagged else None
    if counts is None:
        counts = {kind: _public_entries(query, kind, visible)[: MAX_COUNTED + 1].count() for kind in SearchKind.values}
    # Past the cap, "more than" on either path and either database.
    return {kind: min(n, MAX_COUNTED + 1) for kind, n in counts.items() if n}


_MARKED = re.compile(f"{postgres.START}([^{postgres.START}{postgres.STOP}]*){postgres.STOP}")


def marked(snippet: str) -> SafeString:
    """The database's snippet as HTML: every character escaped, then the matched words (between
    the private-use marks the database put around them) in <mark>; stray marks dropped."""
    html = _MARKED.sub(r"<mark>\1</mark>", escape(snippet or "", quote=True))
    return mark_safe(html.replace(postgres.START, "").replace(postgres.STOP, ""))  # escaped above


@dataclass
class Hit:
    record_id: int
    snippet: SafeString
    record: object = None


def hits(results: "Results", kind: str, *, offset: int, limit: int) -> list[Hit]:
    """The public records of this kind that match, best first, with their snippets."""
    if not results.query:
        return []
    entries = _public_entries(results.query, kind, results.visible)
    flagged = results.visible is visibility.flagged
    rows = _backend().ranked(results.query, kind, entries, offset, limit, flagged=flagged)
    return [Hit(record_id=record_id, snippet=marked(snippet)) for record_id, snippet in rows]


def suggestions(
    text: str, query: ParsedQuery, visible: visibility.Visible | None = None, kinds: Sequence[str] = SearchKind.values
) -> list[str]:
    """Other spellings of the query that find public records of these kinds: each word the
    index does not hold replaced by an indexed word spelt like it ("troups" -> "troops"), at
    most three."""
    replacements: dict[str, list[str]] = {}
    for word in dict.fromkeys(query.wanted_words()):
        if len(word) >= 3 and not word.isdigit() and (close := _backend().close_words(word)):
            replacements[word] = close
    if not replacements:
        return []
    visible = visible or visibility.condition()
    found: list[str] = []
    for choice in range(3):
        suggested = text
        for word, close in replacements.items():
            pattern = re.compile(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", re.IGNORECASE)
            suggested = pattern.sub(close[min(choice, len(close) - 1)], suggested)
        if suggested != text and suggested not in found and _finds_any(parse(suggested), visible, kinds):
            found.append(suggested)
    return found


def _finds_any(query: ParsedQuery, visible: visibility.Visible, kinds: Sequence[str]) -> bool:
    """Whether the query finds a public record of these kinds (in order, stopping at one)."""
    return bool(query) and any(_public_entries(query, kind, visible).exists() for kind in kinds)


@dataclass
class Results:
    text: str
    query: ParsedQuery
    visible: visibility.Visible
    counts: dict[str, int] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def capped(self) -> bool:
        """Some kind has more matches than were counted."""
        return any(n > MAX_COUNTED for n in self.counts.values())


def search(text: str) -> Results:
    """The counts of a search and, when it finds little, the spellings that find more."""
    query = parse(text)
    visible = visibility.condition() if query else visibility.flagged  # (nothing is read)
    results = Results(text=text, query=query, visible=visible, counts=count(query, visible))
    if query and results.total < FEW_RESULTS:
        results.suggestions = suggestions(text, query, visible)
    return results
