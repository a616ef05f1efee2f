"""An update's evidence quote is shown wherever its evidence is listed (issue 21): its words,
linked to the passage in its document, on /updates/, in the Atom feed, in the CSV and XLSX
(evidence_quote_text) and in the API."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from commitments.models import StatusUpdate

from .factories import QuoteFactory, commitment_with_basis, record_approved
from .helpers import csv_rows

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def quoted_update(db):
    """A public update whose evidence is a quote only (no public record's address)."""
    commitment = commitment_with_basis(updates=0, title="Deploy troops")
    quote = QuoteFactory(text="Canada will deploy up to 0 troops in support of peace operations.")
    quote.source.short_title = "Short <name>"
    quote.source.save()
    return record_approved(
        commitment=commitment,
        status="in_progress",
        as_of="2018-03-19",
        rationale="The pledge & its words.",
        evidence_quote=quote,
        evidence_url="",
    )


def row_of(html: str, words: str) -> str:
    return next(row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if words in row)


def test_the_updates_table_shows_the_quote_linked_to_its_passage(client, quoted_update):
    quote = quoted_update.evidence_quote
    row = row_of(client.get("/updates/").content.decode(), "The pledge &amp; its words.")
    assert (
        f'<a href="{quote.get_absolute_url()}">“<span lang="en">{quote.text}</span>”</a>'
        ' — <span lang="en">Short &lt;name&gt;</span>'
    ) in row
    assert 'data-label="Evidence" >—</td>' not in row  # no longer shown as unsupported


def test_the_french_updates_table_marks_the_english_words(client, quoted_update):
    row = row_of(client.get("/fr/updates/").content.decode(), "The pledge &amp; its words.")
    assert '<span lang="en">The pledge &amp; its words.</span> <span class="in-english">(en anglais)</span>' in row
    assert (
        '«\xa0<span lang="en">Canada will deploy' in row
        and f"/fr/sources/{quoted_update.evidence_quote.source.slug}/#quote-" in row
    )


def test_the_feed_entry_carries_the_quote_and_its_address(client, quoted_update):
    quote = quoted_update.evidence_quote
    entry = ET.fromstring(client.get("/updates.atom").content).find(f"{ATOM}entry")
    summary = entry.findtext(f"{ATOM}summary")
    assert f"Evidence: “{quote.text}” ({quote.source.title}, http://testserver{quote.get_absolute_url()})." in summary
    french = ET.fromstring(client.get("/fr/updates.atom").content).find(f"{ATOM}entry").findtext(f"{ATOM}summary")
    assert f"Preuve\xa0: «\xa0{quote.text}\xa0»" in french


def test_the_csv_and_the_api_give_the_quotes_words(client, quoted_update):
    other = record_approved(
        commitment=quoted_update.commitment,
        status="in_progress",
        as_of="2018-04-01",
        rationale="A record only.",
        evidence_url="https://example.org/record",
    )
    rows = {row["id"]: row for row in csv_rows(client, "/updates/export.csv")}
    assert rows[str(quoted_update.pk)]["evidence_quote_text"] == quoted_update.evidence_quote.text
    assert rows[str(other.pk)]["evidence_quote_text"] == ""
    results = {row["id"]: row for row in client.get(reverse("api:update-list")).json()["results"]}
    quote = quoted_update.evidence_quote
    assert results[quoted_update.pk]["evidence_quote_text"] == quote.text
    assert results[quoted_update.pk]["evidence_quote_url"] == f"http://testserver{quote.get_absolute_url()}"
    assert results[other.pk]["evidence_quote_text"] is None and results[other.pk]["evidence_quote_url"] is None
    detail = client.get(reverse("api:commitment-detail", kwargs={"slug": quoted_update.commitment.slug})).json()
    assert [entry["evidence_quote_text"] for entry in detail["history"]] == [None, quote.text]


def test_every_seed_update_citing_a_quote_shows_it_on_updates(client, seed):
    html = client.get("/updates/").content.decode()
    cited = StatusUpdate.objects.public().exclude(evidence_quote=None).select_related("evidence_quote")
    assert cited.count() >= 3
    for update in cited:
        assert f'#quote-{update.evidence_quote_id}">' in html
