"""The phone (issue 21): at 360 px every listing shows each row's title, status and progress
without sideways scrolling (each row a card), and documents by their short titles."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from commitments.exports.releases import publish_release

pytestmark = pytest.mark.browser

# Each listing, and the cells a reader must see in its first row without scrolling sideways.
LISTINGS = (
    ("/commitments/?sort=-progress", ("Commitment", "Status", "Progress", "Source")),
    ("/updates/", ("Commitment", "Status", "Progress", "Evidence")),
    ("/quotes/", ("Quote", "Document", "Supports")),
    ("/sources/", ("Document", "Kind", "Issued")),
)
FRENCH_HEADERS = {
    "Commitment": "Engagement",
    "Status": "État",
    "Progress": "Progrès",
    "Source": "Source",
    "Evidence": "Preuve",
    "Quote": "Citation",
    "Document": "Document",
    "Supports": "Appuie",
    "Kind": "Genre",
    "File": "Fichier",
    "Bytes": "Octets",
    "Issued": "Publié",
}

# What a cell's box may not pass: the viewport's right edge, beside the left one.
CELLS_INSIDE = """(labels) => {
  const row = document.querySelector('table.stack tbody tr');
  const outside = [];
  for (const label of labels) {
    const cell = row.querySelector(`[data-label="${label}"]`);
    if (!cell) { outside.push(`${label}: missing`); continue; }
    const box = cell.getBoundingClientRect();
    if (box.left < 0 || box.right > window.innerWidth || box.width === 0) {
      outside.push(`${label}: ${box.left}-${box.right}`);
    }
  }
  return outside;
}"""


def sideways(page) -> int:
    """How far the page, or any box inside it, scrolls sideways."""
    return page.evaluate(
        """() => Math.max(document.scrollingElement.scrollWidth - window.innerWidth,
            ...[...document.querySelectorAll('.table-scroll')].map(box => box.scrollWidth - box.clientWidth))"""
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_listing_fits_a_360px_phone(browser, live_seed, language):
    release = publish_release(actor=None, as_of=timezone.localdate())
    listings = [*LISTINGS, (f"/data/releases/{release.version}/", ("File", "Bytes"))]
    prefix = "" if language == "en" else "/fr"
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    axe = Axe()
    for path, labels in listings:
        page.goto(f"{live_seed.url}{prefix}{path}")
        assert sideways(page) <= 0, path
        shown = [FRENCH_HEADERS.get(label, label) if language == "fr" else label for label in labels]
        assert page.evaluate(CELLS_INSIDE, shown) == [], path
        if path.startswith(("/commitments/", "/updates/")):  # the pages whose layout changed most
            results = axe.run(page)
            assert results.violations_count == 0, results.generate_report()
    # At 375 px too, and the table still a table on a wide screen.
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_seed.url}{prefix}/commitments/")
    assert sideways(page) <= 0
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_seed.url}{prefix}/commitments/")
    assert page.evaluate("getComputedStyle(document.querySelector('table.stack tbody tr')).display") == "table-row"
    context.close()


def test_the_source_column_names_documents_by_their_short_titles(page, live_seed):
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_seed.url}/commitments/?source=2016-statement-unga-r2p-dialogue")
        source = page.locator('table.stack tbody tr [data-label="Source"] a').first
        assert source.inner_text() == "2016 UN statement on R2P"
        # The full title is still there for anyone who asks (and on the document's page).
        assert source.get_attribute("title").startswith("Canadian Statement at the United Nations General Assembly")
