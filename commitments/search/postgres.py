"""PostgreSQL's side of the engine: the entries' stored vectors (english and french stems,
accents removed by unaccent) matched by websearch_to_tsquery, ranked by ts_rank, snippets by
ts_headline, typos by pg_trgm's similarity over the indexed words."""

from django.contrib.postgres.search import SearchQuery
from django.db import connections, router
from django.db.models import QuerySet

from ..models import SearchEntry, SearchKind
from . import visibility
from .query import ParsedQuery

START, STOP = "\ue000", "\ue001"  # private-use marks, escaped HTML around them later


def _tsquery(query: ParsedQuery) -> SearchQuery:
    text = query.websearch()
    return SearchQuery(text, config="tracker_en", search_type="websearch") | SearchQuery(
        text, config="tracker_fr", search_type="websearch"
    )


def matching(query: ParsedQuery, kind: str) -> QuerySet[SearchEntry]:
    # No order: the model's (kind, record_id) would have a count's LIMIT walk that index,
    # testing every entry of the kind, rather than read the kind's GIN index (43 ms -> 0.1 ms).
    return SearchEntry.objects.filter(vector=_tsquery(query), kind=kind).order_by()


def matching_record_ids(query: ParsedQuery, kind: str) -> QuerySet:
    return matching(query, kind).values("record_id")


# The reader's query as both configurations read it: two parameters, the websearch text.
TSQUERY = "(websearch_to_tsquery('tracker_en', %s) || websearch_to_tsquery('tracker_fr', %s))"
HEADLINE_OPTIONS = (
    f"StartSel='{START}', StopSel='{STOP}', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter='…'"
)


def _rows(sql: str, params: list) -> list[tuple]:
    with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def public_counts(query: ParsedQuery, cap: int) -> dict[str, int]:
    """Each kind's public matches (the flags current), up to `cap`, in one statement: each
    kind read from its own GIN index of public entries."""
    shown, _no_params = visibility.shown_sql("e")
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM commitments_searchentry AS e WHERE kind = '{kind}' AND {shown}"
        f" AND vector @@ {TSQUERY} LIMIT {int(cap)}) AS matches)"
        for kind in SearchKind.values
    )
    (counts,) = _rows(f"SELECT {columns}", [query.websearch()] * 2 * len(SearchKind.values))
    return dict(zip(SearchKind.values, counts, strict=True))


def ranked(
    query: ParsedQuery, kind: str, entries: QuerySet[SearchEntry], offset: int, limit: int, *, flagged: bool
) -> list[tuple[int, str]]:
    """The page's entries, best first, with snippets, in one statement written here (the
    ORM's compiling of SearchRank and SearchHeadline cost more than PostgreSQL's running
    them); only the page's rows get a headline. Shown: by their flags, or `entries` (the
    public matches checked one by one)."""
    shown, shown_params = visibility.shown_sql("e", None if flagged else entries)
    sql = f"""
        SELECT record_id, ts_headline('tracker_en', body, {TSQUERY}, %s)
        FROM (
            SELECT record_id, body, ts_rank(vector, {TSQUERY}) AS rank
            FROM commitments_searchentry AS e
            WHERE kind = %s AND {shown} AND vector @@ {TSQUERY}
            ORDER BY rank DESC, record_id LIMIT %s OFFSET %s
        ) AS page
        ORDER BY rank DESC, record_id
    """
    text = query.websearch()
    params = [text, text, HEADLINE_OPTIONS, text, text, kind, *shown_params, text, text, limit, offset]
    return [(record_id, snippet) for record_id, snippet in _rows(sql, params)]


def close_words(word: str) -> list[str]:
    """Indexed words spelt like this one, closest first; [] if it is indexed itself."""
    with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
        cursor.execute(
            "SELECT word FROM commitments_searchword WHERE word %% %s ORDER BY similarity(word, %s) DESC, word LIMIT 4",
            [word, word],
        )
        words = [row[0] for row in cursor.fetchall()]
    return [] if word in words else words[:3]
