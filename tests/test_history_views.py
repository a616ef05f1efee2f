"""Statuses over time: the as-of table and export, and the Atom feed of status changes."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from commitments import services
from commitments.models import Status

from .factories import CommitmentFactory, CommitmentQuoteFactory, public_flags_set, record_approved
from .helpers import text_of

pytestmark = pytest.mark.django_db
LIST = reverse("commitments:commitment-list")
EXPORT = reverse("commitments:commitment-export")
FEED = reverse("commitments:update-feed")
ATOM = "{http://www.w3.org/2005/Atom}"


def record(commitment, status, day, progress=None):
    """An approved update (two-person review): only those count, then and now."""
    return record_approved(
        commitment=commitment,
        status=status,
        as_of=day,
        progress_value=progress,
        progress_stage="deployed" if progress is not None else "",
        rationale=f"{status} on {day}.",
        evidence_url="https://example.org/record",
    )


@pytest.fixture
def timeline(db):
    """Troops: made 2010, in progress from 1 June 2012 (100), achieved from 1 March 2015 (600).
    Later pledge: made 2014, never assessed."""
    troops = CommitmentFactory(
        title="Deploy troops", made_on=datetime.date(2010, 1, 1), target_value=600, target_unit="troops"
    )
    CommitmentQuoteFactory(commitment=troops)
    record(troops, Status.IN_PROGRESS, datetime.date(2012, 6, 1), 100)
    record(troops, Status.ACHIEVED, datetime.date(2015, 3, 1), 600)
    later = CommitmentFactory(title="Later pledge", made_on=datetime.date(2014, 5, 1))
    CommitmentQuoteFactory(commitment=later)
    return troops, later


def rows(response) -> dict[str, str]:
    """Title -> status label, from the table a reader sees."""
    import re

    html = response.content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    found = re.findall(
        r'<th scope="row"[^>]*><a href="[^"]+">([^<]+)</a></th>.*?class="status status-(\w+)"', body, re.S
    )
    return dict(found)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2011-01-01", {"Deploy troops": "not_assessed"}),  # before any update; the later pledge not yet made
        ("2012-06-01", {"Deploy troops": "in_progress"}),  # on the day of an update, it counts
        ("2013-01-01", {"Deploy troops": "in_progress"}),  # between updates
        ("2014-12-31", {"Deploy troops": "in_progress", "Later pledge": "not_assessed"}),
        ("2016-01-01", {"Deploy troops": "achieved", "Later pledge": "not_assessed"}),  # after both
    ],
)
def test_the_table_shows_each_status_as_it_stood(client, timeline, day, expected):
    response = client.get(f"{LIST}?as_of={day}")
    assert rows(response) == expected
    html = response.content.decode()
    shown = datetime.date.fromisoformat(day)
    assert f"Statuses as they stood on {shown.day} {shown:%B %Y}." in html
    assert 'href="/commitments/">Show today\'s statuses</a>' in html


def test_progress_is_the_reading_of_that_date(client, timeline):
    between = client.get(f"{LIST}?as_of=2013-01-01").content.decode()
    assert "100 of 600 troops" in between and "(17%)" in between
    after = client.get(f"{LIST}?as_of=2016-01-01").content.decode()
    assert "600 of 600 troops" in after and "(100%)" in after


def test_without_a_date_the_table_shows_today_and_no_banner(client, timeline):
    response = client.get(LIST)
    assert rows(response) == {"Deploy troops": "achieved", "Later pledge": "not_assessed"}
    assert "Statuses as they stood" not in response.content.decode()


def test_the_status_filter_and_sort_use_the_status_of_that_date(client, timeline):
    assert list(rows(client.get(f"{LIST}?as_of=2013-01-01&status=in_progress"))) == ["Deploy troops"]
    assert list(rows(client.get(f"{LIST}?as_of=2013-01-01&status=achieved"))) == []
    assert list(rows(client.get(f"{LIST}?as_of=2016-01-01&status=achieved"))) == ["Deploy troops"]
    ordered = rows(client.get(f"{LIST}?as_of=2014-12-31&sort=-current_status"))
    assert list(ordered) == ["Later pledge", "Deploy troops"]  # not_assessed after in_progress, descending


@pytest.mark.parametrize(
    ("day", "status", "progress"),
    [("2011-01-01", "not_assessed", ""), ("2013-01-01", "in_progress", "100"), ("2016-01-01", "achieved", "600")],
)
def test_the_export_honours_the_date(client, timeline, day, status, progress):
    body = text_of(client.get(f"{EXPORT}?as_of={day}")).lstrip("\ufeff")
    exported = {row["title"]: row for row in csv.DictReader(io.StringIO(body))}
    assert exported["Deploy troops"]["status"] == status
    assert exported["Deploy troops"]["progress_value"] == progress
    assert ("Later pledge" in exported) == (day > "2014-05-01")


@pytest.mark.parametrize("day", ["2012-13-45", "yesterday", "0000-01-01"])
def test_an_invalid_date_is_a_form_error_not_a_failure(client, timeline, day):
    response = client.get(f"{LIST}?as_of={day}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filters could not be used" in html and "Enter a valid date." in html
    assert 'aria-invalid="true"' in html
    export = client.get(f"{EXPORT}?as_of={day}")
    assert export.status_code == 400 and "valid date" in text_of(export)


# A result that fits on one page is counted by its rows (no COUNT query): 5 (rows, quote links,
# documents, years and bodies for the form); longer ones 6.
@pytest.mark.parametrize(("size", "queries"), [(2, 5), (20, 5), (30, 6), (60, 6)])
def test_the_as_of_table_makes_a_constant_number_of_queries(client, django_assert_num_queries, size, queries):
    for index in range(size):
        commitment = CommitmentFactory(made_on=datetime.date(2010, 1, 1), target_value=10, target_unit="km")
        CommitmentQuoteFactory(commitment=commitment)
        record(commitment, Status.IN_PROGRESS, datetime.date(2012, 1, 1 + index % 28), 5)
    public_flags_set()
    with django_assert_num_queries(queries):
        assert client.get(f"{LIST}?as_of=2013-01-01").status_code == 200


def feed_entries(client) -> list[dict]:
    response = client.get(FEED)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "category": entry.find(f"{ATOM}category").get("term"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_feed_follows_the_history_as_it_is_recorded(client, db):
    troops = CommitmentFactory(title="Deploy troops", made_on=datetime.date(2010, 1, 1))
    CommitmentQuoteFactory(commitment=troops)
    assert feed_entries(client) == []  # before any update
    first = record(troops, Status.IN_PROGRESS, datetime.date(2012, 6, 1))
    entries = feed_entries(client)  # between the two updates
    assert [e["title"] for e in entries] == ["Deploy troops: In progress as of 1 June 2012"]
    assert entries[0]["link"].endswith(f"/commitments/{troops.slug}/#update-{first.pk}")
    record(troops, Status.ACHIEVED, datetime.date(2015, 3, 1))
    entries = feed_entries(client)  # after both: the newest first
    assert [e["category"] for e in entries] == ["achieved", "in_progress"]
    assert entries[0]["title"] == "Deploy troops: Achieved as of 1 March 2015"


def test_the_feed_leaves_out_drafts_and_is_linked_from_the_dashboard(client, db):
    draft = CommitmentFactory(title="Secret draft pledge", is_published=False)
    record(draft, Status.IN_PROGRESS, datetime.date(2017, 1, 1))
    assert feed_entries(client) == []
    html = client.get(reverse("commitments:home")).content.decode()
    assert f'<link rel="alternate" type="application/atom+xml" href="{FEED}"' in html
    assert f'<a href="{FEED}">' in html


def test_a_pending_update_is_neither_in_the_feed_nor_in_a_past_status(client, timeline):
    troops, _ = timeline
    services.record_status_update(
        commitment=troops,
        # Not "not started": the approved "achieved" met the criterion, which that would contradict.
        status=Status.NOT_ASSESSED,
        as_of=datetime.date(2013, 1, 1),
        rationale="Pending: not yet checked by a second person.",
        evidence_url="https://example.org/pending",
    )
    assert [e["category"] for e in feed_entries(client)] == ["achieved", "in_progress"]
    assert rows(client.get(f"{LIST}?as_of=2014-01-01"))["Deploy troops"] == "in_progress"
    assert "Pending: not yet checked" not in client.get(EXPORT, {"as_of": "2014-01-01"}).getvalue().decode()


def test_a_correction_appears_in_the_feed_with_what_was_wrong(client, timeline):
    troops, _ = timeline
    achieved = troops.status_updates.get(status=Status.ACHIEVED)
    record_approved(
        commitment=troops,
        status=Status.PARTIALLY_ACHIEVED,
        as_of=datetime.date(2015, 3, 1),
        progress_value=450,
        progress_stage="deployed",
        reason_code="not_prioritised",
        reason_text="The last 150 troops were never sent.",
        rationale="Only 450 of the 600 troops deployed.",
        evidence_url="https://example.org/correction",
        corrects=achieved,
        correction_note="The earlier reading counted pledged troops as deployed.",
    )
    response = client.get(FEED)
    entry = ET.fromstring(response.content).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Correction: Deploy troops: Partially achieved as of 1 March 2015"
    summary = entry.findtext(f"{ATOM}summary")
    assert "What was wrong: The earlier reading counted pledged troops as deployed." in summary
    assert "Reason: Not prioritised." in summary and "Stage: Deployed." in summary


def test_the_feed_in_french(client, timeline):
    root = ET.fromstring(client.get("/fr/updates.atom").content)
    titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
    assert titles[0] == "Deploy troops\xa0: Réalisé au 1er mars 2015"
    assert root.findtext(f"{ATOM}title") == "Suivi des engagements\xa0: changements d'état"


@pytest.mark.parametrize(("day", "status"), [("2011-01-01", "not_assessed"), ("2013-01-01", "in_progress")])
def test_the_api_list_honours_the_date_too(client, timeline, day, status):
    results = client.get(reverse("api:commitment-list"), {"as_of": day}).json()["results"]
    troops = next(row for row in results if row["title"] == "Deploy troops")
    assert troops["status"] == status
    assert client.get(reverse("api:commitment-list"), {"as_of": "2012-99-01"}).status_code == 400
