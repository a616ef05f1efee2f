"""A draft commitment, and a status update pending review, are invisible everywhere the
public can look.

The test walks the public site the way a crawler would — every link on every page, every
URL in the API's JSON — starting from every public route, and reads every body for the
draft's slug and title. New pages are covered without being listed here.
"""

import json
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from commitments import services
from commitments.models import Commitment, Quote, Status

from .factories import CommitmentFactory, CommitmentQuoteFactory
from .helpers import text_of
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
        yield url, response
        if response.status_code == 200:
            links = links_in(response, text_of(response))
            queue.extend(link if link.startswith(("/", "http")) else parts.path + link for link in links)


def test_no_public_page_export_or_api_response_shows_a_draft(client, draft, pending_update):
    starts = public_urls()
    # Searches that would find the draft if drafts were searchable (a word of its title, not
    # the whole title, which the search box would echo back).
    starts += ["/commitments/?q=Unannounced", "/quotes/?q=observers", "/api/commitments/?q=Unannounced"]
    visited = 0
    for url, response in crawl(client, starts):
        visited += 1
        assert response.status_code in (200, 301, 302, 404), (url, response.status_code)
        body = text_of(response)
        assert draft.slug not in body, url
        assert draft.title not in body, url
        assert draft.summary not in body, url
        assert "Drafted for review." not in body, url  # its status update
        assert PENDING_RATIONALE not in body, url
        assert "pending-review" not in body, url
        assert "9,999" not in body and "9999" not in body, url
    assert visited > 60  # the walk really went through the site
    # The draft's own addresses are not found, rather than forbidden.
    assert client.get(f"/commitments/{draft.slug}/").status_code == 404
    assert client.get(f"/api/commitments/{draft.slug}/").status_code == 404
