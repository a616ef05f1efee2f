"""A draft commitment, a status update pending review, and a document only drafts and
pending updates use (with its quotes and full text), are invisible everywhere the public can
look, in English and in French.

The test walks the public site the way a crawler would — every link on every page, every
URL in the API's JSON — starting from every public route, and reads every body for the
draft's slug and title. New pages are covered without being listed here.
"""

import datetime
import json
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from commitments import services
from commitments.models import Commitment, Quote, Status

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    RestatementFactory,
    SourceDocumentFactory,
)
from .helpers import XLSX, text_of
from .public_urls import public_urls

MAX_PAGES = 400
# Sort and page links multiply one page into hundreds; a few variants of each path suffice.
MAX_VARIANTS_PER_PATH = 6
HREF = re.compile(r"""href="([^"]+)\"""")


@pytest.fixture
def draft(seed):
    """A draft resting on a real quote of a real document, with a status history."""
    draft = CommitmentFactory(
        slug="secret-draft-pledge",
        title="Unannounced pledge of 9,999 observers",
        summary="A draft that nobody outside may see.",
        is_published=False,
    )
    CommitmentQuoteFactory(commitment=draft, quote=Quote.objects.first())
    services.record_status_update(
        commitment=draft,
        status=Status.IN_PROGRESS,
        as_of=draft.made_on,
        rationale="Drafted for review.",
        evidence_url="https://example.org/draft",
    )
    return draft


PENDING_RATIONALE = "Pending second review: 9,999 observers deployed."


@pytest.fixture
def pending_update(seed):
    """An update awaiting review on a published commitment (with a target, so a reading shows)."""
    commitment = Commitment.objects.published().get(target_unit="troops")
    return services.record_status_update(
        commitment=commitment,
        status=Status.IN_PROGRESS,  # its criterion is not met: "achieved" would be refused
        as_of=commitment.made_on,
        progress_value=9999,
        progress_stage="deployed",
        rationale=PENDING_RATIONALE,
        evidence_url="https://example.org/pending-review",
    )


DRAFT_DOCUMENT = "secret-briefing-note"
DRAFT_DOCUMENT_TITLE = "Unpublished briefing on observers"
# Each paragraph is quoted once: by the draft, by its restatement, as a pending update's evidence.
DRAFT_DOCUMENT_WORDS = (
    "Canada will quietly send 7,777 advisers.",
    "Canada restates its unannounced plan for 7,777 advisers.",
    "Canada reports 7,777 advisers sent, unreviewed.",
)


@pytest.fixture
def draft_document(draft, pending_update):
    """A document (issued recently, so listed late) whose every quote only the draft, its
    restatement and a published commitment's pending update use."""
    document = SourceDocumentFactory(
        slug=DRAFT_DOCUMENT,
        title=DRAFT_DOCUMENT_TITLE,
        issued_on=datetime.date(2024, 1, 1),
        full_text="\n\n".join(DRAFT_DOCUMENT_WORDS) + "\n\nClosing words of the briefing.\n",
    )
    made, restated, evidence = (QuoteFactory(source=document, text=words) for words in DRAFT_DOCUMENT_WORDS)
    CommitmentQuoteFactory(commitment=draft, quote=made)
    RestatementFactory(commitment=draft, quote=restated)
    services.record_status_update(
        commitment=pending_update.commitment,
        status=Status.IN_PROGRESS,
        as_of=pending_update.as_of,
        rationale="Unreviewed evidence.",
        evidence_quote=evidence,
    )
    return document


def links_in(response, body: str) -> list[str]:
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html"):
        return HREF.findall(body)
    if content_type.startswith("application/json"):
        return re.findall(r"https?://testserver(/[^\s\"]*)", json.dumps(json.loads(body)))
    if "atom" in content_type or "xml" in content_type:
        return re.findall(r"https?://testserver(/[^\s\"<]*)", body)
    return []


def crawl(client, starts):
    seen, variants = set(), {}
    queue = deque(starts)
    while queue and len(seen) < MAX_PAGES:
        url = urldefrag(queue.popleft()).url.replace("&amp;", "&")
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or url in seen or parts.path.startswith(("/admin", "/static")):
            continue
        if variants.setdefault(parts.path, 0) >= MAX_VARIANTS_PER_PATH:
            continue
        variants[parts.path] += 1
        seen.add(url)
        response = client.get(url)
        # Read once: a streamed body (CSV, XLSX) is empty when read a second time.
        body = text_of(response)
        yield url, response, body
        if response.status_code == 200:
            links = links_in(response, body)
            queue.extend(link if link.startswith(("/", "http")) else parts.path + link for link in links)


def states_the_number(number: str, body: str) -> bool:
    """Whether `body` states this number, with any thousands separator or none, as a
    number of its own: not as digits inside another one (a timestamp's microseconds,
    "…46.777748", once made this test fail)."""
    # As English and French pages write it: 7,777, 7777, 7 777 (a space, no-break or narrow).
    forms = {number.replace(",", separator) for separator in (",", "", " ", "\xa0", "\u202f")}
    written = "|".join(re.escape(form) for form in forms)
    return re.search(rf"(?<![\d.])(?:{written})(?![\d])", body) is not None


