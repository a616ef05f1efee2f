"""Sentences that read like a commitment, ranked, each with why and a guess at its kind.

Deterministic rules, no external service: a sentence is split out of its paragraph by pysbd
(English or French, as the paragraph was detected), then matched against patterns of
undertaking, position, call to others and past action in both languages. Every suggestion
is a slice of the full text (`full_text[start:end] == text`), so a quote made from it is
verbatim by construction."""

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import pysbd
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz, process, utils

from ...models import StatementKind
from .reading import Span

_ACTOR = re.compile(r"\b(?:canada|canadian\w*|we|our|my government|foreign affairs|nous|notre|nos)\b", re.IGNORECASE)
_FIGURE = re.compile(
    r"(?:(?:up to|over|more than|jusqu['’]à|plus de)\s+)?"
    r"(?:(?:C|US)?\$\s?\d[\d,.]*(?:\s(?:million|billion))?"
    r"|\d[\d,.]*(?:\s(?:million|billion|millions|milliards?))?\s?(?:\$|dollars|de dollars)"
    r"|\b\d[\d,.]*\s+(?:troops|military personnel|personnel|police(?: officers)?|officers|soldiers|peacekeepers"
    r"|helicopters|aircraft|militaires|soldats|policiers|casques bleus|hélicoptères))",
    re.IGNORECASE,
)
_CONTINUES = re.compile(r"^(?:This|These|It|In particular|In addition|Moreover|De plus|En outre|Cela|Ceci)\b")
_SUBJECT = r"(?:canada|we|our government|my government|foreign affairs)"
_SUJET = r"(?:le canada|nous|notre gouvernement|mon gouvernement)"


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    weight: int
    pattern: re.Pattern
    description: object  # a lazy translation
    needs_actor: bool = False


def _rule(code, kind, weight, pattern, description, needs_actor=False) -> Rule:
    return Rule(code, kind, weight, re.compile(pattern, re.IGNORECASE), description, needs_actor)


