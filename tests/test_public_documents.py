"""A document is public only while a published commitment rests on it through a public quote
(selectors.public_documents; issue 16, item 12): every public route agrees, in English and
in French, and publishing or withdrawing the commitment is the only step."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from commitments import services
from commitments.models import Status

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    RestatementFactory,
    SourceDocumentFactory,
    record_approved,
)
from .helpers import text_of

pytestmark = pytest.mark.django_db

TITLE = "Unpublished briefing note"
WORDS = "Canada will quietly send 7,777 advisers."


@pytest.fixture
def public_document():
    return CommitmentQuoteFactory().quote.source


@pytest.fixture
def draft_document():
    """A document whose only quote a draft commitment rests on."""
    document = SourceDocumentFactory(slug="briefing-note", title=TITLE, full_text=f"{WORDS}\n\nMore.\n")
    draft = CommitmentFactory(is_published=False)
    CommitmentQuoteFactory(commitment=draft, quote=QuoteFactory(source=document, text=WORDS))
    return document


def shows(client, language: str, document) -> dict[str, bool]:
    """Where the public sees `document`: each route's answer (its URLs read in English)."""
    path = f"/sources/{document.slug}/"
    return {
        "sources": document.title in text_of(client.get(f"{language}/sources/")),
        "page": client.get(f"{language}{path}").status_code == 200,
        "commitments filter": f'value="{document.slug}"' in text_of(client.get(f"{language}/commitments/")),
        "quotes filter": f'value="{document.slug}"' in text_of(client.get(f"{language}/quotes/")),
        "api list": document.slug in text_of(client.get("/api/documents/")),
        "api": client.get(f"/api/documents/{document.slug}/").status_code == 200,
        "commitments api filter": client.get(f"/api/commitments/?source={document.slug}").status_code == 200,
        "export filter": client.get(f"{language}/commitments/export.csv?source={document.slug}").status_code == 200,
    }


EVERYWHERE = dict.fromkeys(
    (
        "sources",
        "page",
        "commitments filter",
        "quotes filter",
        "api list",
        "api",
        "commitments api filter",
        "export filter",
    ),
    True,
)
NOWHERE = dict.fromkeys(EVERYWHERE, False)


@pytest.mark.parametrize("language", ["", "/fr"])
def test_a_document_only_a_draft_rests_on_is_on_no_public_route(client, public_document, draft_document, language):
    assert shows(client, language, public_document) == EVERYWHERE
    assert shows(client, language, draft_document) == NOWHERE
    response = client.get(f"{language}/sources/{draft_document.slug}/")
    assert response.status_code == 404 and WORDS not in text_of(response) and TITLE not in text_of(response)


def test_a_document_no_quote_is_taken_from_is_not_public(client, public_document):
    assert shows(client, "", SourceDocumentFactory()) == NOWHERE


def test_publishing_the_commitment_publishes_its_documents_and_withdrawing_it_withdraws_them(
    client, public_document, draft_document
):
    draft = draft_document.quotes.get().commitments.get()
    services.set_published(commitment=draft, published=True, actor=None)
    assert shows(client, "", draft_document) == EVERYWHERE
    services.set_published(commitment=draft, published=False, actor=None)
    assert shows(client, "", draft_document) == NOWHERE


def test_a_document_is_public_through_a_restatement_or_public_evidence(client, public_document):
    commitment = public_document.quotes.get().commitments.get()
    restating = SourceDocumentFactory()
    RestatementFactory(commitment=commitment, quote=QuoteFactory(source=restating))
    cited = SourceDocumentFactory()
    record_approved(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 1, 1),
        rationale="The report says so.",
        evidence_quote=QuoteFactory(source=cited),
    )
    for document in (restating, cited):
        shown = shows(client, "", document)
        assert shown["sources"] and shown["page"] and shown["api"] and shown["api list"], document
        assert shown["quotes filter"] and shown["commitments filter"], document
        # The document offered as a filter lists the commitment it speaks of, not no rows.
        table = text_of(client.get(f"/commitments/?source={document.slug}"))
        assert commitment.get_absolute_url() in table and "No published commitment matches" not in table
        assert commitment.title in text_of(client.get(f"/commitments/export.csv?source={document.slug}"))


def test_the_quotes_table_says_what_a_restatement_or_evidence_quote_supports(client, public_document):
    commitment = public_document.quotes.get().commitments.get()
    RestatementFactory(commitment=commitment, quote=QuoteFactory(text="Canada reaffirms the pledge."))
    cited = QuoteFactory(text="The report counts 250 troops.")
    update = record_approved(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2018, 3, 19),
        rationale="The report says so.",
        evidence_quote=cited,
    )
    pending = services.record_status_update(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2019, 1, 1),
        rationale="Not yet reviewed.",
        evidence_quote=QuoteFactory(text="A pending update's quote."),
    )
    page = text_of(client.get("/quotes/?sort=-issued"))
    rows = page[page.index("<tbody") :].split("<tr")[1:]
    restated = next(row for row in rows if "Canada reaffirms the pledge." in row)
    assert f'href="{commitment.get_absolute_url()}#lineage-heading"' in restated and "(restatement)" in restated
    evidence = next(row for row in rows if "The report counts 250 troops." in row)
    assert f'href="{commitment.get_absolute_url()}#update-{update.pk}"' in evidence
    assert "(evidence for “In progress”, 19 March 2018)" in evidence
    assert "A pending update" not in page and pending.pk


def test_export_data_writes_only_public_documents(public_document, draft_document, tmp_path):
    call_command("export_data", str(tmp_path), "--base-url", "http://testserver", stdout=io.StringIO())
    dump = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert [document["slug"] for document in dump["documents"]] == [public_document.slug]
    assert WORDS not in json.dumps(dump) and TITLE not in json.dumps(dump)


def source_choices(client) -> str:
    html = client.get("/commitments/").content.decode()
    start = html.index('name="source"')
    return html[start : html.index("</select>", start)]


@pytest.mark.django_db(transaction=True)  # outside a transaction, where the list is kept between requests
def test_the_source_filter_offers_a_document_from_the_moment_it_is_public_and_not_after(client):
    draft = CommitmentFactory(is_published=False)
    document = CommitmentQuoteFactory(commitment=draft).quote.source
    choice = f'value="{document.slug}"'
    assert choice not in source_choices(client)
    assert choice not in source_choices(client)  # asked again: kept, still absent

    services.set_published(commitment=draft, published=True, actor=None)
    assert choice in source_choices(client)

    services.set_published(commitment=draft, published=False, actor=None)
    assert choice not in source_choices(client)
