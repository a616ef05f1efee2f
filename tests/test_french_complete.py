"""Every word a French page shows is French, except content written in English, which is
marked lang="en" (a screen reader then reads it with an English voice)."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import translation

from commitments.models import Commitment, ReasonCode, Status
from commitments.selectors import public_documents

from .factories import RestatementFactory, SuccessCriterionFactory, commitment_with_basis, record_approved
from .helpers import csv_rows
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
        # translate="no": code to copy (the embed snippet), in no language.
        code = values.get("translate") == "no"
        exempt = (lang.startswith("en") if lang else self.exempt()) or tag in UNSHOWN or code or self.exempt_parent()
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
    assert english_outside_lang_en("<p>Cible : up to 600 troops</p>") != []
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


def french_page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_units_bodies_targets_and_numbers_read_in_french(client, seed):
    troops = french_page(client, "/fr/commitments/deploy-600-troops-peace-operations/")
    assert "Cible\xa0: <strong>jusqu&#x27;à 600 militaires</strong> (600 militaires)" in troops
    assert "par le gouvernement du Canada" in troops
    assert "250 militaires (42\u202f% de la cible)" in troops and "42%" not in troops
    billion = french_page(client, "/fr/commitments/global-partnership-1-billion/")
    assert (
        "(1\xa0000\xa0000\xa0000 $ CA)" in billion and "820\xa0000\xa0000 $ CA versé (82\u202f% de la cible)" in billion
    )
    assert "<dd>Affaires étrangères Canada</dd>" in billion
    english = client.get("/commitments/global-partnership-1-billion/").content.decode()
    assert "(1,000,000,000 CAD)" in english and "<dd>Foreign Affairs Canada</dd>" in english


def test_locators_are_written_in_the_pages_language(client, seed):
    troops = french_page(client, "/fr/commitments/deploy-600-troops-peace-operations/")
    assert "6 septembre 2016, partie anglaise, paragraphe 10" in troops
    assert (
        "English part, paragraph 10" in client.get("/commitments/deploy-600-troops-peace-operations/").content.decode()
    )
    # A heading's words stay in the document's language, marked.
    billion = french_page(client, "/fr/commitments/global-partnership-1-billion/")
    assert 'intertitre «\xa0<span lang="en">The Global Partnership</span>\xa0», dernière phrase' in billion


def test_a_unit_or_body_outside_the_vocabularies_is_marked_english(client, db):
    from .factories import commitment_with_basis

    commitment = commitment_with_basis(responsible_body="Ministry of Widgets", updates=1)
    Commitment.objects.filter(pk=commitment.pk).update(target_unit="widgets")
    with translation.override("fr"):
        html = french_page(client, commitment.get_absolute_url())
    assert '(600 <span lang="en">widgets</span>)' in html
    assert '<dd><span lang="en">Ministry of Widgets</span></dd>' in html


def test_citations_use_the_french_title_on_french_pages_and_downloads(client, seed):
    troops = Commitment.objects.get(slug="deploy-600-troops-peace-operations")
    html = french_page(client, "/fr/commitments/deploy-600-troops-peace-operations/")
    assert f'<p class="citation">«\xa0{troops.title_fr}\xa0»'.replace("'", "&#x27;") in html
    rows = {row["slug"]: row for row in csv_rows(client, "/fr/commitments/export.csv")}
    assert rows[troops.slug]["citation"].startswith(f"«\xa0{troops.title_fr}\xa0». Suivi des engagements")
    english = {row["slug"]: row for row in csv_rows(client, "/commitments/export.csv")}
    assert english[troops.slug]["citation"].startswith(f"“{troops.title}.” Commitment Tracker")


def test_the_data_dictionary_is_french_under_fr(client, db):
    html = french_page(client, "/fr/data/")
    assert "Données compilées\xa0: Creative Commons Attribution 4.0" in html
    assert "<td>entier</td>" in html and "<td>texte</td>" in html and "<td>integer</td>" not in html
    assert "Identifiant stable de l&#x27;engagement" in html and '<td lang="en">' not in html
    assert "Avec quelle précision <code>status_as_of</code> est connue." in html


def test_an_undertaking_is_an_engagement_ferme(client, db):
    assert "Engagement ferme" in french_page(client, "/fr/methodology/")


# French typography, as Canada's Guide du rédacteur sets it: a no-break space before the
# colon and inside « », a narrow no-break space before ; ? and !. A plain space there lets
# a line (on a phone, often) break before the sign or after the opening guillemet.
_CLAUSE_END = r"(?=\s|$|\\n|<|»|\u00a0|\"|\))"
_MISPLACED = [
    (re.compile(r"(?<!\u00a0):" + _CLAUSE_END), "no-break space before ':'"),
    # (A no-break space also holds a sign quoted as itself: the separator « ; ».)
    (re.compile(r"(?<![\u202f\u00a0])[;?!]" + _CLAUSE_END), "narrow no-break space before ';', '?' or '!'"),
    (re.compile(r"«(?!\u00a0)"), "no-break space after '«'"),
    (re.compile(r"(?<!\u00a0)»"), "no-break space before '»'"),
]


def french_messages() -> list[str]:
    po = (Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    blocks = re.findall(r'^msgstr(?:\[\d\])? ((?:"(?:[^"\\]|\\.)*"\n?)+)', po, re.M)
    return ["".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block)) for block in blocks[1:]]  # after the header


def test_french_punctuation_is_spaced_so_no_line_breaks_before_it():
    messages = french_messages()
    assert len(messages) > 500
    wrong = [(rule, text) for text in messages for pattern, rule in _MISPLACED if pattern.search(text)]
    assert wrong == []
    assert any("\u00a0:" in text for text in messages) and any("«\u00a0" in text for text in messages)


def test_a_french_page_keeps_its_punctuation_with_the_word_before(client, seed):
    html = client.get("/fr/commitments/").content.decode()
    assert "Engagements publiés\u00a0: sélectionnez" in html and "publiés :" not in html


def test_no_template_writes_a_plain_colon_after_a_label():
    """A label and its value joined in a template take the language's colon (the French
    one after a no-break space), not a colon typed into the template."""
    templates = Path(__file__).resolve().parent.parent / "templates"
    joined = re.compile(r"(\}\}|</a>|</strong>|</time>|%\}):")
    translated = re.compile(r"\{% blocktranslate.*?\{% endblocktranslate %\}", re.S)  # its colon is the .po's
    typed = []
    for path in templates.rglob("*.html"):
        typed += [f"{path.name}: {match[0]}" for match in joined.finditer(translated.sub("", path.read_text()))]
    assert typed == []


def test_a_refused_filter_names_its_field_with_the_languages_colon(client, db):
    french = client.get("/fr/commitments/?year=abc").content.decode()
    english = client.get("/commitments/?year=abc").content.decode()
    assert re.search(r"</a>\u00a0: ", french) and "</a>: " not in french
    assert re.search(r"</a>: ", english)


def test_a_french_timeline_writes_its_dates_and_quotes_as_french_does(client, seed):
    html = client.get("/fr/commitments/back-kigali-principles/").content.decode()
    assert re.search(r"</time>\u00a0:", html) and "</time>:" not in html
    assert re.search(r'«\u00a0<span lang="(en|fr)">', html) and "“<span" not in html


def test_the_data_sets_french_is_spaced_as_the_interface_is(seed):
    """The French titles, summaries and targets the data set ships (fixture and revision)
    follow the same typography; the quotes are verbatim and keep their source's."""
    wrong = []
    french_fields = [field.name for field in Commitment._meta.get_fields() if field.name.endswith("_fr")]
    assert len(french_fields) == 3
    for model in (Commitment,):
        for row in model.objects.values("pk", *french_fields):
            for name in french_fields:
                wrong += [
                    (model.__name__, row["pk"], name, rule) for pattern, rule in _MISPLACED if pattern.search(row[name])
                ]
    assert wrong == []