U, P, C, A = (
    StatementKind.UNDERTAKING,
    StatementKind.POSITION,
    StatementKind.CALL_TO_OTHERS,
    StatementKind.PAST_ACTION,
)
RULES = (
    _rule(
        "will",
        U,
        5,
        rf"\b(?:{_SUBJECT}|it)\s+(?:\w+\s+){{0,3}}?(?:will|shall)\s+(?!not\b)\w+",
        _("Canada says it will act (“will”)"),
    ),
    _rule(
        "commits",
        U,
        5,
        r"\b(?:commitment of|(?:our|canada['’]s) commitment|undertaking|pledge[sd]?|(?:is|are|remains?) committed to"
        r"|commits? to|promised?)\b",
        _("a commitment, pledge or undertaking of Canada's"),
        needs_actor=True,
    ),
    _rule(
        "announced",
        U,
        5,
        r"\bannounced\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,6}?(?:commitment|program|programme|fund|contribution|pledge"
        r"|initiative|deployment)",
        _("announces a commitment or programme"),
        needs_actor=True,
    ),
    _rule(
        "s_engage",
        U,
        5,
        rf"\b{_SUJET}\s+(?:\w+\s+){{0,2}}?(?:s['’]engage|nous engageons|versera|fournira|déploiera|contribuera"
        r"|allons|va|continuera|appuiera|travaillera|s['’]emploiera)\b",
        _("Canada undertakes to act (« s'engage à », « versera », …)"),
    ),
    _rule(
        "engagement",
        U,
        5,
        r"\b(?:engagement de|s['’]est engagé|promesse de|contribution de)\b",
        _("a commitment of Canada's (« engagement »)"),
        needs_actor=True,
    ),
    _rule("figure", U, 3, _FIGURE.pattern, _("names a number with its unit"), needs_actor=True),
    _rule(
        "must",
        C,
        4,
        r"\b(?:we|all states|member states|states|the international community|all of us)\s+(?:\w+\s+)?"
        r"(?:must|should|need to|have to|ought to)\b|\bmore needs to be done\b"
        r"|\bit is (?:essential|imperative|crucial|vital) that\b",
        _("calls on others, or all, to act (“we must”)"),
    ),
    _rule(
        "il_faut",
        C,
        4,
        r"\bnous devons\b|\bil faut\b|\bil (?:nous )?faudra\b"
        r"|\b(?:les états|tous les états|la communauté internationale)\s+(?:\w+\s+)?"
        r"(?:doi(?:t|vent)|devrai(?:t|ent))\b",
        _("calls on others, or all, to act (« il faut », « nous devons »)"),
    ),
    _rule(
        "supports",
        P,
        4,
        rf"\b(?:{_SUBJECT}|{_SUJET})\s+(?:\w+\s+){{0,2}}?(?:supports?|welcomes?|commends?|believes?|applauds?|endorses?"
        r"|condemns?|recognizes?|is resolute|is pleased|are pleased|were (?:also )?pleased|is convinced"
        r"|appuie|appuyons|soutient|soutenons|salue|saluons|se félicite|félicite|accueille|croit|croyons"
        r"|estime|estimons|condamne|est résolu)\b",
        _("states Canada's position (supports, welcomes, commends, …)"),
    ),
    _rule(
        "important",
        P,
        3,
        r"\b(?:is|are|remains?|constitutes?|est|sont|constituent|demeure|reste)\s+(?:an?\s+|une?\s+)?(?:\w+\s+)?"
        r"(?:important|essential|crucial|vital|key|valuable|useful|importante?|essentielle?|précieux|utile)\s*"
        r"(?:framework|tool|step|instrument|contribution|means|mechanism|pour|\b)",
        _("judges an instrument or framework important"),
    ),
    _rule(
        "has_done",
        A,
        3,
        r"\b(?:canada|we|our government|my government|canadian[\w\s]{0,60}?)\s+(?:has|have|had)\s+(?:\w+\s+){0,2}?"
        r"(?!been\b)\w+(?:ed|en|wn|ne|ught)\b",
        _("reports what Canada has done"),
    ),
    _rule(
        "did",
        A,
        3,
        r"\bcanada\s+(?:\w+\s+)?(?:established|presented|created|launched|hosted|announced|contributed|deployed"
        r"|provided|sponsored|led|signed|ratified|adopted|transmitted|funded|founded|initiated|championed"
        r"|introduced|convened|chaired|helped)\b",
        _("reports what Canada did"),
    ),
    _rule(
        "is_doing",
        A,
        3,
        r"\b(?:canada|we)\s+(?:is|are)\s+(?:\w+ly\s+)?(?:extending|providing|working|supporting|contributing"
        r"|deploying|increasing|funding|helping|leading)\b",
        _("reports what Canada is doing"),
    ),
    _rule(
        "a_fait",
        A,
        3,
        rf"\b{_SUJET}\s+(?:\w+\s+)?(?:a|avons)\s+(?:\w+\s+)?\w+(?:é|ée|és|i|is|u|us|it|ert)\b",
        _("reports what Canada has done (« a … »)"),
    ),
    _rule(
        "letter",
        A,
        3,
        r"\bI have the honour to\b|\bI (?:should|would) be grateful\b|\bj['’]ai l['’]honneur de\b"
        r"|\bje vous serais (?:reconnaissant|obligé)",
        _("a formal act of a letter (transmits, asks for circulation)"),
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}
CONTINUATION = "continues"
CONTINUATION_DESCRIPTION = _("continues the sentence suggested before it")
RESTATEMENT_CUTOFF = 85
_RESTATEMENT_MIN_WORDS = 6


@dataclass(frozen=True)
class Suggested:
    start: int
    end: int
    text: str
    language: str
    kind: str
    reasons: tuple[str, ...]
    figure: str
    score: int
    restatement_of: int | None = None


@cache
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False)


def _may_hold_a_suggestion(paragraph: str) -> bool:
    """Whether any sentence of the paragraph could be suggested: one matches a rule only if
    the paragraph does, and a continuation with no rule of its own is a paragraph's first
    sentence. Splitting is most of the time taken (pysbd), so other paragraphs are skipped."""
    return _CONTINUES.match(paragraph) is not None or any(rule.pattern.search(paragraph) for rule in RULES)


