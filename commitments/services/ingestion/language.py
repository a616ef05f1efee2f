"""Which official language a paragraph is in: English or French, from their commonest words.

Deterministic and small on purpose: the tracker only ever tells these two apart, and a
paragraph of a Canadian statement carries enough function words to decide."""

import re

_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = frozenset(
    "the of and to in is that for on with as by are we it this be has have will its our from an at which "
    "not or was were their they you thank would should must can been these those".split()
)
_FRENCH = frozenset(
    "le la les des de du et à en un une est que qui pour dans sur par nous au aux ce cette ces sont ont "
    "il elle leur leurs se ne pas plus avec l d qu j s n c été être vous notre nos monsieur merci".split()
)
_FRENCH_LETTERS = frozenset("éèêàâçœùûôîï")


def language_scores(text: str) -> tuple[int, int]:
    """(English, French) evidence: function words of each, plus French accented letters."""
    words = _WORD.findall(text.lower())
    english = sum(word in _ENGLISH for word in words)
    french = sum(word in _FRENCH for word in words)
    french += min(3, sum(char in _FRENCH_LETTERS for char in text.lower()))
    return english, french


def detect_language(text: str) -> str | None:
    """ "en" or "fr", or None when the paragraph gives no evidence either way."""
    english, french = language_scores(text)
    if english == french:
        return None
    return "en" if english > french else "fr"


def settle_languages(guesses: list[str | None], default: str) -> list[str]:
    """Fill each undecided paragraph with its nearest decided neighbour's language (before it,
    else after it): a one-word line belongs to the part of the document it sits in."""
    settled: list[str | None] = list(guesses)
    previous: str | None = None
    for index, guess in enumerate(settled):
        if guess is None:
            settled[index] = previous
        else:
            previous = guess
    following: str | None = None
    for index in range(len(settled) - 1, -1, -1):
        if guesses[index] is not None:
            following = guesses[index]
        if settled[index] is None:
            settled[index] = following or default
    return [value or default for value in settled]
