"""PostgreSQL's side of the engine: the entries' stored vectors (english and french stems,
accents removed by unaccent) matched by websearch_to_tsquery, ranked by ts_rank, snippets by
ts_headline, typos by pg_trgm's similarity over the indexed words."""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections, router
from django.db.models import F, QuerySet

from ..models import SearchEntry
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


def public_counts(query: ParsedQuery) -> None:
    """Counted per kind by the engine: each kind's GIN index holds its public entries only."""
    return None


def ranked(
    query: ParsedQuery, kind: str, entries: QuerySet[SearchEntry], offset: int, limit: int, *, flagged: bool
) -> list[tuple[int, str]]:
    """The page's entries, best first, with snippets (`entries` is the public matches, by
    their flags or checked one by one)."""
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
