"""The workbench's three tasks in Debian's chromium at 1280×800, as an analyst and an editor:
how many actions each takes, no sideways scrolling, the keyboard alone, axe-core, and French."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from commitments.models import Commitment, ReviewState, StatusUpdate
from commitments.services.roles import ANALYST, EDITOR

from .factories import UserFactory

pytestmark = pytest.mark.browser

TROOPS = "Deploy up to 600 troops to peace operations"
PASSWORD = "correct horse battery staple"
SCREEN = {"width": 1280, "height": 800}
axe = Axe()


class Counted:
    """A page whose clicks, fills and choices are counted: the actions a person takes."""

    def __init__(self, page):
        self.page, self.actions = page, 0

    def click(self, locator):
        self.actions += 1
        locator.click()

    def fill(self, selector, value):
        self.actions += 1
        self.page.fill(selector, value)


def sign_in(browser, url, username, role, language="en"):
    user = UserFactory(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    context = browser.new_context(viewport=SCREEN, locale=language)
    page = context.new_page()
    page.goto(f"{url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{url}/admin/")
    return context, page


def no_sideways_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= SCREEN["width"], f"{page.url} is {width}px wide"


def fits_the_screen(page):
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= SCREEN["height"], f"{page.url} is {height}px tall"


def serious_violations(page) -> list[str]:
    # Once the page's script has named the admin's search boxes (after select2 has started).
    boxes = "select.admin-autocomplete:not([name*=__prefix__])"
    page.wait_for_function(f"() => [...document.querySelectorAll('{boxes}')].every(s => s.dataset.named)")
    found = axe.run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v["impact"] in ("serious", "critical")]


def test_an_analyst_records_and_an_editor_approves_in_few_actions(browser, live_seed):
    commitment = Commitment.objects.get(title=TROOPS)
    quote = commitment.quotes.first()
    context, page = sign_in(browser, live_seed.url, "ana", ANALYST)
    analyst = Counted(page)
    page.goto(f"{live_seed.url}/admin/commitments/commitment/?theme=peacekeeping")
    no_sideways_scroll(page)

    # From the list row: the reading, the rationale, one of its quotes, save. Five actions.
    analyst.click(page.get_by_role("link", name=f"Record a status update: {TROOPS}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a status update")
    fits_the_screen(page)
    no_sideways_scroll(page)
    assert serious_violations(page) == []
    expect(page.locator("#id_reason_code")).to_be_hidden()  # "in progress" needs no reason
    analyst.fill("#id_progress_value", "250")
    analyst.fill("#id_rationale", "The Mali task force served its year.")
    analyst.click(page.locator("#id_own_quote_0"))
    analyst.click(page.get_by_role("button", name="Record, for review"))
    expect(page).to_have_url(re.compile(r"/admin/commitments/commitment/\?theme=peacekeeping$"))
    expect(page.locator(".messagelist")).to_contain_text("It is pending review")
    assert analyst.actions == 5
    update = StatusUpdate.objects.get(rationale="The Mali task force served its year.")
    assert (update.progress_value, update.progress_stage, update.evidence_quote_id) == (250, "deployed", quote.pk)

    # The change page: sections, a compact history, no sideways scroll.
    page.goto(f"{live_seed.url}/admin/commitments/commitment/{commitment.pk}/change/")
    no_sideways_scroll(page)
    expect(page.locator("#status_updates-group")).to_contain_text("Pending review")
    assert serious_violations(page) == []
    context.close()

    # The editor: the queue (what awaits them first), the update's page, Approve. Three actions.
    context, page = sign_in(browser, live_seed.url, "eddie", EDITOR)
    editor = Counted(page)
    editor.click(page.get_by_role("link", name="Status updates").first)
    no_sideways_scroll(page)
    editor.click(page.locator("#result_list tbody tr").first.get_by_role("link"))
    expect(page.locator(".wb-decision")).to_contain_text("Once approved:")
    fits_the_screen(page)
    assert serious_violations(page) == []
    editor.click(page.get_by_role("button", name="Approve"))
    expect(page.locator(".messagelist")).to_contain_text("Approved:")
    assert editor.actions == 3
    update.refresh_from_db()
    assert update.review_state == ReviewState.APPROVED
    context.close()


def test_the_keyboard_alone_records_an_update_with_errors_first(browser, live_seed):
    commitment = Commitment.objects.get(title=TROOPS)
    context, page = sign_in(browser, live_seed.url, "ana", ANALYST)
    page.goto(f"{live_seed.url}/admin/commitments/commitment/{commitment.pk}/record-update/")
    page.focus("#id_progress_value")
    page.keyboard.type("250")
    page.keyboard.press("Enter")  # no rationale, no evidence: refused, errors first
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the first error's link takes the focus to its field
    expect(page).to_have_url(re.compile(r"#id_rationale$"))
    page.focus("#id_rationale")
    page.keyboard.type("Served a year.")
    page.focus("#id_own_quote_0")
    page.keyboard.press("Space")
    page.focus("input[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("pending review")
    context.close()


def test_in_french_the_workbench_reads_french(browser, live_seed):
    commitment = Commitment.objects.get(title=TROOPS)
    context, page = sign_in(browser, live_seed.url, "ana", ANALYST, language="fr")
    page.goto(f"{live_seed.url}/admin/commitments/commitment/{commitment.pk}/record-update/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consigner une mise à jour d'état")
    expect(page.locator("#site-name")).to_have_text("Suivi des engagements — analystes")
    expect(page.locator("#id_as_of")).not_to_have_value("")  # today, in the format a date input reads
    fits_the_screen(page)
    no_sideways_scroll(page)
    assert serious_violations(page) == []
    # The switch in the header: back to English for this analyst.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a status update")
    context.close()
