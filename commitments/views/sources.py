"""The documents' pages, each quoted passage marked in its text.

Positions come from textmatch.find_passage, computed from the text on every view, so they
survive white-space differences; nothing about them is stored."""

import re
from dataclasses import dataclass, field

from django.views.generic import DetailView, ListView

from .. import selectors
from ..listings.rendering import OnePageCountingPaginator
from ..models import Language, Quote, SourceDocument
from ..models.textmatch import find_passage


class SourceListView(ListView):
    template_name = "commitments/source_list.html"
    context_object_name = "documents"
    # A page of documents, not all of them: 1,000 rows were 470 KB on a phone. Counted by
    # its rows while they fit on one page (no COUNT query for a few documents).
    paginate_by = 100
    paginator_class = OnePageCountingPaginator

    def get_queryset(self):
        return selectors.source_list()


class SourceDetailView(DetailView):
    template_name = "commitments/source_detail.html"
    context_object_name = "document"

    def get_queryset(self):
        return selectors.source_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document: SourceDocument = self.object
        paragraphs = highlighted_paragraphs(document.full_text, list(document.quotes.all()))
        if document.language == Language.BILINGUAL:
            languages = paragraph_languages(["".join(segment.text for segment in p) for p in paragraphs])
        else:  # the whole text carries the document's language
            languages = [""] * len(paragraphs)
        context["paragraphs"] = list(zip(languages, paragraphs, strict=True))
        return context


# Words frequent in one official language and absent from the other's prose.
_FRENCH = frozenset("le la les des du et est une que qui pour dans nous sur aux ce cette sont pas ne leur".split())
_ENGLISH = frozenset("the and of to is that we for with this are be it its our has have their will".split())
_WORD = re.compile(r"[^\W\d_]+")


def paragraph_languages(paragraphs: list[str]) -> list[str]:
    """The language of each paragraph of a bilingual document ("en" or "fr"), by its common
    words; a paragraph with none (a date, a name) takes the one before it, so a French page
    reads the English part with an English voice and the reverse."""
    languages, current = [], ""
    for text in paragraphs:
        words = [word.lower() for word in _WORD.findall(text)]
        french = sum(word in _FRENCH for word in words)
        english = sum(word in _ENGLISH for word in words)
        if french != english:
            current = "fr" if french > english else "en"
        languages.append(current)
    # Leading paragraphs without a signal take the first language found.
    first = next((language for language in languages if language), "")
    return [language or first for language in languages]


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


@dataclass
class Segment:
    text: str
    quotes: list[Quote] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    ending: list[Quote] = field(default_factory=list)

    @property
    def is_quoted(self) -> bool:
        return bool(self.quotes)


def highlighted_paragraphs(full_text: str, quotes: list[Quote]) -> list[list[Segment]]:
    spans = []
    for quote in quotes:
        span = find_passage(full_text, quote.text)
        if span is not None:
            spans.append((span, quote))
    boundaries = {0, len(full_text)}
    for (start, end), _quote in spans:
        boundaries.update((start, end))
    for match in _PARAGRAPH_BREAK.finditer(full_text):
        boundaries.update((match.start(), match.end()))
    cuts = sorted(boundaries)

    paragraphs: list[list[Segment]] = [[]]
    anchored: set[int] = set()
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = full_text[start:end]
        if _PARAGRAPH_BREAK.fullmatch(piece):
            paragraphs.append([])
            continue
        covering = [quote for (s, e), quote in spans if s <= start and end <= e]
        ending = [quote for (s, e), quote in spans if e == end]
        segment = Segment(piece, covering, ending=ending)
        for quote in covering:
            if quote.pk not in anchored:
                anchored.add(quote.pk)
                segment.anchors.append(quote.anchor)
        paragraphs[-1].append(segment)
    return [paragraph for paragraph in paragraphs if paragraph]
