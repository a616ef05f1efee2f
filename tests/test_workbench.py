"""The analysts' workbench in the admin: the status-update page, the review page and queue,
the change page's sections, quotes with typographic variants, the admin's name, dates and French."""

import datetime
import re

import pytest
from django.urls import reverse

from commitments.models import Quote, ReviewState, Status, StatusUpdate
from commitments.services.roles import ANALYST, EDITOR

from .factories import (
    CommitmentFactory,
    CommitmentQuoteFactory,
    QuoteFactory,
    RestatementFactory,
    SourceDocumentFactory,
    StatusUpdateFactory,
    UserFactory,
    commitment_with_basis,
    member_of,
)
from .helpers import change_url, text_of

pytestmark = pytest.mark.django_db


def record_url(commitment, **params) -> str:
    url = reverse("admin:commitments_commitment_record_update", args=[commitment.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def review_url(update) -> str:
    return reverse("admin:commitments_statusupdate_change", args=[update.pk])


@pytest.fixture
def troops():
    commitment = CommitmentFactory(target_value=600, target_unit="troops", is_published=True)
    CommitmentQuoteFactory(commitment=commitment)
    return commitment


READING = {
    "status": Status.IN_PROGRESS,
    "as_of": "2019-07-31",
    "as_of_precision": "day",
    "progress_value": "250",
    "progress_stage": "deployed",
    "rationale": "The Mali task force served its year.",
}


# 1. Recording


def test_the_page_shows_the_commitment_beside_a_short_form_with_its_quotes(analyst_client, troops):
    html = analyst_client.get(record_url(troops)).content.decode()
    assert troops.title in html and "Success criteria" in html and "Status now" in html
    assert 'name="own_quote"' in html and str(troops.quotes.get()) in html
    assert 'data-show-for="stalled abandoned partially_achieved"' in html  # the reason, for those only
    assert "Commitment Tracker — analysts" in html


def test_an_update_with_a_reading_is_recorded_pending_and_the_analyst_goes_back(analyst_client, troops):
    back = reverse("admin:commitments_commitment_changelist") + "?theme=peacekeeping"
    posted = {**READING, "own_quote": troops.quotes.get().pk, "next": back}
    response = analyst_client.post(record_url(troops), posted, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert "It is pending review: nobody else sees it" in text_of(response)
    update = StatusUpdate.objects.get()
    assert (update.review_state, update.progress_value, update.evidence_quote) == (
        ReviewState.PENDING,
        250,
        troops.quotes.get(),
    )
    assert update.recorded_by.username == "ana"


def test_errors_are_listed_at_the_top_each_linking_to_its_field(analyst_client, troops):
    response = analyst_client.post(record_url(troops), {**READING, "rationale": "", "progress_stage": ""})
    html = response.content.decode()
    assert response.status_code == 200 and not StatusUpdate.objects.exists()
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_rationale"' in summary and "Say why" in summary
    assert 'href="#id_evidence_url"' in summary and 'id="id_evidence_url_error"' in html  # no evidence


def test_from_the_public_page_the_change_page_says_it_with_the_way_back(analyst_client, troops):
    posted = {**READING, "evidence_url": "https://example.org/x", "next": troops.get_absolute_url()}
    response = analyst_client.post(record_url(troops), posted, follow=True)
    assert response.redirect_chain[-1][0] == change_url(troops)
    html = response.content.decode()
    assert (
        "It is pending review" in html and f'<a href="{troops.get_absolute_url()}">Back to the public page</a>' in html
    )


def test_an_address_elsewhere_is_never_where_the_page_goes_back_to(analyst_client, troops):
    posted = {**READING, "evidence_url": "https://example.org/x", "next": "https://evil.example/"}
    response = analyst_client.post(record_url(troops), posted)
    assert response.status_code == 302 and response["Location"] == change_url(troops)


def test_who_may_not_record_is_refused_whatever_the_id(client, troops):
    client.force_login(member_of(ANALYST, "ana"))
    assert client.get(record_url(troops)).status_code == 200
    client.force_login(UserFactory(username="visitor"))  # staff, in no group
    assert client.get(record_url(troops)).status_code == 403
    assert client.get(reverse("admin:commitments_commitment_record_update", args=[999999])).status_code == 403


def test_the_list_row_and_the_change_page_link_to_the_page(analyst_client, troops):
    listing = analyst_client.get(reverse("admin:commitments_commitment_changelist")).content.decode()
    assert f'href="{record_url(troops)}"' in listing
    page = analyst_client.get(change_url(troops)).content.decode()
    assert record_url(troops) in page and "Record a status update" in page


def test_the_public_page_links_signed_in_analysts_only_and_stays_cacheable_for_readers(client, troops):
    anonymous = client.get(troops.get_absolute_url())
    assert "record-update" not in anonymous.content.decode()
    assert "Cookie" not in anonymous.get("Vary", "")  # the session was not read for a reader
    client.force_login(member_of(ANALYST, "ana"))
    signed_in = client.get(troops.get_absolute_url())
    assert record_url(troops) in signed_in.content.decode()
    assert "private" in signed_in["Cache-Control"] and "no-store" in signed_in["Cache-Control"]


# 2. Review


def test_an_editor_reads_what_changes_and_approves_in_one_click(client, troops):
    update = StatusUpdateFactory(commitment=troops, recorded_by=member_of(ANALYST, "ana"), rationale="Served a year.")
    client.force_login(member_of(EDITOR, "eddie"))
    html = client.get(review_url(update)).content.decode()
    assert "Pending review" in html and "ana" in html and "Served a year." in html
    assert "Readers see now:" in html and "Not yet assessed" in html and "Once approved:" in html
    assert ">Approve<" in html and "Return with a reason" in html
    approve = reverse("admin:commitments_statusupdate_approve", args=[update.pk])
    response = client.post(approve, follow=True)
    assert "Approved:" in text_of(response)
    update.refresh_from_db()
    assert update.review_state == ReviewState.APPROVED


def test_the_author_and_analysts_get_no_buttons_and_the_service_refuses_them(client, troops):
    eddie = member_of(EDITOR, "eddie")
    own = StatusUpdateFactory(commitment=troops, recorded_by=eddie)
    client.force_login(eddie)
    html = client.get(review_url(own)).content.decode()
    assert ">Approve<" not in html and "another editor approves it" in html
    response = client.post(reverse("admin:commitments_statusupdate_approve", args=[own.pk]), follow=True)
    assert "someone else must approve" in text_of(response)
    client.force_login(member_of(ANALYST, "ana"))
    assert client.post(reverse("admin:commitments_statusupdate_approve", args=[own.pk])).status_code == 403
    own.refresh_from_db()
    assert own.review_state == ReviewState.PENDING


def test_returning_needs_a_reason(client, troops):
    update = StatusUpdateFactory(commitment=troops, recorded_by=member_of(ANALYST, "ana"))
    client.force_login(member_of(EDITOR, "eddie"))
    url = reverse("admin:commitments_statusupdate_return", args=[update.pk])
    assert client.post(url, {"note": ""}).status_code == 400
    client.post(url, {"note": "An offer is not a deployment."})
    update.refresh_from_db()
    assert (update.review_state, update.review_note) == (ReviewState.RETURNED, "An offer is not a deployment.")
    assert client.get(url).status_code == 405


def test_the_queue_lists_what_awaits_me_first(client, troops):
    eddie = member_of(EDITOR, "eddie")
    mine = StatusUpdateFactory(commitment=troops, recorded_by=eddie, as_of=datetime.date(2019, 1, 1))
    theirs = StatusUpdateFactory(
        commitment=troops, recorded_by=member_of(ANALYST, "ana"), as_of=datetime.date(2018, 1, 1)
    )
    client.force_login(eddie)
    html = client.get(reverse("admin:commitments_statusupdate_changelist")).content.decode()
    assert html.index(review_url(theirs)) < html.index(review_url(mine))


# 3. The change page


def test_a_draft_says_who_publishes_and_offers_a_preview_not_a_404(analyst_client):
    member_of(EDITOR, "eddie")
    draft = CommitmentQuoteFactory(commitment=CommitmentFactory(is_published=False)).commitment
    html = analyst_client.get(change_url(draft)).content.decode()
    assert "An editor publishes it; ask eddie" in html
    preview = reverse("admin:commitments_commitment_preview", args=[draft.pk])
    assert f'href="{preview}"' in html and "Preview (draft)" in html
    response = analyst_client.get(preview)
    assert response.status_code == 200 and draft.title in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert analyst_client.get(draft.get_absolute_url()).status_code == 404  # still private


def test_a_drafts_preview_links_nowhere_that_is_not_there_yet_and_switches_language_in_place(analyst_client):
    """The preview of a draft offers no feed, embed or suggestion link (each a 404 until
    it is published), and its Français switch shows the same preview in French rather
    than linking to the page's own address again."""
    draft = CommitmentQuoteFactory(commitment=CommitmentFactory(is_published=False, title_fr="Brouillon")).commitment
    restated = RestatementFactory(commitment=draft, quote=QuoteFactory(source=SourceDocumentFactory(title="Later")))
    shared = CommitmentQuoteFactory(commitment=CommitmentFactory(is_published=True)).quote  # public already
    CommitmentQuoteFactory(commitment=draft, quote=shared, role="reaffirmed")
    preview = reverse("admin:commitments_commitment_preview", args=[draft.pk])
    html = analyst_client.get(preview).content.decode()
    links = set(re.findall(r'href="(/[^"]*)"', html))
    assert links and not [link for link in links if draft.slug in link]  # feed, embed, suggest: none yet
    assert shared.get_absolute_url() in links  # a public quote keeps its link
    assert restated.quote.source.title in html and restated.quote.get_absolute_url() not in links
    for link in links:
        assert analyst_client.get(link).status_code == 200, link
    assert 'hreflang="fr"' not in html  # no alternate address: a preview has one for both languages
    switch = re.search(r'<form method="post" action="(/i18n/setlang/)">.*?name="next" value="([^"]+)"', html, re.S)
    assert switch and switch[2] == preview and 'name="language" value="fr"' in html
    response = analyst_client.post(switch[1], {"language": "fr", "next": switch[2]})
    assert response.status_code == 302 and response["Location"] == preview
    french = analyst_client.get(preview).content.decode()
    assert '<html lang="fr">' in french and "Brouillon" in french
    published = CommitmentQuoteFactory(commitment=CommitmentFactory(is_published=True)).commitment
    shown = analyst_client.get(reverse("admin:commitments_commitment_preview", args=[published.pk])).content.decode()
    assert reverse("commitments:suggest", args=[published.slug]) in shown  # a published one keeps them


def test_the_history_is_a_compact_read_only_list(analyst_client, troops):
    StatusUpdateFactory(commitment=troops, evidence_url="https://www.example.org/a/very/long/address/of/a/record")
    html = analyst_client.get(change_url(troops)).content.decode()
    assert ">www.example.org</a>" in html  # the host, the full address in the link
    assert 'name="status_updates-0-rationale"' not in html


# 4. Quotes


def test_a_quote_typed_with_plain_marks_is_accepted_and_keeps_the_documents_characters(analyst_client):
    document = SourceDocumentFactory(full_text="Canada’s pledge — “up to 600”\u00a0troops.")
    response = analyst_client.post(
        reverse("admin:commitments_quote_add"),
        {"source": document.pk, "text": 'Canada\'s pledge - "up to 600" troops', "language": "en"},
        follow=True,
    )
    assert Quote.objects.get().text == "Canada’s pledge — “up to 600” troops"
    message = text_of(response)
    assert "““" not in message and "””" not in message and "was added successfully" in message


# 5. Name, dates, French


def test_the_admin_writes_dates_as_the_public_site_does(analyst_client, troops):
    StatusUpdateFactory(commitment=troops, as_of=datetime.date(2018, 3, 19))
    html = analyst_client.get(reverse("admin:commitments_statusupdate_changelist")).content.decode()
    assert "19 March 2018" in html and "March 19, 2018" not in html


def test_the_analyst_switches_the_admin_to_french(analyst_client, troops):
    page, public = reverse("admin:commitments_commitment_changelist"), troops.get_absolute_url()
    response = analyst_client.post(reverse("set_language"), {"language": "fr", "next": page}, follow=True)
    html = response.content.decode()
    assert '<html lang="fr"' in html and "Suivi des engagements — analystes" in html
    assert "Consigner une mise à jour" in html
    # The public site keeps its addresses' languages.
    assert '<html lang="en"' in analyst_client.get(public).content.decode()


# Query counts: the workbench's pages read a constant number of times whatever the history.


@pytest.mark.parametrize("size", [2, 20])
def test_the_pages_queries_do_not_grow_with_the_history(analyst_client, django_assert_num_queries, size):
    commitment = commitment_with_basis(quotes=3, updates=size, is_published=True)
    update = StatusUpdate.objects.filter(commitment=commitment).first()
    # The same count at 2 and 20 updates: no read per update, quote or criterion.
    with django_assert_num_queries(11):
        assert analyst_client.get(record_url(commitment)).status_code == 200
    with django_assert_num_queries(7):
        assert analyst_client.get(review_url(update)).status_code == 200
