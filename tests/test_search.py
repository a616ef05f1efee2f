"""The search engine as a reader meets it (issue 20), on whichever database the run uses:
CI runs this file on SQLite (FTS5) and on PostgreSQL (full-text search), so both answer the
same queries alike. The seed data is loaded once for the module; each test's own rows are
rolled back after it."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from commitments import search
from commitments.models import Commitment, SearchKind, Theme
from commitments.search import visibility
from commitments.services.roles import EDITOR

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    SourceDocumentFactory,
    member_of,
    record_approved,
)
from .helpers import change_url, form_fields, load_seed, titles_in


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seed data, loaded once for this module and rolled back at its end (each test runs
    in a savepoint inside this transaction)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_seed()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def data(seeded, db):
    """The seed data for one test; what the test writes is undone after it."""


@pytest.fixture
def editor_client(client):
    client.force_login(member_of(EDITOR, "eddie"))
    return client


def table_slugs(client, text: str, language: str = "en") -> set[str]:
    prefix = "/fr" if language == "fr" else ""
    response = client.get(f"{prefix}/commitments/", {"q": text})
    assert response.status_code == 200
    return set(re.findall(r'<th scope="row"[^>]*><a href="(?:/fr)?/commitments/([^"/]+)/">', response.content.decode()))


def found(text: str, kind: str = SearchKind.COMMITMENT) -> set[int]:
    return {hit.record_id for hit in search.hits(search.search(text), kind, offset=0, limit=1000)}


def test_accents_and_case_do_not_matter(data, client):
    # The examples: "deployer" found nothing, "états" and "ETATS" nothing on /fr/.
    assert (
        table_slugs(client, "deployer") == table_slugs(client, "déployer") == table_slugs(client, "DÉPLOYER") != set()
    )
    assert table_slugs(client, "securite") == table_slugs(client, "sécurité") != set()
    etats = table_slugs(client, "États", "fr")
    assert etats and table_slugs(client, "états", "fr") == etats == table_slugs(client, "ETATS", "fr")


def test_stemming_in_english_and_french(data):
    document = SourceDocumentFactory(full_text="Le Canada a déployés des casques bleus.\n\nCanada deployed them.")
    french = QuoteFactory(source=document, text="Le Canada a déployés des casques bleus.", language="fr")
    english = QuoteFactory(source=document, text="Canada deployed them.")
    CommitmentQuoteFactory(quote=french)
    CommitmentQuoteFactory(quote=english)
    assert french.pk in found("déployer", SearchKind.QUOTE) and french.pk in found("deployer", SearchKind.QUOTE)
    assert english.pk in found("deploy", SearchKind.QUOTE)
    assert found("troop") == found("troops") != set()


def test_a_theme_label_finds_every_commitment_of_that_theme(data, client):
    theme = set(Commitment.objects.published().filter(theme=Theme.PEACEKEEPING).values_list("slug", flat=True))
    assert len(theme) == 5
    assert theme <= table_slugs(client, "peacekeeping")
    assert theme <= table_slugs(client, "maintien de la paix", "fr")


def test_phrases_exclusions_and_alternatives(data):
    words, phrase = found("peace operations"), found('"peace operations"')
    assert phrase and phrase <= words
    assert found('"operations peace"') == set()
    troops = Commitment.objects.get(slug="deploy-600-troops-peace-operations").pk
    assert troops in found("peacekeeping") and troops not in found("peacekeeping -troops")
    assert found("peacekeeping -troops") == found("peacekeeping") - found("troops")
    assert found("kigali or mediation") == found("kigali") | found("mediation")


def test_a_document_symbol_and_elided_words_are_found_as_typed(data):
    # PostgreSQL's parser keeps "A/57/303" whole; the index splits it as SQLite does.
    symbol = found("A/57/303", SearchKind.DOCUMENT)
    assert len(symbol) == 1 and symbol == found('"a 57 303"', SearchKind.DOCUMENT)
    document = SourceDocumentFactory(full_text="Le Canada appuie l'ONU et les peace-keeping forces.\n\nFin.")
    CommitmentQuoteFactory(
        quote=QuoteFactory(source=document, text="Le Canada appuie l'ONU et les peace-keeping forces.")
    )
    for typed in ("l'ONU", "onu", "peace-keeping", '"peace keeping forces"'):
        assert document.pk in found(typed, SearchKind.DOCUMENT), typed


def test_a_typo_offers_the_word_that_finds_something(data, client):
    response = client.get(reverse("commitments:search"), {"q": "troups"})
    html = response.content.decode()
    assert response.status_code == 200 and "Did you mean" in html
    suggested = [
        parse_qs(urlsplit(href).query)["q"][0]
        for href in re.findall(r'class="suggestion">.*?</p>', html, re.S)[0].split('href="')[1:]
    ]
    assert "troops" in [href.split('"')[0] for href in suggested]
    assert "security" in search.search("Secuirty").suggestions
    # The table says it too, keeping the other filters.
    table = client.get("/commitments/", {"q": "troups", "theme": "peacekeeping"}).content.decode()
    assert "Did you mean" in table and "q=troops" in table and "theme=peacekeeping" in table


def test_a_draft_is_never_found_nor_suggested(data, client):
    draft = CommitmentFactory(is_published=False, title="Zorblaxian pledge", summary="Zorblaxian words.")
    document = SourceDocumentFactory(full_text="The zorblaxian passage.\n\nMore.")
    CommitmentQuoteFactory(commitment=draft, quote=QuoteFactory(source=document, text="The zorblaxian passage."))
    for kind in SearchKind.values:
        assert found("zorblaxian", kind) == set()
    assert search.search("zorblaxian").total == 0
    assert search.search("zorblaxan").suggestions == []
    assert table_slugs(client, "zorblaxian") == set()
    page = client.get(reverse("commitments:search"), {"q": "zorblaxan"}).content.decode()
    assert "orblaxian" not in page.replace("zorblaxan", "")
    assert client.get("/api/commitments/", {"q": "zorblaxian"}).json()["count"] == 0


def test_the_index_follows_an_edit_in_the_admin(data, editor_client):
    commitment = Commitment.objects.get(slug="deploy-600-troops-peace-operations")
    form = form_fields(editor_client.get(change_url(commitment)).content.decode(), "commitment_form")
    form["summary"] += " Quixotically."
    response = editor_client.post(change_url(commitment), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert found("quixotic") == {commitment.pk}


def test_the_index_follows_a_bulk_action(data, editor_client):
    commitment = Commitment.objects.get(slug="deploy-600-troops-peace-operations")
    changelist = reverse("admin:commitments_commitment_changelist")
    editor_client.post(changelist, {"action": "unpublish", "_selected_action": [commitment.pk]})
    assert commitment.pk not in found("troops")
    editor_client.post(changelist, {"action": "publish", "_selected_action": [commitment.pk]})
    assert commitment.pk in found("troops")


def test_results_are_grouped_marked_and_linked_to_their_place(data, client):
    html = client.get(reverse("commitments:search"), {"q": "peacekeeping"}).content.decode()
    for heading in ("Commitments (", "Quotes (", "Source documents (", "Status updates ("):
        assert heading in html
    assert "<mark>peacekeeping</mark>" in html.lower()
    assert re.search(r'href="/sources/[^"#]+/#quote-\d+"', html)
    assert re.search(r'href="/commitments/[^"#]+/#update-\d+"', html)
    one_kind = client.get(reverse("commitments:search"), {"q": "peacekeeping", "kind": "quote"}).content.decode()
    assert "Quotes (" in one_kind and "Commitments (" not in one_kind


def test_hostile_text_is_escaped_in_snippets(data, client):
    text = "<script>alert('zebrafish')</script> <mark>zebrafish</mark>"
    document = SourceDocumentFactory(full_text=f"{text}\n\nMore.")
    CommitmentQuoteFactory(quote=QuoteFactory(source=document, text=text))
    html = client.get(reverse("commitments:search"), {"q": "zebrafish"}).content.decode()
    snippet = html[html.index('class="snippet"') :]
    snippet = snippet[: snippet.index("</p>")]
    # SQLite's snippet keeps the text's tags (shown escaped), PostgreSQL's drops them: never markup.
    assert "<script" not in snippet and "<mark>zebrafish</mark>" in snippet
    assert snippet.count("<mark>") == snippet.count("</mark>") == 1 + snippet.count("&lt;mark&gt;")


@pytest.mark.parametrize(
    "text", ["", " ", "x" * 1000, "-", "or", '"', "\x00", "🙂", "-peace", "a or", '"unclosed phrase', "(", "*"]
)
def test_any_query_gives_a_page(data, client, text):
    for url in ("/search/", "/fr/search/", "/commitments/", "/quotes/", "/updates/", "/api/commitments/"):
        # An empty filter is dropped from the address by a redirect: follow it.
        response = client.get(url, {"q": text, "kind": "quote"} if "search" in url else {"q": text}, follow=True)
        assert response.status_code in (200, 400), (url, text)
    if text.strip() in ("-", "or", '"', "🙂"):
        html = client.get("/search/", {"q": text}).content.decode()
        assert "holds no word to look for" in html


def test_a_long_query_is_refused_with_a_message(data, client):
    response = client.get("/search/", {"q": "x" * 1000})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()


def test_the_api_and_the_table_find_the_same_commitments(data, client):
    api = {
        row["slug"] for row in client.get("/api/commitments/", {"q": "deployer", "page_size": 100}).json()["results"]
    }
    assert api == table_slugs(client, "deployer") != set()


def test_titles_in_table_keep_the_table_order(data, client):
    # The table's search filters; its order stays the reader's sort.
    response = client.get("/commitments/", {"q": "peacekeeping", "sort": "title"})
    titles = titles_in(response)
    assert titles == sorted(titles, key=str.casefold) or titles == sorted(titles)


@pytest.mark.parametrize("extra", [0, 6])
def test_search_page_queries_are_constant(data, client, django_assert_num_queries, extra):
    for _ in range(extra):
        CommitmentQuoteFactory(commitment=CommitmentFactory(summary="Peacekeeping again."))
    search.search("peacekeeping")  # the public flags set for the data as it now is
    # The flags' state (1), the counts (PostgreSQL: every kind's in one statement, 1; SQLite:
    # how many matches, then each kind's in one pass, 2), then per kind with results: its
    # hits (1) and their records (1).
    with django_assert_num_queries(10 if connection.vendor == "postgresql" else 11):
        response = client.get("/search/", {"q": "peacekeeping"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "text", ["peacekeeping", "deployer", '"peace operations"', "security -nuclear", "états or troops"]
)
def test_the_flags_fast_paths_answer_as_each_match_checked_would(data, monkeypatch, text):
    # Counts and pages read from the flags (one statement for every kind's count; pages in
    # SQL written for each database) equal the engine's general path, which asks the
    # selectors of each match.
    results = search.search(text)
    assert results.visible is visibility.flagged and results.total > 0
    checked_one_by_one = search.Results(text=text, query=results.query, visible=visibility._checked_one_by_one)
    assert search.engine.count(results.query, visibility._checked_one_by_one) == results.counts
    for kind in SearchKind.values:
        fast = search.hits(results, kind, offset=0, limit=50)
        general = search.hits(checked_one_by_one, kind, offset=0, limit=50)
        assert [(hit.record_id, hit.snippet) for hit in fast] == [(hit.record_id, hit.snippet) for hit in general]
    if connection.vendor == "sqlite":  # many matches: each kind counted apart
        monkeypatch.setattr(search.sqlite, "MAX_COUNTED_TOGETHER", 0)
        assert search.search(text).counts == results.counts


def zorbling_update(**fields):
    """An approved update of the seed's troops commitment whose rationale alone has "zorbling"."""
    commitment = Commitment.objects.get(slug="deploy-600-troops-peace-operations")
    return record_approved(
        commitment=commitment,
        status=commitment.current_status,
        as_of=datetime.date(2019, 1, 1),
        rationale="Zorbling engineers arrived.",
        evidence_url="https://example.org/record",
        **fields,
    )


def test_the_table_suggests_only_spellings_that_find_commitments(data, client):
    # A word found only in an update's rationale: /search/ offers it, the commitments table
    # (which finds commitments by their words or their quotes') does not.
    zorbling_update()
    assert search.search("zorblimg").suggestions == ["zorbling"]
    table = client.get("/commitments/", {"q": "zorblimg"}).content.decode()
    assert "Did you mean" not in table


@pytest.mark.parametrize(("language", "said"), [("en", "as of 2019"), ("fr", "en 2019")])
def test_an_update_found_is_dated_as_precisely_as_it_was_made(data, client, language, said):
    update = zorbling_update(as_of_precision="year")
    with translation.override(language):
        page = client.get(reverse("commitments:search"), {"q": "zorbling"}).content.decode()
        status = update.get_status_display()
    assert f"{status} {said}</a>" in page  # the hit's own words, not some other date on the page
    assert "2019-01-01" not in page
