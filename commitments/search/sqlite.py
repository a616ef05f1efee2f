"""SQLite's side of the engine: FTS5 over the entries (porter stems after unicode61 has
removed case and accents), ranked by bm25, snippets by snippet(); typos from the
vocabulary of an unstemmed twin index (fts5vocab), compared with difflib."""

import difflib
import unicodedata
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from ..models import SearchEntry
from . import visibility
from .query import ParsedQuery

START, STOP = "\ue000", "\ue001"  # private-use marks, escaped HTML around them later
# bm25's weight of each column: title, body, labels.
WEIGHTS = "4.0, 1.0, 0.5"


def _matches(column: str, query: ParsedQuery, kind: str) -> RawSQL:
    # The kind is filtered beside the match, and CROSS JOIN makes SQLite start from the
    # matches: from the kind's index it read 100,000 updates, each asked MATCH (seconds).
    return RawSQL(
        f"SELECT {column} FROM search_fts CROSS JOIN commitments_searchentry AS e ON e.id = search_fts.rowid"
        " WHERE search_fts MATCH %s AND e.kind = %s",
        [query.fts5(), kind],
    )


def matching(query: ParsedQuery, kind: str) -> QuerySet[SearchEntry]:
    return SearchEntry.objects.filter(id__in=_matches("search_fts.rowid", query, kind)).order_by()


def matching_record_ids(query: ParsedQuery, kind: str) -> RawSQL:
    """The matching records' ids, for a listing's `pk__in` (read from the entries the match
    joined, not from the entries again: a common word's 2,800 commitments cost a third less)."""
    return _matches("e.record_id", query, kind)


# More matches than this, of every kind and public or not, and each kind is counted apart,
# up to the engine's cap (one count of them all would read every match's entry).
MAX_COUNTED_TOGETHER = 10_000


def public_counts(query: ParsedQuery, cap: int) -> dict[str, int] | None:
    """Each kind's public matches, counted in one pass over the matches (the flags current;
    the engine caps them); None when there are too many matches to count them all."""
    expression = query.fts5()
    shown, _no_params = visibility.shown_sql("e")
    with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH %s", [expression])
        if cursor.fetchone()[0] > MAX_COUNTED_TOGETHER:
            return None
        cursor.execute(
            "SELECT e.kind, COUNT(*) FROM search_fts CROSS JOIN commitments_searchentry AS e"
            f" ON e.id = search_fts.rowid WHERE search_fts MATCH %s AND {shown} GROUP BY e.kind",
            [expression],
        )
        return dict(cursor.fetchall())


def ranked(
    query: ParsedQuery, kind: str, entries: QuerySet[SearchEntry], offset: int, limit: int, *, flagged: bool
) -> list[tuple[int, str]]:
    # Matches are scored once (materialized), the page's rows chosen among them, and only
    # those get a snippet (snippet() over every match of a common word reads each text).
    shown, shown_params = visibility.shown_sql("e", None if flagged else entries)
    sql = f"""
        WITH scored AS MATERIALIZED (
            SELECT search_fts.rowid AS entry, bm25(search_fts, {WEIGHTS}) AS score
            FROM search_fts CROSS JOIN commitments_searchentry AS e ON e.id = search_fts.rowid
            WHERE search_fts MATCH %s AND e.kind = %s AND {shown}
        ),
        page AS (SELECT entry, score FROM scored ORDER BY score, entry LIMIT %s OFFSET %s)
        SELECT e.record_id, snippet(search_fts, 1, %s, %s, '…', 24)
        FROM page
        JOIN search_fts ON search_fts.rowid = page.entry
        JOIN commitments_searchentry AS e ON e.id = page.entry
        WHERE search_fts MATCH %s
        ORDER BY page.score, page.entry
    """
    expression = query.fts5()
    params: list[Any] = [expression, kind, *shown_params, limit, offset, START, STOP, expression]
    with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
        cursor.execute(sql, params)
        return [(record_id, snippet) for record_id, snippet in cursor.fetchall()]


def _folded(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).lower()


def close_words(word: str) -> list[str]:
    """Indexed words spelt like this one, closest first; [] if it is indexed itself. Only
    words with the same first letter are compared (a typo rarely starts a word)."""
    folded = _folded(word)
    first = folded[:1]
    with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
        cursor.execute(
            "SELECT term FROM search_vocabulary WHERE term >= %s AND term < %s", [first, first + "\U0010ffff"]
        )
        terms = [row[0] for row in cursor.fetchall()]
    if folded in terms:
        return []
    return difflib.get_close_matches(folded, terms, n=3, cutoff=0.75)
