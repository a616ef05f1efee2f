"""The documents' pages, each quoted passage marked in its text.

Positions come from textmatch.find_passage, computed from the text on every view, so they
survive white-space differences; nothing about them is stored."""

import re
from dataclasses import dataclass, field

from django.views.generic import DetailView, ListView

from .. import selectors
from ..models import Quote, SourceDocument
from ..textmatch import find_passage


class SourceListView(ListView):
    template_name = "commitments/source_list.html"
    context_object_name = "documents"

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
        context["paragraphs"] = highlighted_paragraphs(document.full_text, list(document.quotes.all()))
        return context


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
