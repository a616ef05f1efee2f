"""The table's source column sorts by a key stored on each commitment (issue 8): the title of
the earliest document whose words made it. Every write that can change that document keeps
the key true, without an audit-trail record or a new version for analysts to trip over."""

import datetime
import re

import pytest
from django.db.models import F, OuterRef, Subquery
from django.http import QueryDict

from commitments import services
from commitments.listings import COMMITMENTS
from commitments.models import Commitment, CommitmentQuote, QuoteRole
from commitments.services.roles import EDITOR

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    SourceDocumentFactory,
    member_of,
)
from .helpers import change_url, csv_rows, form_fields, text_of

pytestmark = pytest.mark.django_db


def stored_key(commitment: Commitment) -> str | None:
    return Commitment.objects.values_list("primary_source_title", flat=True).get(pk=commitment.pk)


def made_in(commitment: Commitment) -> str | None:
    """The key worked out in Python: the earliest made-by document, undated ones last."""
    links = CommitmentQuote.objects.filter(commitment=commitment, role=QuoteRole.MADE).select_related("quote__source")
    made = sorted(
        links, key=lambda link: (link.quote.source.issued_on is None, link.quote.source.issued_on, link.quote_id)
    )
    return made[0].quote.source.title if made else None


def document(title: str, issued_on: datetime.date | None, text: str = "Canada will act."):
    return SourceDocumentFactory(title=title, issued_on=issued_on, full_text=text)


def quote_in(source):
    return QuoteFactory(source=source, text=source.full_text.split("\n")[0])


def test_linking_quotes_sets_the_key_to_the_earliest_document_that_made_it():
    commitment = CommitmentFactory()
    assert stored_key(commitment) is None
    services.attach_quote(
        commitment=commitment, quote=quote_in(document("B 2010", datetime.date(2010, 1, 1))), role="made"
    )
    assert stored_key(commitment) == "B 2010"
    # A later document, an undated one, and an earlier one that only reaffirms: no change.
    services.attach_quote(
        commitment=commitment, quote=quote_in(document("C 2015", datetime.date(2015, 1, 1))), role="made"
    )
    services.attach_quote(commitment=commitment, quote=quote_in(document("Undated", None)), role="made")
    services.attach_quote(
        commitment=commitment, quote=quote_in(document("A 2001", datetime.date(2001, 1, 1))), role="reaffirmed"
    )
    assert stored_key(commitment) == "B 2010" == made_in(commitment)


def link_prefix(form: dict, quote) -> str:
    """The inline form of the link to `quote` (the inline lists links earliest first)."""
    return next(
        key[: -len("-quote")] for key, value in form.items() if key.endswith("-quote") and value == str(quote.pk)
    )


def test_the_admins_quote_links_keep_the_key_and_move_the_version_once_per_save(client):
    client.force_login(member_of(EDITOR, "eddie"))  # editors may remove a link
    commitment = CommitmentQuoteFactory(quote=quote_in(document("B 2010", datetime.date(2010, 1, 1)))).commitment
    earlier = quote_in(document("A 2001", datetime.date(2001, 1, 1)))
    version, records = Commitment.objects.get(pk=commitment.pk).version, commitment.history.count()
    url = change_url(commitment)

    form = form_fields(client.get(url).content.decode(), "commitment_form")
    form.update({"quote_links-1-quote": str(earlier.pk), "quote_links-1-role": "reaffirmed"})
    assert client.post(url, form).status_code == 302
    assert stored_key(commitment) == "B 2010"  # it only reaffirms

    form = form_fields(client.get(url).content.decode(), "commitment_form")
    form[f"{link_prefix(form, earlier)}-role"] = "made"
    assert client.post(url, form).status_code == 302
    assert stored_key(commitment) == "A 2001"

    form = form_fields(client.get(url).content.decode(), "commitment_form")
    form[f"{link_prefix(form, earlier)}-DELETE"] = "on"
    assert client.post(url, form).status_code == 302
    assert stored_key(commitment) == "B 2010"

    # Each save changed a link, so each moved the version once (a colleague's page loaded
    # before it is stale); keeping the sort key added no version or record of its own.
    stored = Commitment.objects.get(pk=commitment.pk)
    assert (stored.version, stored.history.count()) == (version + 3, records + 3)


def test_moving_a_quote_to_another_document_moves_the_key(analyst_client):
    text = "Canada will deploy troops."
    quote = quote_in(document("Old home", datetime.date(2010, 1, 1), text))
    commitment = CommitmentQuoteFactory(quote=quote).commitment
    new_home = document("New home", datetime.date(2012, 1, 1), text)
    form = form_fields(analyst_client.get(change_url(quote)).content.decode(), "quote_form")
    form["source"] = str(new_home.pk)
    assert analyst_client.post(change_url(quote), form).status_code == 302
    assert stored_key(commitment) == "New home"


def test_renaming_or_redating_a_document_keeps_every_key_true(analyst_client):
    first, second = document("First", datetime.date(2001, 1, 1)), document("Second", datetime.date(2005, 1, 1))
    commitment = CommitmentFactory()
    for source in (first, second):
        services.attach_quote(commitment=commitment, quote=quote_in(source), role="made")
    other = CommitmentQuoteFactory(quote=quote_in(first)).commitment
    records = Commitment.history.count()

    form = form_fields(analyst_client.get(change_url(first)).content.decode(), "sourcedocument_form")
    form["title"] = "First, renamed"
    assert analyst_client.post(change_url(first), form).status_code == 302
    assert stored_key(commitment) == stored_key(other) == "First, renamed"

    form = form_fields(analyst_client.get(change_url(first)).content.decode(), "sourcedocument_form")
    form["issued_on"] = ""  # undated: now the second document is the earliest
    assert analyst_client.post(change_url(first), form).status_code == 302
    assert stored_key(commitment) == "Second" == made_in(commitment)
    assert stored_key(other) == "First, renamed"
    assert Commitment.history.count() == records  # no edit an analyst would see