def test_words_kept_only_in_english_are_labelled_on_a_french_commitment_page(client, db):
    """The analysts write in English: a French reader is told so wherever their words appear
    (the rationale, the reason, a restatement's change, a criterion's evidence)."""
    commitment = commitment_with_basis(updates=0)
    SuccessCriterionFactory(
        commitment=commitment, text="Troops deployed.", assessment="met", evidence="Deployment confirmed by DND."
    )
    RestatementFactory(commitment=commitment, kind="figure_changed", change="The figure rose from 500 to 600.")
    record_approved(
        commitment=commitment,
        status=Status.STALLED,
        as_of=datetime.date(2019, 1, 1),
        rationale="No deployment was announced.",
        reason_code=ReasonCode.NOT_PRIORITISED,
        reason_text="Other missions came first.",
        evidence_url="https://example.org/record",
    )
    html = client.get(f"/fr{commitment.get_absolute_url()}").content.decode()
    label = ' <span class="in-english">(en anglais)</span>'
    for words in (
        "No deployment was announced.",
        "Other missions came first.",
        "The figure rose from 500 to 600.",
        "Deployment confirmed by DND.",
    ):
        assert f'<span lang="en">{words}</span>{label}' in html, words
    assert "(in English)" not in client.get(commitment.get_absolute_url()).content.decode()
