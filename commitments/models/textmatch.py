"""Locate a quote in its document's text, tolerating only white-space and typographic differences.

A quote is verbatim when it occurs in the document once runs of white space are
folded to one space on both sides and typographic variants of a character are read as
the same character (’ and ', “ and ", – and -; a non-breaking space is white space).
Matching works on the folded text and maps positions back to the original, so
highlighting needs no stored offsets; the stored quote takes the document's own
characters (in_document_characters).
"""

import difflib
import re
from dataclasses import dataclass

_WHITESPACE = re.compile(r"\s+")

# One character for one, so a folded position is still an original position.
_TYPOGRAPHIC = str.maketrans(
    {
        **dict.fromkeys("’‘‛′ʼ`", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)


def fold_typography(text: str) -> str:
    """Typographic variants as their plain character: ’ -> ', “ -> ", — -> -."""
    return text.translate(_TYPOGRAPHIC)


def fold_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """What matching compares: white space folded, typography plain."""
    return fold_typography(fold_whitespace(text))


@dataclass(frozen=True)
class FoldedText:
    """`text` with white-space runs folded, and each folded character's original index."""

    folded: str
    origins: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> "FoldedText":
        chars: list[str] = []
        origins: list[int] = []
        for match in re.finditer(r"\s+|\S", text):
            piece = match.group()
            if piece.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    origins.append(match.start())
            else:
                chars.append(fold_typography(piece))
                origins.append(match.start())
        if chars and chars[-1] == " ":
            chars.pop()
            origins.pop()
        return cls("".join(chars), tuple(origins))


def find_passage(full_text: str, quote: str) -> tuple[int, int] | None:
    """Return (start, end) of the first occurrence of `quote` in `full_text`, or None."""
    needle = fold(quote)
    if not needle:
        return None
    haystack = FoldedText.of(full_text)
    position = haystack.folded.find(needle)
    if position < 0:
        return None
    last = position + len(needle) - 1
    return haystack.origins[position], haystack.origins[last] + 1


def in_document_characters(full_text: str, quote: str) -> str:
    """`quote` with each character the document's own where only typography differs (the
    analyst typed ' where the document has ’); its white space stays as typed. Unchanged
    if the quote is not in the document."""
    span = find_passage(full_text, quote)
    if span is None:
        return quote
    document_chars = iter([char for char in full_text[span[0] : span[1]] if not char.isspace()])
    return "".join(char if char.isspace() else next(document_chars, char) for char in quote)


def closest_passage(full_text: str, quote: str) -> str:
    """The stretch of `full_text` most like `quote`, to show an analyst where a typo is."""
    needle = fold(quote)
    haystack = fold_whitespace(full_text)
    if not needle or not haystack:
        return ""
    matcher = difflib.SequenceMatcher(None, fold_typography(haystack), needle, autojunk=False)
    block = max(matcher.get_matching_blocks(), key=lambda b: b.size)
    # Centre a window the quote's length on the longest block both share.
    start = max(0, block.a - block.b)
    return haystack[start : start + len(needle)]


def first_difference(passage: str, quote: str) -> int | None:
    """Where `passage` (as closest_passage gives it) first differs from `quote`, read as
    matching reads them; None if they agree."""
    needle = fold(quote)
    plain = fold_typography(passage)
    for position, (ours, theirs) in enumerate(zip(plain, needle, strict=False)):
        if ours != theirs:
            return position
    return None if len(plain) == len(needle) else min(len(plain), len(needle))
