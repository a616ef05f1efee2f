"""Locate a quote in its document's text, tolerating only white-space differences.

A quote is verbatim when it occurs in the document once runs of white space are
folded to one space on both sides. Matching works on the folded text and maps
positions back to the original, so highlighting needs no stored offsets.
"""

import difflib
import re
from dataclasses import dataclass

_WHITESPACE = re.compile(r"\s+")


def fold_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


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
                chars.append(piece)
                origins.append(match.start())
        if chars and chars[-1] == " ":
            chars.pop()
            origins.pop()
        return cls("".join(chars), tuple(origins))


def find_passage(full_text: str, quote: str) -> tuple[int, int] | None:
    """Return (start, end) of the first occurrence of `quote` in `full_text`, or None."""
    needle = fold_whitespace(quote)
    if not needle:
        return None
    haystack = FoldedText.of(full_text)
    position = haystack.folded.find(needle)
    if position < 0:
        return None
    last = position + len(needle) - 1
    return haystack.origins[position], haystack.origins[last] + 1


def closest_passage(full_text: str, quote: str) -> str:
    """The stretch of `full_text` most like `quote`, to show an analyst where a typo is."""
    needle = fold_whitespace(quote)
    haystack = fold_whitespace(full_text)
    if not needle or not haystack:
        return ""
    matcher = difflib.SequenceMatcher(None, haystack, needle, autojunk=False)
    block = max(matcher.get_matching_blocks(), key=lambda b: b.size)
    # Centre a window the quote's length on the longest block both share.
    start = max(0, block.a - block.b)
    return haystack[start : start + len(needle)]
