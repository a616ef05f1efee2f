"""One search engine over commitments, quotes, documents and status updates: PostgreSQL's
full-text search or SQLite's FTS5 behind one interface (engine), reading one parse of what
the reader typed (query), over an index the database keeps current (schema)."""

from .engine import FEW_RESULTS, MAX_COUNTED, Hit, Results, hits, marked, matching_ids, search, suggestions
from .query import MAX_TERMS, ParsedQuery, parse

__all__ = [
    "FEW_RESULTS",
    "MAX_COUNTED",
    "MAX_TERMS",
    "Hit",
    "ParsedQuery",
    "Results",
    "hits",
    "marked",
    "matching_ids",
    "parse",
    "search",
    "suggestions",
]
