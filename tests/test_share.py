"""Sharing and being found: the embed, the card image, share tags, sitemap.xml, OpenSearch,
the Dataset description on /data/, the favicon and the print stylesheet."""

import io
import json
import re
import xml.etree.ElementTree as ElementTree

import pytest
from PIL import Image

from commitments.models import Commitment

from .factories import CommitmentFactory

TROOPS = "deploy-600-troops-peace-operations"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def troops(seed):
    return Commitment.objects.get(slug=TROOPS)


@pytest.mark.parametrize("language", ["", "/fr"])
def test_the_embed_shows_status_meter_quote_and_a_link_back_and_may_be_framed(client, troops, language):
    response = client.get(f"{language}/embed/commitments/{TROOPS}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{language}/commitments/{TROOPS}/"' in page and 'target="_blank"' in page
    assert f"status-{troops.current_status}" in page
    first_quote = troops.quote_links.order_by("quote__source__issued_on", "quote_id").first().quote
    assert first_quote.text.split()[0] in page and "<blockquote" in page
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert f'<html lang="{language.strip("/") or "en"}">' in page


def test_every_other_page_still_refuses_to_be_framed(client, troops):
    for url in ("/", f"/commitments/{TROOPS}/", f"/commitments/{TROOPS}/suggest/", "/updates.atom"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_the_commitment_page_offers_the_embed_snippet(client, troops):
    page = client.get(f"/commitments/{TROOPS}/").content.decode()
    snippet = re.search(r'<textarea id="embed-code"[^>]*>([^<]*)</textarea>', page).group(1)
    assert f"&lt;iframe src=&quot;http://testserver/embed/commitments/{TROOPS}/&quot;" in snippet
    assert "<iframe" not in page  # shown as text, never as a frame on our own page


def test_drafts_have_no_embed_card_or_feed(client, db):
    draft = CommitmentFactory(is_published=False)
    for url in (f"/embed/commitments/{draft.slug}/", f"/commitments/{draft.slug}/card.png"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("language", ["", "/fr"])
def test_the_card_is_a_png_of_the_shared_size_and_answers_again_from_its_etag(client, troops, language):
    response = client.get(f"{language}/commitments/{TROOPS}/card.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
    assert "public" in response["Cache-Control"]
    again = client.get(f"{language}/commitments/{TROOPS}/card.png", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_card_changes_with_what_it_shows(client, troops):
    before = client.get(f"/commitments/{TROOPS}/card.png")
    Commitment.objects.filter(pk=troops.pk).update(title="Deploy up to 700 troops")
    after = client.get(f"/commitments/{TROOPS}/card.png")
    assert before["ETag"] != after["ETag"] and before.content != after.content


@pytest.mark.parametrize("language", ["", "/fr"])
def test_every_page_has_share_tags_and_a_commitment_shares_its_card(client, troops, language):
    home = client.get(f"{language}/").content.decode()
    assert '<meta property="og:title"' in home and 'name="twitter:card"' in home
    assert re.search(r'property="og:image" content="http://testserver/static/share-card.png"', home)
    page = client.get(f"{language}/commitments/{TROOPS}/").content.decode()
    card = f'content="http://testserver{language}/commitments/{TROOPS}/card.png"'
    assert f'<meta property="og:image" {card}>' in page
    assert f'<meta property="og:title" content="{troops.title_fr if language else troops.title}"' in page.replace(
        "&#x27;", "'"
    )
    assert f'og:url" content="http://testserver{language}/commitments/{TROOPS}/"' in page


def test_the_sitemap_lists_public_pages_in_both_languages_with_alternates(client, troops):
    draft = CommitmentFactory(is_published=False, slug="hidden-draft")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    locations = [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]
    assert f"http://testserver/commitments/{TROOPS}/" in locations
    assert f"http://testserver/fr/commitments/{TROOPS}/" in locations
    assert "http://testserver/fr/" in locations and "http://testserver/data/" in locations
    assert any("/sources/" in location and location.count("/") > 4 for location in locations)
    assert not any(draft.slug in location for location in locations)
    published = Commitment.objects.published().count()
    assert sum(bool(re.search(r"/commitments/[^/]+/$", loc)) for loc in locations) == 2 * published
    entry = next(url for url in root.findall(f"{SITEMAP}url") if url.findtext(f"{SITEMAP}loc").endswith(TROOPS + "/"))
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{XHTML}link")}
    assert alternates["fr"] == f"http://testserver/fr/commitments/{TROOPS}/"
    assert alternates["en"] == f"http://testserver/commitments/{TROOPS}/"
    assert "x-default" in alternates


@pytest.mark.parametrize("language", ["", "/fr"])
def test_opensearch_points_at_the_site_search(client, db, language):
    page = client.get(f"{language}/").content.decode()
    assert f'rel="search" type="application/opensearchdescription+xml" href="{language}/opensearch.xml"' in page
    response = client.get(f"{language}/opensearch.xml")
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ElementTree.fromstring(response.content)
    url = root.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert url.get("template") == f"http://testserver{language}/search/?q={{searchTerms}}"


def test_data_describes_the_dataset_for_search_engines(client, seed):
    page = client.get("/data/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "Dataset" and data["@context"] == "https://schema.org"
    assert {item["contentUrl"] for item in data["distribution"]} >= {"http://testserver/commitments/export.csv"}
    assert "CC BY 4.0" in data["license"]


def test_the_favicon_is_found(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("/static/favicon.ico")
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").content.decode()


def test_a_commitment_page_prints_with_its_address(client, troops):
    page = client.get(f"/commitments/{TROOPS}/").content.decode()
    assert 'href="/static/css/print.css" media="print"' in page
    assert f'<p class="print-address">Printed from http://testserver/commitments/{TROOPS}/</p>' in page
