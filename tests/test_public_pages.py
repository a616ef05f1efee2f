import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.models import SourceDocument, Status

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    SourceDocumentFactory,
    commitment_with_basis,
    record_approved,
    reviewer,
)
from .helpers import text_of, titles_in

pytestmark = pytest.mark.django_db
LIST = reverse("commitments:commitment-list")


@pytest.fixture
def three(db):
    troops = commitment_with_basis(
        title="Deploy troops", theme="peacekeeping", pillar="react", made_on=datetime.date(2016, 8, 1)
    )
    money = CommitmentFactory(
        title="Fund the partnership",
        theme="non_proliferation",
        pillar="prevent",
        made_on=datetime.date(2002, 1, 1),
        summary="One billion dollars over ten years.",
    )
    CommitmentQuoteFactory(commitment=money)
    council = CommitmentFactory(
        title="Seek a council resolution", theme="un_reform", pillar="norm_building", made_on=datetime.date(2005, 1, 1)
    )
    CommitmentQuoteFactory(commitment=council, quote=QuoteFactory(text="Canada will  contribute"))
    return troops, money, council


def test_the_table_lists_published_commitments_oldest_first(client, three):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles_in(response) == ["Fund the partnership", "Seek a council resolution", "Deploy troops"]
    assert "<caption>" in response.content.decode()


def test_drafts_appear_on_no_public_page(client, three):
    draft = CommitmentFactory(title="Secret draft pledge", is_published=False)
    CommitmentQuoteFactory(commitment=draft)
    pages = [
        reverse("commitments:home"),
        LIST,
        reverse("commitments:commitment-export"),
        reverse("commitments:source-list"),
        draft.quote_links.get().quote.source.get_absolute_url(),
    ]
    for url in pages:
        assert "Secret draft pledge" not in text_of(client.get(url)), url
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=un_reform", ["Seek a council resolution"]),
        ("pillar=prevent", ["Fund the partnership"]),
        ("status=in_progress", ["Deploy troops"]),
        ("status=not_assessed", ["Fund the partnership", "Seek a council resolution"]),
        ("year=2005", ["Seek a council resolution"]),
        ("q=billion", ["Fund the partnership"]),
        ("q=contribute", ["Seek a council resolution"]),
        ("q=council+resolution", ["Seek a council resolution"]),
        ("q=partnership+council", []),
    ],
)
def test_filters_and_search(client, three, query, expected):
    assert titles_in(client.get(f"{LIST}?{query}")) == expected


def test_filter_by_source_document_lists_each_commitment_once(client, three):
    troops = three[0]
    document = troops.quote_links.first().quote.source
    CommitmentQuoteFactory(
        commitment=troops, quote=QuoteFactory(source=document, text="Canada will  contribute"), role="progress"
    )
    assert titles_in(client.get(f"{LIST}?source={document.slug}")) == ["Deploy troops"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Deploy troops", "Fund the partnership", "Seek a council resolution"]),
        ("-title", ["Seek a council resolution", "Fund the partnership", "Deploy troops"]),
        ("-made_on", ["Deploy troops", "Seek a council resolution", "Fund the partnership"]),
        ("current_status", ["Deploy troops", "Fund the partnership", "Seek a council resolution"]),
        ("theme", ["Fund the partnership", "Deploy troops", "Seek a council resolution"]),
    ],
)
def test_sorting_by_a_column(client, three, sort, expected):
    assert titles_in(client.get(f"{LIST}?sort={sort}")) == expected


def test_every_column_can_be_sorted_both_ways(client, three):
    from commitments.listings.tables import CommitmentTable

    for name in CommitmentTable.base_columns:
        for direction in ("", "-"):
            response = client.get(f"{LIST}?sort={direction}{name}")
            assert response.status_code == 200
            assert len(titles_in(response)) == 3
            assert 'aria-sort="' in response.content.decode()


def test_an_unknown_sort_is_ignored(client, three):
    response = client.get(f"{LIST}?sort=nonexistent")
    assert response.status_code == 200
    assert titles_in(response) == ["Fund the partnership", "Seek a council resolution", "Deploy troops"]