def test_no_public_page_export_or_api_response_shows_a_draft(client, draft, pending_update, draft_document):
    starts = public_urls()
    # Searches that would find the draft if drafts were searchable (a word of its title, not
    # the whole title, which the search box would echo back), and the draft document's
    # address and filters, in both languages.
    for language in ("", "/fr"):
        starts += [
            f"{language}/commitments/?q=Unannounced",
            f"{language}/quotes/?q=observers",
            f"{language}/quotes/?q=advisers",
            # The site-wide search over each kind (the draft, its quotes, its document, the
            # pending updates), and a misspelling that must not suggest the draft's words.
            f"{language}/search/?q=Unannounced",
            f"{language}/search/?q=advisers",
            f"{language}/search/?q=quietly+briefing",
            f"{language}/search/?q=unreviewed",
            f"{language}/search/?q=Unanounced",
            f"{language}/updates/?q=unreviewed",
            f"{language}/sources/{DRAFT_DOCUMENT}/",
            f"{language}/commitments/?source={DRAFT_DOCUMENT}",
            f"{language}/quotes/?source={DRAFT_DOCUMENT}",
            f"{language}/commitments/export.csv?source={DRAFT_DOCUMENT}",
            f"{language}/quotes/export.csv?source={DRAFT_DOCUMENT}",
            f"{language}/commitments/export.xlsx?source={DRAFT_DOCUMENT}",
            f"{language}/quotes/export.xlsx?source={DRAFT_DOCUMENT}",
            f"{language}/commitments/export.xlsx",
            f"{language}/updates/export.xlsx",
            f"{language}/quotes/export.xlsx",
        ]
    # The feeds, embed and card of the commitment with the pending update, and feeds
    # filtered to find the draft or the pending update if they leaked (the draft's own
    # feed, embed, card and form are checked below: 404).
    pending_slug = pending_update.commitment.slug
    for language in ("", "/fr"):
        starts += [
            f"{language}/commitments/{pending_slug}/feed.atom",
            f"{language}/embed/commitments/{pending_slug}/",
            f"{language}/commitments/{pending_slug}/card.png",
            f"{language}/commitments/{pending_slug}/suggest/",
            f"{language}/commitments/feed.atom?q=Unannounced",
            f"{language}/updates.atom?q=observers",
        ]
    starts += ["/sitemap.xml"]
    starts += [
        "/api/commitments/?q=Unannounced",
        f"/api/commitments/?source={DRAFT_DOCUMENT}",
        f"/api/documents/{DRAFT_DOCUMENT}/",
    ]
    visited, languages = 0, set()
    workbooks = 0
    for url, response, body in crawl(client, starts):
        visited += 1
        workbooks += response.get("Content-Type", "").startswith(XLSX) and "README" not in url and bool(body)
        languages.add(url.startswith("/fr/"))
        # 400: a filter naming something the public may not see, refused like an unknown one.
        assert response.status_code in (200, 301, 302, 400, 404), (url, response.status_code)
        assert draft.slug not in body, url
        assert draft.title not in body, url
        assert draft.summary not in body, url
        assert "Drafted for review." not in body, url  # its status update
        assert PENDING_RATIONALE not in body, url
        assert "pending-review" not in body, url
        assert not states_the_number("9,999", body), url
        # The draft document: its address, title, full text and quotes.
        # (Its slug only where the reader typed it: a page links to itself in the other
        # language, and a form's error echoes what it was given.)
        assert DRAFT_DOCUMENT in url or DRAFT_DOCUMENT not in body, url
        assert DRAFT_DOCUMENT_TITLE not in body, url
        assert not states_the_number("7,777", body) and "Closing words of the briefing" not in body, url
    assert workbooks >= 6  # every XLSX, in both languages, read cell by cell
    assert visited > 60 and languages == {True, False}  # the walk really went through the site, in both languages
    # The drafts' own addresses are not found, rather than forbidden.
    assert client.get(f"/commitments/{draft.slug}/").status_code == 404
    for address in ("feed.atom", "card.png", "suggest/", "suggest/thanks/"):
        assert client.get(f"/commitments/{draft.slug}/{address}").status_code == 404, address
    assert client.get(f"/embed/commitments/{draft.slug}/").status_code == 404
    assert client.get(f"/api/commitments/{draft.slug}/").status_code == 404
    for address in (
        f"/sources/{DRAFT_DOCUMENT}/",
        f"/fr/sources/{DRAFT_DOCUMENT}/",
        f"/api/documents/{DRAFT_DOCUMENT}/",
    ):
        assert client.get(address).status_code == 404, address


def test_a_pending_update_changes_no_card_image(client, seed):
    """The card draws the approved status and reading only: the same image before and after
    an update awaiting review (which would show 9,999 troops) is recorded."""
    commitment = Commitment.objects.published().get(target_unit="troops")
    address = f"/commitments/{commitment.slug}/card.png"
    before = client.get(address)
    services.record_status_update(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        as_of=commitment.made_on,
        progress_value=9999,
        progress_stage="deployed",
        rationale=PENDING_RATIONALE,
        evidence_url="https://example.org/pending-review",
    )
    after = client.get(address)
    assert before.status_code == after.status_code == 200
    assert before["ETag"] == after["ETag"] and before.content == after.content
