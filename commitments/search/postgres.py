"""PostgreSQL's side of the engine: the entries' stored vectors (english and french stems,
accents removed by unaccent) matched by websearch_to_tsquery, ranked by ts_rank, snippets by
ts_headline, typos by pg_trgm's similarity over the indexed words."""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections, router
from django.db.models import F, QuerySet

from ..models import SearchEntry, SearchKind
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


# The reader's query as both configurations read it (one parameter, the websearch text).
TSQUERY = "(websearch_to_tsquery('tracker_en', %(q)s) || websearch_to_tsquery('tracker_fr', %(q)s))"
# An entry shown by its flag, asked in each statement (visibility.flagged says why).
SHOWN = "public AND NOT EXISTS (SELECT 1 FROM commitments_searchchange)"
# As django.contrib.postgres's SearchHeadline writes them (the ORM's path below).
HEADLINE_OPTIONS = (
    f"StartSel='{START}', StopSel='{STOP}', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter='…'"
)


def _rows(sql: str, params: dict) -> list[tuple]:
    with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def public_counts(query: ParsedQuery, cap: int) -> dict[str, int]:
    """Each kind's public matches (the flags current), up to `cap`, in one statement: each
    kind read from its own GIN index of public entries."""
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM commitments_searchentry WHERE kind = '{kind}' AND {SHOWN}"
        f" AND vector @@ {TSQUERY} LIMIT {int(cap)}) AS matches)"
        for kind in SearchKind.values
    )
    (counts,) = _rows(f"SELECT {columns}", {"q": query.websearch()})
    return dict(zip(SearchKind.values, counts, strict=True))


def ranked(
    query: ParsedQuery, kind: str, entries: QuerySet[SearchEntry], offset: int, limit: int, *, flagged: bool
) -> list[tuple[int, str]]:
    """The page's entries, best first, with snippets (`entries` is the public matches, by
    their flags or checked one by one). With the flags current, one statement written here:
    the ORM's compiling of the same cost more than PostgreSQL's running it."""
    if flagged:
        sql = f"""
            SELECT record_id, ts_headline('tracker_en', body, {TSQUERY}, %(options)s)
            FROM (
                SELECT record_id, body, ts_rank(vector, {TSQUERY}) AS rank
                FROM commitments_searchentry
                WHERE kind = %(kind)s AND {SHOWN} AND vector @@ {TSQUERY}
                ORDER BY rank DESC, record_id LIMIT %(limit)s OFFSET %(offset)s
            ) AS page
            ORDER BY rank DESC, record_id
        """
        params = {"q": query.websearch(), "kind": kind, "limit": limit, "offset": offset, "options": HEADLINE_OPTIONS}
        return [(record_id, snippet) for record_id, snippet in _rows(sql, params)]
    tsquery = _tsquery(query)
    snippet = SearchHeadline(
        "body",
        tsquery,
        config="tracker_en",
        start_sel=START,
        stop_sel=STOP,
        max_fragments=2,
        max_words=30,
        min_words=12,
        fragment_delimiter="…",
    )
    rows = (
        entries.annotate(rank=SearchRank(F("vector"), tsquery), snippet=snippet)
        .order_by("-rank", "record_id")
        .values_list("record_id", "snippet")
    )
    return list(rows[offset : offset + limit])


def close_words(word: str) -> list[str]:
    """Indexed words spelt like this one, closest first; [] if it is indexed itself."""
    with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
        cursor.execute(
            "SELECT word FROM commitments_searchword WHERE word %% %s ORDER BY similarity(word, %s) DESC, word LIMIT 4",
            [word, word],
        )
        words = [row[0] for row in cursor.fetchall()]
    return [] if word in words else words[:3]