@pytest.mark.parametrize("sort", [".json", "title.x", "quote.source.title,-title"])
def test_a_sort_with_a_dot_is_ignored_without_reaching_django_tables2s_dotted_accessors(client, three, sort):
    """django-tables2 reads such a sort as a dotted accessor path, which it warns it will drop."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        response = client.get(LIST, {"sort": sort})
        export = client.get(reverse("commitments:commitment-export"), {"sort": sort})
        b"".join(export.streaming_content)
    assert response.status_code == 200 and export.status_code == 200
    expected = ["Seek a council resolution", "Fund the partnership", "Deploy troops"] if "-title" in sort else None
    assert titles_in(response) == (expected or ["Fund the partnership", "Seek a council resolution", "Deploy troops"])


@pytest.mark.parametrize("query", ["status=bogus", "theme=%00", "year=abc", "source=no-such-document", "year=1066"])
def test_an_unknown_filter_value_shows_the_form_error(client, three, query):
    # Refused with a 400 (as the CSV and the API refuse it), the page saying why.
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filters could not be used" in html
    assert titles_in(response) == []


@pytest.mark.parametrize(
    "path", ["/updates/?status=bogus", "/fr/quotes/?source=no-such-document", "/updates/?commitment=no-such-commitment"]
)
def test_every_table_refuses_a_filter_it_cannot_use_with_its_reason(client, three, path):
    response = client.get(path)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filters could not be used" in html or "Certains filtres n'ont pas pu" in html
    assert "<tbody>" in html and 'class="field-error"' in html


def test_paging_beyond_the_end_or_garbage_stays_readable(client, db):
    for index in range(30):
        CommitmentQuoteFactory(commitment=CommitmentFactory(title=f"Pledge {index:02d}"))
    first, last = client.get(f"{LIST}?sort=title"), client.get(f"{LIST}?sort=title&page=2")
    assert len(titles_in(first)) == 25 and titles_in(last) == [f"Pledge {i}" for i in range(25, 30)]
    assert titles_in(client.get(f"{LIST}?sort=title&page=999")) == titles_in(last)
    assert titles_in(client.get(f"{LIST}?sort=title&page=abc")) == titles_in(first)
    assert titles_in(client.get(f"{LIST}?sort=title&page=-3")) == titles_in(last)


def test_a_reader_chooses_the_page_size_within_bounds(client, db):
    for index in range(30):
        CommitmentQuoteFactory(commitment=CommitmentFactory(title=f"Pledge {index:02d}"))
    assert len(titles_in(client.get(f"{LIST}?per_page=10"))) == 10
    assert len(titles_in(client.get(f"{LIST}?per_page=100"))) == 30
    # Sizes out of bounds (found by the fuzzer: -1 was a 500) get the default page.
    for hostile in ("-1", "0", "101", "1000000000", "abc"):
        response = client.get(f"{LIST}?per_page={hostile}")
        assert response.status_code == 200
        assert len(titles_in(response)) == 25, hostile


def test_the_download_link_carries_the_current_filters(client, three):
    html = client.get(f"{LIST}?theme=un_reform&sort=-title&page=1").content.decode()
    assert 'href="/commitments/export.csv?theme=un_reform&amp;sort=-title"' in html


def test_detail_shows_target_history_and_the_quoted_words(client, three):
    troops = three[0]
    html = client.get(troops.get_absolute_url()).content.decode()
    assert "Deploy troops" in html and "up to 600 troops" in html
    assert "200 troops (33% of the target)" in html
    assert html.index("Reading 1.") < html.index("Reading 0.")  # newest first
    for link in troops.quote_links.select_related("quote__source"):
        assert link.quote.text in html
        assert f'href="{link.quote.source.get_absolute_url()}#quote-{link.quote.pk}"' in html
    assert "Made" in html and "Reaffirmed" in html


def test_detail_shows_dates_at_their_precision_and_when_it_was_last_updated(client, db):

    commitment = CommitmentFactory(made_on=datetime.date(2016, 8, 1), made_on_precision="month")
    CommitmentQuoteFactory(commitment=commitment)
    record_approved(
        commitment=commitment,
        status=Status.IN_PROGRESS,
        as_of=datetime.date(2017, 11, 1),
        as_of_precision="month",
        rationale="Offers made.",
        evidence_url="https://example.org",
    )
    Commitment = type(commitment)
    Commitment.objects.filter(pk=commitment.pk).update(updated_at=datetime.datetime(2017, 1, 2, tzinfo=datetime.UTC))
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "August 2016, by" in html
    assert "as of November 2017" in html and "1 November 2017" not in html
    # The status update was recorded today, after the last edit: that is when it was last updated.
    today = timezone.localdate()
    assert re.search(rf'Last updated: <time datetime="{today:%Y-%m-%d}T[^"]+">{today.day} {today:%B %Y}</time>', html)


def test_a_commitment_with_no_update_says_not_yet_assessed(client, three):
    html = client.get(three[1].get_absolute_url()).content.decode()
    assert str(Status.NOT_ASSESSED.label) in html and "no public record of progress" in html


def test_unknown_slugs_are_404_pages(client, db):
    for url in ("/commitments/no-such-thing/", "/sources/no-such-thing/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/no-such-page/", "/fr/no-such-page/", "/commitments/no-such-thing/?x=1", "/fr/sources/no-such/"]
)
def test_a_404_sets_no_cookie_and_offers_no_other_language(client, db, url):
    """A miss is answered without a CSRF form or cookie (a cache in front may keep it), and
    offers no "other language" of an address that is not there in any language."""
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 404 and not response.cookies
    assert "csrfmiddlewaretoken" not in html and "/i18n/setlang/" not in html
    assert 'class="language-switcher"' in html and "hreflang" not in html


def test_sources_list_and_document_with_highlighted_quotes(client, three):
    troops = three[0]
    quote = troops.quote_links.first().quote
    html = client.get(reverse("commitments:source-list")).content.decode()
    assert quote.source.title in html
    page = client.get(quote.source.get_absolute_url()).content.decode()
    assert f'id="quote-{quote.pk}"' in page
    assert f"<mark>{quote.text}</mark>" in page
    assert f'href="{troops.get_absolute_url()}"' in page


def test_a_documents_unquoted_paragraphs_show_as_plain_text(client, db):
    document = SourceDocumentFactory(full_text="Quoted words.\n\nPlain words.\n\nSecond paragraph.")
    CommitmentQuoteFactory(quote=QuoteFactory(source=document, text="Quoted words."))
    html = client.get(document.get_absolute_url()).content.decode()
    assert "<mark>Quoted words.</mark>" in html
    assert "<p>Plain words.</p>" in html and "<p>Second paragraph.</p>" in html


def test_home_counts_by_status(client, three):
    html = client.get(reverse("commitments:home")).content.decode()
    assert "<strong>3</strong> undertakings</a> are tracked, of which:" in html
    assert re.search(r"status=not_assessed\">.*?</a></th>\s*<td class=\"number\">2</td>", html, re.S)


def test_pages_declare_their_language_and_load_nothing_from_outside(client, three):
    for url in (reverse("commitments:home"), LIST, three[0].get_absolute_url(), reverse("commitments:source-list")):
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html
        assert not re.search(r'(src|href)="(https?:)?//(?!example\.org)', html), url
        assert "<script" not in html and " style=" not in html


def test_sources_are_listed_oldest_first_with_undated_last(client, db):
    for document in (
        SourceDocumentFactory(title="Undated page", issued_on=None, issued_on_precision="year"),
        SourceDocumentFactory(title="Later statement", issued_on=datetime.date(2016, 9, 6)),
        SourceDocumentFactory(title="Early letter", issued_on=datetime.date(2002, 8, 14)),
    ):
        CommitmentQuoteFactory(quote=QuoteFactory(source=document))  # public: a commitment rests on it
    html = client.get(reverse("commitments:source-list")).content.decode()
    positions = [html.index(title) for title in ("Early letter", "Later statement", "Undated page")]
    assert positions == sorted(positions)
    assert [d["title"] for d in client.get(reverse("api:document-list")).json()["results"]] == [
        "Early letter",
        "Later statement",
        "Undated page",
    ]


def test_quotes_only_drafts_use_are_not_counted_or_shown(client, db):
    published = CommitmentQuoteFactory()
    document = published.quote.source
    CommitmentQuoteFactory(commitment=CommitmentFactory(is_published=False), quote=QuoteFactory(source=document))
    (listed,) = client.get(reverse("commitments:source-list")).context["object_list"]
    assert SourceDocument.objects.count() == 1
    assert (listed.quote_count, listed.commitment_count) == (1, 1)


def test_the_documents_list_pages_by_100_and_counts_each_document_s_own_rows(client, db):
    """105 public documents: 100 on the first page, the rest on the second, each row counting
    its own public quotes and the published commitments resting on them (two quotes of one
    commitment count it once; a draft's quote counts neither), the order kept across pages."""
    documents = [
        SourceDocumentFactory(
            title=f"Document {index:03d}", issued_on=datetime.date(2000 + index // 20, 1, 1 + index % 20)
        )
        for index in range(105)
    ]
    for index, document in enumerate(documents):
        link = CommitmentQuoteFactory(quote=QuoteFactory(source=document))
        if index % 3 == 0:  # a second quote of the same commitment
            CommitmentQuoteFactory(commitment=link.commitment, quote=QuoteFactory(source=document))
        if index % 5 == 0:  # another published commitment, and a draft's quote
            CommitmentQuoteFactory(quote=QuoteFactory(source=document))
            CommitmentQuoteFactory(
                commitment=CommitmentFactory(is_published=False), quote=QuoteFactory(source=document)
            )
    first = client.get(reverse("commitments:source-list"))
    second = client.get(reverse("commitments:source-list") + "?page=2")
    listed = [*first.context["object_list"], *second.context["object_list"]]
    assert [len(first.context["object_list"]), len(second.context["object_list"])] == [100, 5]
    assert [document.title for document in listed] == [document.title for document in documents]
    expected = [(1 + (index % 3 == 0) + (index % 5 == 0), 1 + (index % 5 == 0)) for index in range(len(documents))]
    assert [(document.quote_count, document.commitment_count) for document in listed] == expected
    assert 'rel="next" href="?page=2"' in first.content.decode()
    # Page 1 by its one address, not a second one (?page=1) with its own cache entry.
    assert 'rel="prev" href="/sources/"' in second.content.decode() and "Page 2 of 2" in second.content.decode()
    assert client.get(reverse("commitments:source-list") + "?page=3").status_code == 404
    # Ten more, one date and one title between them, across the pages' edge: each listed once.
    for document in documents[95:]:
        SourceDocument.objects.filter(pk=document.pk).update(issued_on=datetime.date(2030, 1, 1), title="Same title")
    pages = [client.get(f"{reverse('commitments:source-list')}?page={number}") for number in (1, 2)]
    slugs = [document.slug for page in pages for document in page.context["object_list"]]
    assert len(slugs) == len(set(slugs)) == 105


def test_an_evidence_quote_is_public_and_anchored_in_its_document(client, db):
    from commitments import services

    commitment = CommitmentQuoteFactory().commitment
    evidence = QuoteFactory()  # a passage no commitment rests on, cited only as evidence
    update = services.record_status_update(
        commitment=commitment, status=Status.IN_PROGRESS, as_of=datetime.date(2018, 1, 1),
        rationale="The annual report says so.", evidence_quote=evidence,
    )  # fmt: skip
    # Pending review, the evidence is not public yet; approved by someone else, it is.
    assert evidence.text not in text_of(client.get(reverse("commitments:quote-export")))
    services.approve_status_update(update=update, reviewer=reviewer())
    detail = client.get(commitment.get_absolute_url()).content.decode()
    anchor = f"{evidence.source.get_absolute_url()}#quote-{evidence.pk}"
    assert anchor in detail and update.rationale in detail
    assert f'id="quote-{evidence.pk}"' in client.get(evidence.source.get_absolute_url()).content.decode()
    quotes_export = text_of(client.get(reverse("commitments:quote-export")))
    assert evidence.text in quotes_export


def test_the_source_cell_names_each_document_once_earliest_first(client, db):
    later = SourceDocumentFactory(title="Later <statement>", issued_on=datetime.date(2016, 9, 6))
    earlier = SourceDocumentFactory(title="Earlier report", issued_on=datetime.date(2005, 4, 19))
    commitment = CommitmentFactory(title="Rests on three quotes")
    for document in (later, earlier, later):
        CommitmentQuoteFactory(commitment=commitment, quote=QuoteFactory(source=document), role="reaffirmed")
    CommitmentQuoteFactory(commitment=CommitmentFactory(title="Another"), quote=QuoteFactory())
    html = client.get(reverse("commitments:commitment-list"), {"q": "three quotes"}).content.decode()
    row = re.search(r"<tr><th scope=\"row\"[^>]*>.*?Rests on three quotes.*?</tr>", html, re.S).group(0)
    cell = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1]
    # Without a short title, the full title names each document (issue 21).
    assert cell == (
        f'<a href="{earlier.get_absolute_url()}" title="Earlier report" lang="en">Earlier report</a>, '
        f'<a href="{later.get_absolute_url()}" title="Later &lt;statement&gt;" lang="en">Later &lt;statement&gt;</a>'
    )
