"""The dashboard, progress meters and the progress chart a reader sees."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from commitments.models import Commitment, StatementKind, Status
from commitments.selectors import DASHBOARD_TARGETS

from .factories import CommitmentFactory, commitment_with_basis

pytestmark = pytest.mark.django_db
HOME = reverse("commitments:home")


def test_headline_figures_on_the_seed_count_undertakings_in_words(client, seed):
    html = client.get(HOME).content.decode()
    published = Commitment.objects.published()
    undertakings = published.filter(kind=StatementKind.UNDERTAKING)
    total = undertakings.count()
    achieved = undertakings.filter(current_status=Status.ACHIEVED).count()
    partial = undertakings.filter(current_status=Status.PARTIALLY_ACHIEVED).count()
    assessed = undertakings.exclude(current_status=Status.NOT_ASSESSED).count()
    assert 0 < total < published.count()
    assert "The headline figures count undertakings only" in html
    assert f"<strong>{total}</strong> undertakings</a> are tracked, of which:" in html
    assert f"<strong>{assessed}</strong> assessed against a public record" in html
    assert f"<strong>{round(achieved * 100 / total)}%</strong> achieved ({achieved} undertakings)" in html
    assert f"<strong>{partial}</strong> partially achieved" in html
    # The other kinds are counted apart, each linked to its rows in the table.
    assert f"Of the {published.count()} statements tracked in all" in html
    for kind in (StatementKind.POSITION, StatementKind.CALL_TO_OTHERS, StatementKind.PAST_ACTION):
        count = published.filter(kind=kind).count()
        assert f'<a href="/commitments/?kind={kind.value}">{kind.label}</a> ({count})' in html
        table = client.get(f"/commitments/?kind={kind.value}").content.decode()
        assert f"{count} commitments" in table


def test_headline_in_french_counts_undertakings_too(client, seed):
    with translation.override("fr"):
        url = reverse("commitments:home")
    html = client.get(url).content.decode()
    total = Commitment.objects.published().filter(kind=StatementKind.UNDERTAKING).count()
    assert "Les chiffres clés ne comptent que les engagements" in html
    assert f"<strong>{total}</strong> engagements</a>, dont\xa0:" in html
    assert "Prise de position" in html and "Appel aux autres" in html and "Action passée" in html


def test_links_into_the_table_by_status_and_theme_give_those_rows(client, seed):
    html = client.get(HOME).content.decode()
    for theme in ("peacekeeping", "un_reform"):
        expected = Commitment.objects.published().filter(theme=theme).count()
        assert re.search(rf'<a href="/commitments/\?theme={theme}">[^<]+: {expected} commitments?</a>', html), theme
    assert 'href="/commitments/?kind=undertaking&amp;status=in_progress"' in html
    listed = client.get("/commitments/?kind=undertaking&status=in_progress").content.decode()
    undertakings = Commitment.objects.published().filter(kind="undertaking")
    assert f"{undertakings.filter(current_status='in_progress').count()} commitments" in listed


def test_numeric_targets_show_an_accessible_meter_at_the_stage_the_criteria_count(client, seed):
    html = client.get(HOME).content.decode()
    section = html[html.index('id="targets"') : html.index('id="recent"')]
    # Deploy…: the criteria count troops deployed; the 250 announced is a pledge, never this meter.
    assert "Deploy up to 600 troops to peace operations" in section
    assert "No deployed figure yet." in section and "250 of 600 troops" not in section
    assert "820,000,000 of 1,000,000,000 CAD disbursed" in section and "(82%)" in section
    assert re.search(
        r"<meter min=\"0\" max=\"100\" value=\"82\" "
        r"aria-label=\"Progress of “Commit \$1 billion[^\"]*”: 82% of the target\">",
        section,
    )


def test_latest_changes_link_to_the_timeline_entry(client, seed):
    html = client.get(HOME).content.decode()
    section = html[html.index('id="recent"') :]
    assert re.search(r'href="/commitments/[\w-]+/#update-\d+"', section)


def test_table_progress_cells_have_meters(client, seed):
    html = client.get("/commitments/?sort=-progress").content.decode()
    assert "820,000,000 of 1,000,000,000 CAD disbursed" in html and 'value="82"' in html
    assert "250 of 600 troops" not in html  # a pledge, not the deployed figure the criteria count


def test_detail_draws_progress_over_time_as_svg(client, db):
    commitment = commitment_with_basis(updates=3)  # 100, 200, 300 troops in Jan, Feb, Mar 2017
    html = client.get(commitment.get_absolute_url()).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert "Readings against the target of 600 troops: 100 troops, 1 January 2017; 200 troops, 1 February 2017" in svg
    assert len(re.findall(r"<circle ", svg)) == 3
    assert "style=" not in svg and "<script" not in html
    # The timeline gives each entry an anchor for the feed and the dashboard.
    for update in commitment.status_updates.all():
        assert f'<li id="update-{update.pk}">' in html


def test_no_chart_without_readings(client, db):
    commitment = commitment_with_basis(updates=0)
    assert "<svg" not in client.get(commitment.get_absolute_url()).content.decode()


def test_chart_coordinates_are_not_localised_in_french(client, db):
    from django.utils import translation

    commitment = commitment_with_basis(updates=3)
    with translation.override("fr"):
        url = commitment.get_absolute_url()
    svg = client.get(url).content.decode().split("<svg", 1)[1].split("</svg>", 1)[0]
    assert re.findall(r'cx="([^"]+)"', svg) and all("," not in x for x in re.findall(r'c[xy]="([^"]+)"', svg))
    assert "Cible\xa0: 600 militaires" in svg


def test_a_government_of_targets_shows_the_latest_assessed_and_links_to_all_of_them(client, db):
    # One more reading each: the last made is assessed latest.
    for index in range(8):
        commitment_with_basis(updates=index + 1, title=f"Target {index:02d}")
    commitment_with_basis(updates=0, title="No reading yet")
    CommitmentFactory(title="Without a number", target_value=None, target_unit="", target_text="")
    html = client.get(HOME).content.decode()
    section = html[html.index('id="targets"') : html.index('id="recent"')]
    shown = re.findall(r"<h3><a [^>]+>([^<]+)</a></h3>", section)
    assert shown == [f"Target {index:02d}" for index in range(7, 7 - DASHBOARD_TARGETS, -1)]
    assert f"The {DASHBOARD_TARGETS} assessed most recently of 9 commitments with a numeric target." in section
    link = re.search(r'<a href="([^"]+)">All 9 commitments with a numeric target in the table', section)
    table = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "9 commitments" in table and "Without a number" not in table
    assert table.index("Target 07") < table.index("Target 00")  # by progress, highest first
    assert "No reading yet" in table


def test_a_few_targets_are_all_shown_without_a_link(client, db):
    for index in range(2):
        commitment_with_basis(updates=1, title=f"Target {index}")
    html = client.get(HOME).content.decode()
    section = html[html.index('id="targets"') : html.index('id="recent"')]  # not the latest changes
    assert sorted(re.findall(r"<h3><a [^>]+>([^<]+)</a></h3>", section)) == ["Target 0", "Target 1"]
    assert "with a numeric target in the table" not in section and "assessed most recently of" not in section
