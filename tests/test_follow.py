"""Following: an Atom feed per commitment and per filtered table, in both languages."""

import re
import xml.etree.ElementTree as ElementTree

import pytest

from commitments.models import Commitment, StatusUpdate

from .factories import CommitmentFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[ElementTree.Element]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")


def guids(response) -> set[str]:
    return {entry.findtext(f"{ATOM}id") for entry in entries(response)}


def update_guid(update) -> str:
    return f"tag:commitment-tracker,2026:status-update-{update.pk}"


@pytest.mark.parametrize("language", ["", "/fr"])
def test_a_commitment_page_links_to_its_own_feed_which_holds_its_updates_only(client, seed, language):
    commitment = Commitment.objects.published().filter(status_updates__isnull=False).first()
    page = client.get(f"{language}{commitment.get_absolute_url().removeprefix('/fr')}").content.decode()
    feed_url = f"{language}/commitments/{commitment.slug}/feed.atom"
    assert f'href="{feed_url}"' in page
    response = client.get(feed_url)
    public = StatusUpdate.objects.public().filter(commitment=commitment)
    assert guids(response) == {update_guid(update) for update in public} and public
    feed = ElementTree.fromstring(response.content)
    title = feed.findtext(f"{ATOM}title")
    assert commitment.localized_title in title or (commitment.title_fr and commitment.title_fr in title)
    if language:
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"


def test_a_drafts_feed_is_not_found(client, seed):
    draft = CommitmentFactory(is_published=False)
    assert client.get(f"/commitments/{draft.slug}/feed.atom").status_code == 404
    assert client.get("/commitments/no-such-commitment/feed.atom").status_code == 404


@pytest.mark.parametrize("language", ["", "/fr"])
def test_the_table_gives_a_feed_of_its_filtered_rows_without_empty_fields(client, seed, language):
    # The form sends every field: the address keeps only those filled in (a redirect).
    response = client.get(f"{language}/commitments/?q=&theme=peacekeeping&status=&sort=title&page=1")
    assert response.status_code == 302
    assert response["Location"] == f"{language}/commitments/?theme=peacekeeping&sort=title&page=1"
    page = client.get(response["Location"]).content.decode()
    link = re.search(r'<a class="feed" href="([^"]+)"', page).group(1)
    assert link == f"{language}/commitments/feed.atom?theme=peacekeeping"
    chosen = StatusUpdate.objects.public().filter(commitment__theme="peacekeeping")
    others = StatusUpdate.objects.public().exclude(commitment__theme="peacekeeping")
    got = guids(client.get(link))
    assert got == {update_guid(update) for update in chosen} and got
    assert not got & {update_guid(update) for update in others}


def test_the_updates_table_feed_follows_its_filters(client, seed):
    page = client.get("/updates/?status=in_progress&theme=", follow=True).content.decode()
    link = re.search(r'<a class="feed" href="([^"]+)"', page).group(1)
    assert link == "/updates.atom?status=in_progress"
    assert guids(client.get(link)) == {
        update_guid(update) for update in StatusUpdate.objects.public().filter(status="in_progress")
    }
    # Unfiltered, it is the whole site's feed, as before.
    assert len(guids(client.get("/updates.atom"))) == min(50, StatusUpdate.objects.public().count())


def test_filters_the_table_refuses_are_refused_by_the_feed(client, seed):
    response = client.get("/commitments/feed.atom?status=nonsense")
    assert response.status_code == 400 and b"cannot be used" in response.content
    assert client.get("/updates.atom?since=2012-13-45").status_code == 400


def test_a_browser_is_given_the_feed_as_styled_xml_and_a_reader_as_atom(client, seed):
    browser = client.get("/updates.atom", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    reader = client.get("/updates.atom", HTTP_ACCEPT="application/atom+xml")
    assert browser["Content-Type"].startswith("application/xml")
    assert reader["Content-Type"].startswith("application/atom+xml")
    assert browser.content == reader.content and "Accept" in reader["Vary"]
    assert b'<?xml-stylesheet href="/static/feed.xsl" media="screen" type="text/xsl"?>' in reader.content
