"""Table pages and the API written afresh, with every cache off (issue 23's "written afresh"
goals): the filters' lists read from the database on every request give the same options,
escaped the same way, and the cached pieces of code (the public documents' compiled query,
vocabularies' labels per language) never show one language's or one moment's rows to another."""

import datetime
import html
import re

import pytest
from django import forms
from django.db import connection, transaction
from django.http import QueryDict
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from commitments import selectors, services
from commitments.listings import COMMITMENTS
from commitments.listings.choices import bodies, flagged_documents, years_made
from commitments.listings.filters import DateText
from commitments.listings.tables import CommitmentTable
from commitments.listings.widgets import QuickSelect, QuickTextInput, Titled, _escaped
from commitments.models import DOCUMENT_ORDER, Body, Commitment, SearchChange, SourceDocument, Theme, rows_of
from commitments.search import visibility

from .factories import CommitmentFactory, CommitmentQuoteFactory, QuoteFactory, SourceDocumentFactory

pytestmark = pytest.mark.django_db

CACHES_OFF = override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}, CACHE_MAX_ITEM_BYTES=0
)


def select_of(client, name: str, path: str = "/commitments/") -> str:
    page = client.get(path).content.decode()
    start = page.index(f'name="{name}"')
    return page[start : page.index("</select>", start)]


@pytest.mark.parametrize(
    "texts",
    [[], [""], ["plain"], ["<b>\"Peace\" & 'order'</b>", "second", ""], ["a\0b", "<c>"], ["\0", "\0\0"]],
)
def test_texts_are_escaped_together_as_one_by_one(texts):
    assert _escaped(texts) == [html.escape(text) for text in texts]


def test_a_select_writes_each_option_as_before():
    choices = [("", "Any"), ('a"<', Titled("Titre <i>", "fr")), ("b&", Titled("B & C", "en")), ("c", "Plain")]
    written = QuickSelect(choices=choices).render("source", 'a"<')
    assert written == (
        '<select name="source"><option value="">Any</option>'
        '<option value="a&quot;&lt;" selected lang="fr">Titre &lt;i&gt;</option>'
        '<option value="b&amp;" lang="en">B &amp; C</option>'
        '<option value="c">Plain</option></select>'
    )


@CACHES_OFF
@pytest.mark.django_db(transaction=True)
def test_with_every_cache_off_the_source_filter_follows_publication_at_once(client):
    draft = CommitmentFactory(is_published=False)
    hostile = SourceDocumentFactory(title='<script>alert("x")</script> & co')
    CommitmentQuoteFactory(commitment=draft, quote=QuoteFactory(source=hostile))
    assert f'value="{hostile.slug}"' not in select_of(client, "source")

    services.set_published(commitment=draft, published=True, actor=None)
    choices = select_of(client, "source")
    assert f'value="{hostile.slug}"' in choices
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in choices and "<script>" not in choices

    services.set_published(commitment=draft, published=False, actor=None)
    assert f'value="{hostile.slug}"' not in select_of(client, "source")


def document_options(client) -> list[str]:
    return [part.split('"', 1)[0] for part in select_of(client, "source").split('<option value="')[2:]]


def published_by_the_definition() -> list[str]:
    return list(selectors.public_documents().order_by(*DOCUMENT_ORDER).values_list("slug", flat=True))


