"""A public reader and an analyst, in Debian's chromium driven by Playwright."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from commitments.models import Commitment
from commitments.services.roles import ANALYST, EDITOR

from .factories import UserFactory

pytestmark = pytest.mark.browser

TROOPS = "Deploy up to 600 troops to peace operations"


def row_titles(page) -> list[str]:
    return page.locator("table.data-table tbody th[scope=row] a").all_inner_texts()


def test_a_reader_filters_sorts_opens_a_commitment_and_reads_its_source(page, live_seed):
    page.goto(f"{live_seed.url}/commitments/")
    total = Commitment.objects.published().count()
    expect(page.locator(".result-count")).to_have_text(f"{total} commitments")
    assert len(row_titles(page)) == total

    page.select_option("#id_theme", "peacekeeping")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"theme=peacekeeping"))
    titles = row_titles(page)
    assert TROOPS in titles and len(titles) == Commitment.objects.published().filter(theme="peacekeeping").count()

    page.get_by_role("link", name=re.compile(r"^Commitment\s*, select to sort")).click()
    expect(page).to_have_url(re.compile(r"sort=title"))
    assert row_titles(page) == sorted(titles)
    expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"sort="))

    page.get_by_role("link", name=TROOPS).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TROOPS)
    expect(page.locator("blockquote")).to_contain_text(
        "a commitment of up to 600 troops in support of peace operations"
    )
    expect(page.locator("#stage-pledged")).to_be_visible()  # the pledge, by stage: no deployed figure yet

    page.locator("figure.quote figcaption a").first.click()
    expect(page).to_have_url(re.compile(r"/sources/2016-statement-unga-r2p-dialogue/#quote-\d+$"))
    anchor = page.url.split("#")[1]
    expect(page.locator(f"#{anchor} + mark")).to_contain_text("up to 600 troops")


def test_the_csv_link_downloads_what_the_reader_sees(page, live_seed):
    page.goto(f"{live_seed.url}/commitments/?theme=un_reform&sort=-title")
    shown = row_titles(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these rows as CSV").click()
    import csv

    with open(download_info.value.path(), encoding="utf-8-sig", newline="") as handle:
        titles = [row["title"] for row in csv.DictReader(handle)]
    assert titles == shown and titles


def sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button", name="Log in").click()


def test_an_analyst_records_a_status_update_an_editor_approves_and_the_public_sees_it(browser, page, live_seed):
    analyst = UserFactory(username="ana", password="correct horse battery staple")
    analyst.groups.add(Group.objects.get(name=ANALYST))
    editor = UserFactory(username="eddie", password="correct horse battery staple")
    editor.groups.add(Group.objects.get(name=EDITOR))
    commitment = Commitment.objects.get(title=TROOPS)

    sign_in(page, live_seed.url, "ana")
    page.goto(f"{live_seed.url}/admin/commitments/commitment/{commitment.pk}/change/")
    expect(page.locator("#id_is_published")).to_have_count(0)  # analysts cannot publish

    # "In progress": its one criterion is not assessed, so a verdict that some are met is refused.
    page.get_by_role("link", name="Record a status update").click()
    page.select_option("#id_status", "in_progress")
    page.fill("#id_as_of", "2019-07-31")
    page.fill("#id_progress_value", "250")
    page.select_option("#id_progress_stage", "deployed")
    page.fill("#id_rationale", "The Mali task force served its year; no larger deployment followed.")
    page.fill("#id_evidence_url", "https://example.org/mali-end")
    page.get_by_role("button", name="Record, for review").click()
    expect(page.locator(".messagelist")).to_contain_text("It is pending review")

    # Pending: the public still sees the approved history only, and no deployed figure.
    page.goto(f"{live_seed.url}{commitment.get_absolute_url()}")
    expect(page.locator(".history")).not_to_contain_text("The Mali task force served its year")
    expect(page.locator(".no-reading")).to_have_text("No deployed figure yet.")

    context = browser.new_context()
    editor_page = context.new_page()
    sign_in(editor_page, live_seed.url, "eddie")
    editor_page.goto(f"{live_seed.url}/admin/commitments/statusupdate/?review=awaiting_me")
    expect(editor_page.locator("#changelist-filter")).to_contain_text("Awaiting my review (1)")
    editor_page.locator("input.action-select").first.check()
    editor_page.select_option("select[name=action]", "approve")
    editor_page.locator("button[name=index]").click()
    expect(editor_page.locator(".messagelist")).to_contain_text("1 status update approved.")
    context.close()

    page.goto(f"{live_seed.url}{commitment.get_absolute_url()}")
    expect(page.locator(".current-status .status")).to_have_text("In progress")
    expect(page.locator(".history li").first).to_contain_text("The Mali task force served its year")
    # The criteria count troops deployed: the headline meter now shows the deployed reading.
    expect(page.locator("#progress-meter")).to_have_accessible_name(re.compile(r"250 troops deployed \(42%"))
    expect(page.locator("#stage-deployed")).to_have_count(1)
    expect(page.locator("#stage-pledged")).to_have_count(1)
