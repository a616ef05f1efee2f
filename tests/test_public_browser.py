"""The new public pages in Debian's chromium: axe-core in both languages, a keyboard walk of
the tell-us form, the embed inside another site's page, a feed opened in the browser, the
quote a link points at, and a 360-px screen."""

import http.server
import re
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import expect

from commitments.models import Quote, ReaderSuggestion

pytestmark = pytest.mark.browser

TROOPS = "/commitments/deploy-600-troops-peace-operations/"
NEW_PAGES = [
    "/",  # the dashboard's pictures
    f"{TROOPS}suggest/",
    f"{TROOPS}suggest/thanks/",
    f"/embed{TROOPS}",
    "/updates/?commitment=deploy-600-troops-peace-operations",
    "/updates.atom",  # shown through static/feed.xsl
]

axe = Axe()


def scan(page) -> str:
    # Chromium marks a page made by XSLT (the feeds) with its own banner, XSLT being
    # deprecated there: the browser's element, not ours, so left out of the scan.
    results = axe.run(page, context={"exclude": [["xslt-warning-banner"]]})
    return "" if results.violations_count == 0 else results.generate_report()


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # the suggestions' per-address counters
    yield
    cache.clear()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_new_pages_pass_axe_and_fit_a_360px_screen(browser, live_seed, language):
    prefix = "" if language == "en" else "/fr"
    for width in (1280, 360):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for path in NEW_PAGES:
            response = page.goto(f"{live_seed.url}{prefix}{path}")
            assert response.status == 200, path
            expect(page.locator("html")).to_have_attribute("lang", language)
            if width == 360:
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, (path, overflow)
            else:
                report = scan(page)
                assert report == "", f"{path}\n{report}"
        context.close()


def test_the_form_in_its_error_state_passes_axe(page, live_seed):
    page.goto(f"{live_seed.url}/fr{TROOPS}suggest/")
    page.get_by_role("button", name="Envoyer la suggestion").click()
    expect(page.get_by_role("alert")).to_contain_text("Qu’est-ce qui est faux ou manquant")
    assert scan(page) == ""


def test_the_tell_us_form_works_from_the_keyboard_alone(page, live_seed):
    page.goto(f"{live_seed.url}{TROOPS}")
    link = page.get_by_role("link", name="Suggest a correction or new evidence")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/suggest/$"))
    # From the top of the page, Tab reaches the form's fields in order, never the honeypot.
    page.locator("main").focus()
    order = []
    for _ in range(12):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.name || document.activeElement.textContent.trim()"))
        if order[-1] == "what_is_wrong":
            page.keyboard.type("The figure of 250 troops was pledged, not deployed.")
        elif order[-1] == "evidence_url":
            page.keyboard.type("https://www.canada.ca/en/news.html")
        elif order[-1] == "email":
            page.keyboard.type("reader@example.org")
        elif order[-1] == "Send the suggestion":
            break
    fields = [name for name in order if name in ("what_is_wrong", "evidence_url", "name", "email", "website")]
    assert fields == ["what_is_wrong", "evidence_url", "name", "email"], order  # the honeypot is never reached
    assert order[-1] == "Send the suggestion", order
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus is visible
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    suggestion = ReaderSuggestion.objects.get()
    assert suggestion.email == "reader@example.org" and "pledged, not deployed" in suggestion.what_is_wrong


def test_the_embed_sits_in_another_sites_page(browser, live_seed, tmp_path):
    # Another site: a page on another origin (its own port) framing the embed.
    (tmp_path / "index.html").write_text(
        f'<!DOCTYPE html><html lang="en"><title>A blog</title><h1>A blog post</h1>'
        f'<iframe src="{live_seed.url}/embed{TROOPS}" title="Commitment" width="100%" height="360"></iframe>'
    )
    handler = lambda *args: http.server.SimpleHTTPRequestHandler(*args, directory=str(tmp_path))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport={"width": 800, "height": 600})
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        frame = page.frame_locator("iframe")
        expect(frame.get_by_role("heading", level=1)).to_have_text("Deploy up to 600 troops to peace operations")
        expect(frame.locator("blockquote")).to_be_visible()
        page.screenshot(path=tmp_path / "embed.png")
        # Our own pages refuse to be framed there.
        (tmp_path / "other.html").write_text(f'<iframe src="{live_seed.url}{TROOPS}" title="x"></iframe>')
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/other.html")
        expect(page.frame_locator("iframe").get_by_role("heading", level=1)).to_have_count(0)
        page.close()
    finally:
        server.shutdown()


def test_a_feed_opened_in_the_browser_reads_as_a_page(page, live_seed):
    page.goto(f"{live_seed.url}/fr/updates.atom")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Suivi des engagements")
    expect(page.locator(".feed-entries li").first).to_be_visible()
    expect(page.get_by_text("Ceci est un fil Atom")).to_be_visible()


def test_the_passage_a_quote_link_points_at_is_marked_apart(page, live_seed):
    quote = Quote.objects.filter(commitment_links__commitment__is_published=True).first()
    page.goto(f"{live_seed.url}{quote.get_absolute_url()}")
    target = page.locator(f"#{quote.anchor} + mark")
    assert target.evaluate("element => getComputedStyle(element).outlineStyle") == "solid"
    others = page.locator("mark").evaluate_all("marks => marks.map(m => getComputedStyle(m).outlineStyle)")
    assert others.count("solid") == 1


def test_the_dashboard_bars_link_into_the_table(page, live_seed):
    page.goto(f"{live_seed.url}/")
    segment = page.locator(".status-bar svg a").first
    name = segment.get_attribute("aria-label")
    segment.click()
    expect(page).to_have_url(re.compile(r"/commitments/\?kind=undertaking&status="))
    count = int(re.search(r": (\d+) undertaking", name).group(1))
    expect(page.locator(".result-count")).to_have_text(re.compile(rf"^{count} commitments?$"))