@CACHES_OFF
@pytest.mark.django_db(transaction=True)
def test_the_source_filter_follows_a_publication_made_by_any_path(client):
    """The list reads the search index's public flags; a bulk update or raw SQL, which no
    service sees, leaves a note, and while it is there the page reads the definition (it
    writes nothing: a reader may be on a replica)."""
    shown = commitment_resting_on(SourceDocumentFactory(issued_on=None, title="Undated"))
    draft = commitment_resting_on(SourceDocumentFactory(title="Lettre", language="fr"), is_published=False)
    assert document_options(client) == published_by_the_definition() == [shown.quote_links.get().quote.source.slug]

    Commitment.objects.filter(pk=draft.pk).update(is_published=True)
    assert SearchChange.objects.exists()  # noted: until a search sets the flags, the page reads the definition
    with CaptureQueriesContext(connection) as queries:
        assert document_options(client) == published_by_the_definition()
    assert len(published_by_the_definition()) == 2 and SearchChange.objects.exists()
    assert not [query for query in queries if query["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    visibility.set_flags()
    assert document_options(client) == published_by_the_definition()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE commitments_commitment SET is_published = %s WHERE id = %s", [False, shown.pk])
    assert document_options(client) == published_by_the_definition() == [draft.quote_links.get().quote.source.slug]


@CACHES_OFF
def test_a_document_s_title_says_its_language_where_it_differs_from_the_page_s(client):
    english = SourceDocumentFactory(title="Statement", language="en")
    french = SourceDocumentFactory(title="Déclaration", language="fr")
    bilingual = SourceDocumentFactory(title="Both", language="bilingual")  # listed by its English title
    for document in (english, french, bilingual):
        commitment_resting_on(document)
    on_english_page = select_of(client, "source")
    on_french_page = select_of(client, "source", "/fr/commitments/")
    for page, marked, plain in (
        (on_english_page, [french], [english, bilingual]),
        (on_french_page, [english, bilingual], [french]),
    ):
        for document in marked:
            written = "fr" if document.language == "fr" else "en"
            assert f'<option value="{document.slug}" lang="{written}">{document.title}</option>' in page
        for document in plain:
            assert f'<option value="{document.slug}">{document.title}</option>' in page


def commitment_resting_on(document, **fields) -> Commitment:
    commitment = CommitmentFactory(**fields)
    CommitmentQuoteFactory(commitment=commitment, quote=QuoteFactory(source=document))
    return commitment


def test_the_flags_query_lists_the_definition_s_documents_in_its_order():
    for year in (None, 2005, 2005, 2016):
        commitment_resting_on(SourceDocumentFactory(issued_on=year and datetime.date(year, 6, 1)))
    commitment_resting_on(SourceDocumentFactory(), is_published=False)
    SourceDocumentFactory()  # no quote at all
    visibility.set_flags()
    by_the_flags = rows_of(SourceDocument, flagged_documents)
    definition = selectors.public_documents().order_by(*DOCUMENT_ORDER).values_list("slug", "title", "language")
    assert by_the_flags == list(definition) and len(by_the_flags) == 4


@CACHES_OFF
def test_with_every_cache_off_the_bodies_are_those_of_published_commitments(client):
    CommitmentFactory(responsible_body=Body.values[0])
    CommitmentFactory(responsible_body="Office of <Free> Text")
    CommitmentFactory(responsible_body="Hidden Draft Office", is_published=False)
    bodies = select_of(client, "body")
    assert f'value="{Body.values[0]}"' in bodies
    assert "Office of &lt;Free&gt; Text" in bodies
    assert "Hidden Draft Office" not in bodies


def test_years_and_bodies_read_by_seeks_are_those_select_distinct_gives():
    """distinct_values (a recursive query, one index seek per value) gives what SELECT
    DISTINCT gives, in its order: published commitments only, no empty body, gaps between
    years kept, after publishing and withdrawing; on both databases."""
    for year, body, published in [
        (1999, "", True),
        (2005, "Global Affairs Canada", True),
        (2005, "Zeta Office", False),
        (2016, "Department of National Defence", True),
        (2016, "", True),
        (2024, "Alpha & Co", False),
        (2024, "Department of National Defence", True),
        (1990, "Aardvark Office", True),
        (2001, "aardvark office", True),
        (2002, "Énergie Canada", True),
        (2003, "Zeta Office ", True),
    ]:
        CommitmentFactory(made_on=datetime.date(year, 3, 1), responsible_body=body, is_published=published)

    def as_distinct():
        published = Commitment.objects.filter(is_published=True)
        years = published.dates("made_on", "year", order="DESC")
        bodies = published.exclude(responsible_body="").order_by("responsible_body").values_list("responsible_body")
        return [str(day.year) for day in years], [body for (body,) in bodies.distinct()]

    def as_offered():
        return [year for year, _label in years_made()], [body for body, _label in bodies()]

    # Years with gaps, newest first; bodies in the database's own order (case, accents, spaces).
    years, offered_bodies = as_offered()
    assert (years, offered_bodies) == as_distinct()
    assert years == ["2024", "2016", "2005", "2003", "2002", "2001", "1999", "1990"]
    assert sorted(offered_bodies) == sorted(
        ["Aardvark Office", "aardvark office", "Énergie Canada", "Zeta Office ", "Department of National Defence",
         "Global Affairs Canada"]
    )  # fmt: skip
    Commitment.objects.filter(responsible_body="Zeta Office").update(is_published=True)
    Commitment.objects.filter(made_on__year=1990).update(is_published=False)
    assert as_offered() == as_distinct()
    assert "Zeta Office" in as_offered()[1] and "1990" not in as_offered()[0]
    Commitment.objects.update(is_published=False)
    assert as_offered() == as_distinct() == ([], [])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL plans by its statistics")
def test_an_unfiltered_list_is_counted_from_the_published_rows_index_alone():
    """Every table page and API list counts its rows: with no filter, SQLite counted them
    through the years' index, reading all 10,000 entries and checking each (0.5 ms of every
    page); a partial index holds the published ones only."""
    CommitmentFactory()
    with CaptureQueriesContext(connection) as queries:
        assert Commitment.objects.published().count() == 1
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[0]["sql"])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING COVERING INDEX commitment_published_idx" in plan, plan


@pytest.mark.parametrize("value", [None, "", 'a "b" <c> & d'])
def test_a_text_box_is_written_as_django_writes_it(value):
    attributes = {
        "id": "id_q", "maxlength": "200", "aria-describedby": "id_q_helptext", "required": False,
        "placeholder": gettext_lazy("Any"), "data-safe": mark_safe("<b>"), "data-none": None, "title": '"x" & <y>',
    }  # fmt: skip
    for django_widget, ours in [
        (forms.TextInput(attrs={"type": "search"}), QuickTextInput(attrs={"type": "search"})),
        (forms.TextInput(DateText().attrs), DateText()),
    ]:
        assert ours.render("q", value, {**attributes, "disabled": True}) == django_widget.render(
            "q", value, {**attributes, "disabled": True}
        )


@CACHES_OFF
def test_labels_are_in_each_page_s_own_language_whichever_came_first(client):
    commitment = CommitmentFactory(theme=Theme.PEACEKEEPING)
    for _ in range(2):  # each language's labels resolved once, then reused: never the other's
        french = client.get("/fr/commitments/").content.decode()
        english = client.get("/commitments/").content.decode()
        assert str(Theme.PEACEKEEPING.label) in english
        assert "Maintien de la paix" in french
        assert f"/fr/commitments/{commitment.slug}/" in french
        # The lists' labels and "Any", read once per language's form class (filters.FilterSet).
        assert ">Tous</option>" in select_of(client, "theme", "/fr/commitments/")
        assert ">Maintien de la paix</option>" in select_of(client, "theme", "/fr/commitments/")
        assert ">Any</option>" in select_of(client, "theme") and ">Peacekeeping</option>" in select_of(client, "theme")


def test_a_page_s_documents_read_with_the_compiled_query_are_those_of_the_queryset():
    """documents_by_commitment for a list of ids (its SQL compiled once per number of ids)
    gives what the queryset gives: each document once, earliest first, undated ones where
    the database puts them, ties by quote, on both databases."""
    undated = SourceDocumentFactory(issued_on=None, title="Undated")
    early, late = SourceDocumentFactory(), SourceDocumentFactory()
    first, second, bare = CommitmentFactory(), CommitmentFactory(), CommitmentFactory()
    for commitment, document in [(first, late), (first, early), (first, late), (first, undated), (second, early)]:
        CommitmentQuoteFactory(commitment=commitment, quote=QuoteFactory(source=document))
    ids = [second.pk, bare.pk, first.pk, second.pk]  # unordered, a repeat, one with no document
    fields = ("slug", "title", "short_title", "language")
    as_queryset = selectors.documents_by_commitment(Commitment.objects.filter(pk__in=ids).values("pk"), fields)
    assert selectors.documents_by_commitment(ids, fields) == as_queryset
    dated = [slug for slug, *_rest in as_queryset[first.pk] if slug != undated.slug]
    assert dated == [early.slug, late.slug]
    assert len(as_queryset[first.pk]) == 3 and bare.pk not in as_queryset
    assert selectors.document_slugs([first.pk, bare.pk]) == {
        first.pk: [slug for slug, *_rest in as_queryset[first.pk]],
        bare.pk: [],
    }
    assert selectors.documents_by_commitment([], fields) == {}


def test_each_table_has_its_own_columns_copied_from_its_class():
    """Tables copy their class's columns one by one (listings.tables.Table), not deeply: what
    one table changes in its columns never reaches the class or the next table."""
    first = CommitmentTable(selectors.commitment_list().none())
    first.columns.hide("theme")
    second = CommitmentTable(selectors.commitment_list().none())
    assert not first.columns["theme"].visible and second.columns["theme"].visible
    assert CommitmentTable.base_columns["theme"].visible
    assert first.columns["title"].column is not second.columns["title"].column
    assert first.columns["title"].column is not CommitmentTable.base_columns["title"]
    assert [column.name for column in second.columns] == list(CommitmentTable.Meta.fields)


def head_and_pages(client, path: str) -> tuple[str, str]:
    page = client.get(path).content.decode()
    head = page[page.index("<thead>") : page.index("</thead>")]
    nav = page[page.index('<nav class="pagination"') :] if 'class="pagination"' in page else ""
    return head, nav[: nav.find("</nav>") + 1]


def test_the_header_row_and_page_links_say_the_sort_and_keep_the_filters(client):
    """The header and the pagination, written in Python (listings.rendering.Table): the
    sorted column says so to screen readers, each heading sorts the same rows the other way
    or by itself, and every link keeps the reader's filters, escaped."""
    for _ in range(3):
        commitment_resting_on(SourceDocumentFactory(), theme=Theme.PEACEKEEPING)
    hostile = '<b x="1">'
    head, pages = head_and_pages(client, f"/commitments/?sort=-title&per_page=1&page=2&theme=peacekeeping&x={hostile}")
    assert head.count("aria-sort=") == 1
    assert '<th scope="col" class="desc orderable" aria-sort="descending"><a href="?sort=title&amp;' in head
    assert "sorted descending; select to sort ascending</span>" in head
    assert head.count(", select to sort</span>") == len(CommitmentTable.Meta.fields) - 1
    assert "x=%3Cb+x%3D%221%22%3E" in head and hostile not in head and hostile not in pages
    assert "Page 2 of 3" in pages
    assert '<a rel="prev" href="?sort=-title&amp;per_page=1&amp;page=1&amp;theme=peacekeeping&amp;x=' in pages
    assert '&amp;page=2&amp;theme=peacekeeping&amp;x=%3Cb+x%3D%221%22%3E" aria-current="page">2</a>' in pages
    assert '<a rel="next" href="' in pages and ">Next page</a>" in pages

    head, pages = head_and_pages(client, "/fr/commitments/?per_page=1")
    assert 'aria-sort="ascending"><a href="?per_page=1&amp;sort=-made_on">' in head  # the default order
    assert "tri croissant\u202f; sélectionner pour trier par ordre décroissant" in head
    assert "Page 1 sur 3" in pages and 'rel="prev"' not in pages and "Page suivante" in pages

    CommitmentFactory.create_batch(27)
    _head, pages = head_and_pages(client, "/commitments/?per_page=1&page=15")
    links = re.findall(r'<li><a href="\?per_page=1&amp;page=(\d+)"( aria-current="page")?>(\d+)</a></li>', pages)
    assert [(int(number), bool(current)) for number, current, _shown in links] == [
        (number, number == 15) for number in [1, *range(12, 18), 30]
    ]
    assert pages.count('<li aria-hidden="true">…</li>') == 2  # 1 … 12-17 … 30


def test_the_list_sorts_by_each_language_s_titles_whichever_came_first(client):
    """The list's queryset is built once per language and copied for each request
    (selectors.commitment_list): a page sorted by title in one language never gets the
    other language's order, on the page or in the API."""
    CommitmentFactory(title="Assist the mission", title_fr="Zèle de la mission")
    CommitmentFactory(title="Zero tolerance", title_fr="Aider la mission")
    english = ["Assist the mission", "Zero tolerance"]
    french = ["Aider la mission", "Zèle de la mission"]
    for _ in range(2):
        for prefix, expected in (("/fr", french), ("", english)):
            page = client.get(f"{prefix}/commitments/?sort=title").content.decode()
            assert [page.index(title) for title in expected] == sorted(page.index(title) for title in expected)
            rows = client.get("/api/commitments/?sort=title", HTTP_ACCEPT_LANGUAGE=prefix[1:] or "en").json()
            assert [row["title"] for row in rows["results"]] == english  # the API sorts by the English title


def test_each_list_gets_its_own_copy_of_the_language_s_queryset():
    first, second = selectors.commitment_list(), selectors.commitment_list()
    assert first is not second and first.query is not second.query
    CommitmentFactory(title="Listed")
    assert [commitment.title for commitment in first.filter(title="Listed")] == ["Listed"]
    assert list(first) and second._result_cache is None  # one evaluated, the other untouched
    assert all(selectors._published_list(french)._result_cache is None for french in (False, True))


@CACHES_OFF
def test_a_refused_filter_leaves_the_next_reader_s_form_as_it_was(client):
    """The filter forms' fields are built once and shared (listings.filters.FilterSet): one
    reader's values, errors and language never reach the next reader's form."""
    CommitmentFactory(theme=Theme.PEACEKEEPING)
    refused = client.get("/fr/commitments/?status=bogus&theme=peacekeeping")
    assert refused.status_code == 400 and 'class="field-error"' in refused.content.decode()
    page = client.get("/commitments/").content.decode()
    assert 'class="field-error"' not in page and 'value="peacekeeping" selected' not in select_of(client, "theme")
    assert ">Any</option>" in select_of(client, "status") and ">Tous</option>" not in page
    assert 'value="peacekeeping" selected' in select_of(client, "theme", "/commitments/?theme=peacekeeping")


def plan_of(rows) -> str:
    """The database's plan for `rows`: PostgreSQL told to sort only where no index gives the
    order (with a handful of rows it would sort them anyway), SQLite as it plans."""
    sql, params = rows.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(("EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN ") + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("", "commitment_made_title"),
        ("sort=-made_on", "commitment_made_title"),
        ("sort=title", "commitment_title"),
        ("sort=current_status", "commitment_status_title"),
        ("sort=target", "commitment_target_title"),
        ("sort=-progress", "commitment_progress"),
        ("sort=source", "commitment_source_title"),
        ("theme=peacekeeping&status=in_progress", "commitment_status_theme"),
    ],
)
def test_each_language_s_sorts_read_their_order_from_an_index(language, query, index):
    """Each sort that ends with the title a reader sees has an index in each language: the
    French one is on an expression (models.FrenchTitle). Without those indexes every French
    page sorted all published commitments (4 ms at 10,000); SQLite also needs the
    expression's '' written into the SQL, as a parameter matches no index."""
    CommitmentFactory(title="Deploy troops", title_fr="Déployer des troupes")
    with translation.override(language):
        plan = plan_of(COMMITMENTS.filtered(QueryDict(query))[:25])
    expected = f"{index}_fr_idx" if language == "fr" else f"{index}_idx"
    # PostgreSQL picks by its statistics among the indexes that give the first keys (then
    # sorts the ties); for the title sort only the title's own index gives any.
    if connection.vendor == "sqlite" or query == "sort=title":
        assert re.search(rf"\b{expected}\b", plan), plan
    # SQLite reads the index in order; PostgreSQL sorts at most the ties, by id.
    assert "TEMP B-TREE" not in plan and not re.search(r"(^|->)\s*Sort\s+\(", plan, re.MULTILINE), plan
