"""What a reader typed, read once as a web search engine would, then written for each
database: words must all appear, "quoted words" as a phrase, -word must not appear, and
`or` between alternatives. PostgreSQL gets it as websearch_to_tsquery's input, SQLite as an
FTS5 expression; both from this one reading, so the two answer alike.

Nothing a reader types can make an invalid query: only runs of letters and digits reach the
database, each inside double quotes. A query with nothing to look for ("-", "or", `"`, an
emoji) is empty, and the page says so."""

import re
from dataclasses import dataclass

# At most this many terms are searched (the rest are ignored, as the table's search did).
MAX_TERMS = 10
_TOKENS = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# A word as both databases' tokenizers see one: letters and digits, no underscore.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # more than one: a phrase
    excluded: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    # Alternatives (joined by "or"), each a list of terms that must all match.
    alternatives: tuple[tuple[Term, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.alternatives)

    def wanted_words(self) -> list[str]:
        """The words a record must hold (for "Did you mean"), in the order typed."""
        return [word for terms in self.alternatives for term in terms if not term.excluded for word in term.words]

    def websearch(self) -> str:
        """For PostgreSQL's websearch_to_tsquery."""
        return " or ".join(
            " ".join(f'{"-" if term.excluded else ""}"{" ".join(term.words)}"' for term in terms)
            for terms in self.alternatives
        )

    def fts5(self) -> str:
        """For SQLite's FTS5 MATCH: (a AND "b c") NOT d, alternatives joined by OR."""
        expressions = []
        for terms in self.alternatives:
            expression = " AND ".join(f'"{" ".join(term.words)}"' for term in terms if not term.excluded)
            for term in terms:
                if term.excluded:
                    expression = f'({expression}) NOT "{" ".join(term.words)}"'
            expressions.append(f"({expression})")
        return " OR ".join(expressions)


def parse(text: str) -> ParsedQuery:
    alternatives: list[tuple[Term, ...]] = []
    current: list[Term] = []
    count = 0
    for match in _TOKENS.finditer(text.replace("\x00", " ")):
        minus, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            alternatives.append(tuple(current))
            current = []
            continue
        excluded = bool(minus)
        if bare is not None and bare.startswith("-"):
            excluded, bare = True, bare[1:]
        words = tuple(word.lower() for word in _WORD.findall(phrase if bare is None else bare))
        if words and count < MAX_TERMS:
            current.append(Term(words=words, excluded=excluded))
            count += 1
    alternatives.append(tuple(current))
    # An alternative with nothing it must hold ("-war" alone) would match nearly everything.
    return ParsedQuery(tuple(terms for terms in alternatives if any(not term.excluded for term in terms)))