def test_an_analysts_save_neither_goes_stale_nor_writes_back_an_old_key(analyst_client):
    source = document("Before", datetime.date(2010, 1, 1))
    commitment = CommitmentQuoteFactory(quote=quote_in(source)).commitment
    form = form_fields(analyst_client.get(change_url(commitment)).content.decode(), "commitment_form")

    source.title = "After"
    services.save_document(document=source)

    form["summary"] = "An analyst's edit made while the document was renamed."
    assert analyst_client.post(change_url(commitment), form).status_code == 302  # not refused as stale
    stored = Commitment.objects.get(pk=commitment.pk)
    assert (stored.summary, stored.version) == ("An analyst's edit made while the document was renamed.", 2)
    assert stored.primary_source_title == "After"

    # A save from an instance read before a rename leaves the new key alone.
    loaded = Commitment.objects.get(pk=commitment.pk)
    source.title = "Renamed again"
    services.save_document(document=source)
    loaded.title = "A new title"
    services.save_commitment(commitment=loaded)
    assert stored_key(commitment) == "Renamed again"


def test_the_seed_datas_keys_are_what_the_service_computes(seed):
    shipped = dict(Commitment.objects.values_list("pk", "primary_source_title"))
    services.refresh_primary_source(Commitment.objects.all())
    assert dict(Commitment.objects.values_list("pk", "primary_source_title")) == shipped
    assert {pk: made_in(c) for pk, c in Commitment.objects.in_bulk().items()} == shipped
    assert None not in shipped.values()


def old_source_sort(descending: bool) -> list[int]:
    """The order the per-row subquery gave (undated documents last, as on PostgreSQL)."""
    made = CommitmentQuote.objects.filter(commitment=OuterRef("pk"), role=QuoteRole.MADE).order_by(
        F("quote__source__issued_on").asc(nulls_last=True), "quote_id"
    )
    order = ("old_key", "title", "id")
    rows = Commitment.objects.published().annotate(old_key=Subquery(made.values("quote__source__title")[:1]))
    return list(rows.order_by(*(f"-{f}" if descending else f for f in order)).values_list("pk", flat=True))


def sorted_by_source(descending: bool) -> list[int]:
    rows = COMMITMENTS.filtered(QueryDict("sort=-source" if descending else "sort=source"))
    return [row.pk for row in rows]


@pytest.fixture
def hostile():
    """Undated documents, several made-by links, none, and equal keys and titles."""
    dated, later = document("Dated", datetime.date(2003, 1, 1)), document("Later", datetime.date(2009, 1, 1))
    undated, also_undated = document("Undated", None), document("Also undated", None)
    for title, made, reaffirmed in (
        ("Same title", [dated], []),
        ("Same title", [dated], []),
        ("Same title", [later, dated], []),
        ("Only undated", [undated], []),
        ("Two undated", [undated, also_undated], []),
        ("Undated and dated", [undated, later], []),
        ("Not made by any", [], [dated]),
        ("Not made by any either", [], [undated]),
    ):
        commitment = CommitmentFactory(title=title)
        for source in made:
            services.attach_quote(commitment=commitment, quote=quote_in(source), role="made")
        for source in reaffirmed:
            services.attach_quote(commitment=commitment, quote=quote_in(source), role="reaffirmed")


@pytest.mark.parametrize("descending", [False, True])
def test_sorting_by_source_keeps_the_old_order_with_id_last(hostile, descending):
    assert sorted_by_source(descending) == old_source_sort(descending)
    same = list(Commitment.objects.filter(title="Same title").order_by("pk").values_list("pk", flat=True))
    order = [pk for pk in sorted_by_source(descending) if pk in same]
    assert order == (same[::-1] if descending else same)


@pytest.mark.parametrize("descending", [False, True])
def test_sorting_the_seed_by_source_keeps_the_old_order(seed, descending):
    assert sorted_by_source(descending) == old_source_sort(descending)


@pytest.mark.parametrize("sort", ["source", "-source"])
def test_the_page_and_the_csv_agree_on_ties(client, hostile, sort):
    ordered = [Commitment.objects.get(pk=pk).get_absolute_url() for pk in sorted_by_source(sort.startswith("-"))]
    page = text_of(client.get(f"/commitments/?sort={sort}"))
    csv = text_of(client.get(f"/commitments/export.csv?sort={sort}"))
    for listing in (page, csv):
        positions = [listing.index(url) for url in ordered]
        assert positions == sorted(positions)


@pytest.mark.parametrize("sort", ["title", "-title", "theme", "-current_status", "made_on", "-target"])
def test_commitments_with_equal_keys_keep_one_order_on_every_page_and_in_the_csv(client, sort):
    """Titles, themes and dates repeat: every sort ends with the id, so paging through the
    table shows each commitment once, in the order of the CSV of the same address."""
    for _ in range(30):
        CommitmentFactory(title="Same words", theme="peacekeeping", made_on=datetime.date(2016, 9, 6))
    paged = []
    for page in (1, 2):
        html = text_of(client.get("/commitments/", {"sort": sort, "page": page}))
        paged += re.findall(r'href="/commitments/([\w-]+)/"', html)
    exported = [row["slug"] for row in csv_rows(client, f"/commitments/export.csv?sort={sort}")]
    assert len(paged) == len(set(paged)) == 30
    assert paged == exported
