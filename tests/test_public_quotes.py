"""Which quotes are public, wherever a reader looks (issue 16, item 8).

A quote is public when a published commitment rests on it, when a restatement of a published
commitment quotes it, when a public status update cites it as evidence, or when it is the
same passage in the other language of a quote a published commitment rests on (the
commitment's page shows and links each of them). Every public route shows exactly those:
the document's page (its #quote-N anchor), the quotes table, its filters and search, its
CSV, the documents list's counts, in English and in French."""

import datetime

import pytest
from django.urls import reverse

from commitments import services
from commitments.models import Status

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    RestatementFactory,
    SourceDocumentFactory,
)
from .helpers import csv_rows, text_of

pytestmark = pytest.mark.django_db

QUOTES = reverse("commitments:quote-list")
QUOTES_CSV = reverse("commitments:quote-export")
SOURCES = reverse("commitments:source-list")


def document_with(words: str, **fields):
    """A document whose first paragraph is `words`, and the quote of them."""
    document = SourceDocumentFactory(full_text=f"{words}\n\nOther words of the document.\n", **fields)
    return QuoteFactory(source=document, text=words)


@pytest.fixture
def restated():
    """A published commitment restated in a later document that it does not otherwise rest on."""
    commitment = CommitmentQuoteFactory().commitment
    quote = document_with("Canada reaffirms its pledge of 600 troops.", title="Later restating statement")
    RestatementFactory(commitment=commitment, quote=quote)
    return commitment, quote


@pytest.fixture
def private():
    """Quotes only a draft's restatement, and a pending update's evidence, use."""
    draft = CommitmentQuoteFactory(commitment=CommitmentFactory(is_published=False)).commitment
    of_draft = document_with("Canada quietly restates a draft pledge.")
    RestatementFactory(commitment=draft, quote=of_draft)
    pending_evidence = document_with("Canada reports unreviewed progress.")
    services.record_status_update(
        commitment=CommitmentQuoteFactory().commitment,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 1, 1),
        rationale="Awaiting review.",
        evidence_quote=pending_evidence,
    )
    return [of_draft, pending_evidence]


@pytest.mark.parametrize("language", ["", "/fr"])
def test_a_restatements_quote_is_anchored_in_its_document(client, restated, language):
    commitment, quote = restated
    link, document = quote.get_absolute_url(), quote.source.get_absolute_url()
    assert link in text_of(client.get(f"{language}{commitment.get_absolute_url()}"))  # the link
    page = text_of(client.get(f"{language}{document}"))
    assert f'id="quote-{quote.pk}"' in page  # where it leads
    assert f"<mark>{quote.text}</mark>" in page


@pytest.mark.parametrize("language", ["", "/fr"])
def test_a_restatements_quote_is_in_the_quotes_table_its_filters_search_and_csv(client, restated, language):
    _commitment, quote = restated
    link = quote.get_absolute_url()
    for query in ("", f"?source={quote.source.slug}", "?q=reaffirms", "?language=en"):
        assert link in text_of(client.get(f"{language}{QUOTES}{query}")), query
    rows = csv_rows(client, f"{language}{QUOTES_CSV}")
    assert str(quote.pk) in [row["id"] for row in rows]
    assert [row["id"] for row in csv_rows(client, f"{language}{QUOTES_CSV}?q=reaffirms")] == [str(quote.pk)]


def test_the_documents_list_counts_a_restatements_quote(client, restated):
    _commitment, quote = restated
    counts = {document.slug: document.quote_count for document in client.get(SOURCES).context["documents"]}
    assert counts[quote.source.slug] == 1


@pytest.mark.parametrize("language", ["", "/fr"])
def test_the_passage_in_the_other_language_is_anchored_and_listed(client, language):
    """The commitment's page shows, and links, its quote's counterpart in a French document."""
    english = CommitmentQuoteFactory().quote
    french = document_with("Le Canada déploiera des troupes.", language="fr", title="Déclaration")
    french.language, french.translation_of = "fr", english
    french.save()
    commitment = english.commitment_links.get().commitment
    link, document, page = french.get_absolute_url(), french.source.get_absolute_url(), commitment.get_absolute_url()
    assert f'href="{language}{link}"' in text_of(client.get(f"{language}{page}"))
    assert f'id="quote-{french.pk}"' in text_of(client.get(f"{language}{document}"))
    assert str(french.pk) in [row["id"] for row in csv_rows(client, f"{language}{QUOTES_CSV}")]


@pytest.mark.parametrize("language", ["", "/fr"])
def test_a_draft_restatements_quote_and_a_pending_updates_evidence_stay_private(client, restated, private, language):
    documents = [quote.source.get_absolute_url() for quote in private]
    listed = text_of(client.get(f"{language}{QUOTES}"))
    exported = [row["id"] for row in csv_rows(client, f"{language}{QUOTES_CSV}")]
    for quote, document in zip(private, documents, strict=True):
        assert quote.text not in listed and str(quote.pk) not in exported
        assert quote.text not in text_of(client.get(f"{language}{QUOTES}?q={quote.text.split()[2]}"))
        page = client.get(f"{language}{document}")
        assert f'id="quote-{quote.pk}"' not in text_of(page)