def sentences(full_text: str, spans: Sequence[Span], *, only_candidates: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, language) of each sentence, paragraph by paragraph (with only_candidates,
    of the paragraphs that may hold a suggestion)."""
    starts = [span.start for span in spans]
    found: list[tuple[int, int, str]] = []
    for paragraph in re.finditer(r"[^\n]+(?:\n[^\n]+)*", full_text):
        index = bisect_right(starts, paragraph.start()) - 1
        language = spans[index].language if index >= 0 else "en"
        text = paragraph.group()
        if only_candidates and not _may_hold_a_suggestion(text):
            continue
        cursor = 0
        for segment in _segmenter(language).segment(text):
            piece = segment.strip()
            position = text.find(piece, cursor) if piece else -1
            if position < 0:
                continue
            cursor = position + len(piece)
            found.append((paragraph.start() + position, paragraph.start() + cursor, language))
    return found


def _judge(sentence: str) -> tuple[list[Rule], str]:
    has_actor = _ACTOR.search(sentence) is not None
    matched = [rule for rule in RULES if (has_actor or not rule.needs_actor) and rule.pattern.search(sentence)]
    figure = _FIGURE.search(sentence) if has_actor else None
    return sorted(matched, key=lambda rule: -rule.weight), (figure.group().strip() if figure else "")


def suggest(full_text: str, spans: Sequence[Span], known_quotes: Sequence[tuple[int, str]] = ()) -> list[Suggested]:
    """The suggested sentences, best first. `known_quotes` are (commitment id, quote text) of
    the commitments already tracked, for "possible restatement of …"."""
    suggested: list[Suggested] = []
    previous: Suggested | None = None
    for start, end, language in sentences(full_text, spans, only_candidates=True):
        text = full_text[start:end]
        rules, figure = _judge(text)
        if rules:
            kind = rules[0].kind
            codes = tuple(rule.code for rule in rules)
            score = rules[0].weight + len(rules) - 1 + (2 if figure and "figure" not in codes else 0)
        elif (
            previous is not None
            and previous.end < start
            and _CONTINUES.match(text)
            and _follows(full_text, previous, start)
        ):
            kind, codes, score = previous.kind, (CONTINUATION,), 2
        else:
            previous = None
            continue
        previous = Suggested(start, end, text, language, kind, codes, figure, score)
        suggested.append(previous)
    suggested = _with_restatements(suggested, known_quotes)
    return sorted(suggested, key=lambda item: (-item.score, item.start))


def _follows(full_text: str, previous: Suggested, start: int) -> bool:
    """Nothing but white space between the suggested sentence and this one."""
    return not full_text[previous.end : start].strip()


def _with_restatements(suggested: list[Suggested], known_quotes: Sequence[tuple[int, str]]) -> list[Suggested]:
    choices = {
        index: text for index, (_id, text) in enumerate(known_quotes) if len(text.split()) >= _RESTATEMENT_MIN_WORDS
    }
    if not choices:
        return suggested
    result = []
    for item in suggested:
        best = process.extractOne(
            item.text,
            choices,
            scorer=fuzz.token_set_ratio,
            processor=utils.default_process,
            score_cutoff=RESTATEMENT_CUTOFF,
        )
        if best is None:
            result.append(item)
            continue
        commitment_id = known_quotes[best[2]][0]
        result.append(Suggested(**{**item.__dict__, "restatement_of": commitment_id, "score": item.score + 1}))
    return result


def describe(reasons: Sequence[str], figure: str = "", restatement: str = "") -> str:
    """Why a sentence was suggested, in the active language."""
    parts = [
        str(CONTINUATION_DESCRIPTION if code == CONTINUATION else RULES_BY_CODE[code].description)
        for code in reasons
        if code == CONTINUATION or code in RULES_BY_CODE
    ]
    text = "; ".join(parts)
    if figure:
        text += " — " + str(_("figure: %(figure)s")) % {"figure": figure}
    if restatement:
        text += " — " + str(_("possible restatement of “%(title)s”")) % {"title": restatement}
    return text
