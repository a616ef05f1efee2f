"""Every word a French page shows is French, except content written in English, which is
marked lang="en" (a screen reader then reads it with an English voice)."""

import re
from html.parser import HTMLParser

import pytest

from django.utils import translation

from commitments.models import Commitment
from commitments.selectors import public_documents

from .public_urls import public_urls

pytestmark = pytest.mark.django_db

# Common English words that are not also French words ("on", "as", "an", "or", "date",
# "page", "type", "source" are both, so they are left out).
ENGLISH = frozenset(
    """the of and to by with for from is are was were this that which will would has have it its at not
    what when where who how each every all any one yes troops government affairs global paragraph
    heading sentence first second third fourth last letter bullet field text number integer string
    boolean title summary made commitment commitments update updates quote quotes evidence english french
    cite accessed target progress status achieved pledged deployed download these rows filter filters
    sort search page's there their than into only also more most""".split()
)
# Elements whose words are not shown, or are identifiers (column names, codes). A page's
# <title> cannot hold an element marked lang="en": where it names an English document, the
# page's <h1> carries the same words, marked, and is scanned.
UNSHOWN = frozenset({"script", "style", "code", "template", "title"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
SHOWN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


class FrenchScan(HTMLParser):
    """Collects English words in text and labels outside any lang="en" element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, words here are exempt)
        self.found: list[str] = []

    def exempt(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        lang = values.get("lang")
        exempt = (lang.startswith("en") if lang else self.exempt()) or tag in UNSHOWN or self.exempt_parent()
        if not exempt:
            for name in SHOWN_ATTRIBUTES:
                if values.get(name):
                    self.check(values[name], f"{tag}[{name}]")
        if tag not in VOID:
            self.stack.append((tag, exempt))

    def exempt_parent(self) -> bool:
        return any(tag in UNSHOWN for tag, _exempt in self.stack)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self.exempt() and not self.exempt_parent():
            self.check(data, self.stack[-1][0] if self.stack else "")

    def check(self, text: str, where: str):
        # Addresses and acronyms (UN, CC BY) are names, not English prose.
        text = re.sub(r"https?://\S+", "", text)
        words = {word.lower() for word in re.findall(r"[A-Za-z']+", text) if not word.isupper()}
        english = sorted(words & ENGLISH)
        if english:
            self.found.append(f"<{where}> {' '.join(english)}: {text.strip()[:120]!r}")


def english_outside_lang_en(html: str) -> list[str]:
    scan = FrenchScan()
    scan.feed(html)
    return scan.found


def french_pages() -> list[str]:
    """Every French page of the crawl list, and every published commitment's and public
    document's page (the list has one of each)."""
    pages = [url for url in public_urls() if url.startswith("/fr/") and url.endswith("/")]
    with translation.override("fr"):
        pages += [commitment.get_absolute_url() for commitment in Commitment.objects.published()]
        pages += [document.get_absolute_url() for document in public_documents()]
    return sorted(set(pages))


def test_the_scan_finds_english_only_outside_lang_en():
    assert english_outside_lang_en('<p>Cible : up to 600 troops</p>') != []
    assert english_outside_lang_en('<p>Cible : <span lang="en">up to 600 troops</span></p>') == []
    assert english_outside_lang_en('<p aria-label="Progress of the target">42 %</p>') != []
    assert english_outside_lang_en("<p>Le Canada déploiera des militaires.</p>") == []


def test_every_french_page_is_in_french(client, seed):
    found = {}
    for url in french_pages():
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        english = english_outside_lang_en(response.content.decode())
        if english:
            found[url] = english
    assert found == {}
