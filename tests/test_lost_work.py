"""Two analysts edit one commitment's page at once: whatever either typed, in the
commitment's fields or in the rows that belong to it (quote links, criteria,
restatements), is never overwritten silently. The later save is refused once, with the
colleague's changes laid into the form where the analyst left a field alone, and both
versions in full where both changed it."""

import re

import pytest
from django.test import Client

from commitments.models import Commitment, SuccessCriterion
from commitments.services.roles import ANALYST, EDITOR

from .factories import CommitmentFactory, CommitmentQuoteFactory, QuoteFactory, member_of
from .helpers import change_url, form_fields

pytestmark = pytest.mark.django_db

LONG_SUMMARY = " ".join(
    ["Canada said it would make up to 600 troops available for United Nations peace operations,"] * 4
)


@pytest.fixture
def analysts() -> tuple[Client, Client]:
    first, second = Client(), Client()
    first.force_login(member_of(ANALYST, "first"))
    second.force_login(member_of(ANALYST, "second"))
    return first, second


@pytest.fixture
def draft() -> Commitment:
    """A draft with a quote and one criterion: analysts may change all of it."""
    commitment = CommitmentFactory(is_published=False, summary=LONG_SUMMARY)
    CommitmentQuoteFactory(commitment=commitment)
    return commitment


def page_form(client: Client, commitment: Commitment) -> dict[str, str]:
    response = client.get(change_url(commitment))
    assert response.status_code == 200
    return form_fields(response.content.decode(), "commitment_form")


def refused(client: Client, commitment: Commitment, form: dict[str, str]) -> str:
    response = client.post(change_url(commitment), form)
    html = response.content.decode()
    assert response.status_code == 200, "the stale save was accepted"
    assert "Not saved: first saved this commitment while you were editing it" in html
    return html


def saved(client: Client, commitment: Commitment, form: dict[str, str]) -> None:
    response = client.post(change_url(commitment), form)
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert response.status_code == 302, errors


def test_a_colleagues_criterion_edit_moves_the_version_and_is_never_overwritten(analysts, draft):
    first, second = analysts
    form_one, form_two = page_form(first, draft), page_form(second, draft)
    version = Commitment.objects.get(pk=draft.pk).version

    form_one["criteria-0-text"] = "Six hundred troops deployed at once."
    saved(first, draft, form_one)
    assert Commitment.objects.get(pk=draft.pk).version == version + 1

    form_two["criteria-0-text"] = "Troops deployed to two missions."
    html = refused(second, draft, form_two)
    assert SuccessCriterion.objects.get(commitment=draft).text == "Six hundred troops deployed at once."
    # Both versions in view: theirs in the clash message, mine still in the field.
    assert "Their version, in full: “Six hundred troops deployed at once.”" in html
    shown = form_fields(html, "commitment_form")
    assert shown["criteria-0-text"] == "Troops deployed to two missions."

    # Having seen both, the analyst saves their decision.
    saved(second, draft, shown)
    assert SuccessCriterion.objects.get(commitment=draft).text == "Troops deployed to two missions."


def test_edits_to_different_parts_are_merged_after_one_refusal(analysts, draft):
    first, second = analysts
    form_one, form_two = page_form(first, draft), page_form(second, draft)
    form_one["criteria-0-text"] = "Six hundred troops deployed at once."
    saved(first, draft, form_one)

    form_two["title"] = "Make 600 troops available for peace operations"
    html = refused(second, draft, form_two)
    assert "Six hundred troops deployed at once." in html  # listed as their change
    shown = form_fields(html, "commitment_form")
    assert shown["criteria-0-text"] == "Six hundred troops deployed at once."  # laid into the form
    assert shown["title"] == "Make 600 troops available for peace operations"
    saved(second, draft, shown)

    stored = Commitment.objects.get(pk=draft.pk)
    assert stored.title == "Make 600 troops available for peace operations"
    assert stored.criteria.get().text == "Six hundred troops deployed at once."


def test_a_quote_linked_meanwhile_is_named_and_kept(analysts, draft):
    first, second = analysts
    form_one, form_two = page_form(first, draft), page_form(second, draft)
    extra = QuoteFactory()
    prefix = "quote_links"
    index = int(form_one[f"{prefix}-INITIAL_FORMS"])
    form_one[f"{prefix}-{index}-quote"] = str(extra.pk)
    form_one[f"{prefix}-{index}-role"] = "reaffirmed"
    saved(first, draft, form_one)

    form_two["responsible_body"] = "Department of National Defence"
    html = refused(second, draft, form_two)
    assert "Added by them" in html
    saved(second, draft, form_fields(html, "commitment_form"))

    stored = Commitment.objects.get(pk=draft.pk)
    assert stored.responsible_body == "Department of National Defence"
    assert stored.quote_links.filter(quote=extra).exists()


def test_both_appending_to_the_summary_shows_both_in_full_and_asks_for_a_decision(analysts, draft):
    first, second = analysts
    form_one, form_two = page_form(first, draft), page_form(second, draft)
    form_one["summary"] = LONG_SUMMARY + " The first analyst's sentence at the very end."
    saved(first, draft, form_one)

    form_two["summary"] = LONG_SUMMARY + " The second analyst's closing words."
    html = refused(second, draft, form_two)
    # Their whole text, including the change at the end, not a cut-off diff.
    assert "Their version, in full: “" + LONG_SUMMARY.replace("'", "&#x27;") in html
    assert "The first analyst&#x27;s sentence at the very end.”" in html
    assert "Summary: changed by both of you; decide below." in html
    shown = form_fields(html, "commitment_form")
    assert shown["summary"].endswith("The second analyst's closing words.")
    assert Commitment.objects.get(pk=draft.pk).summary.endswith("at the very end.")

    # The analyst combines the two and saves: both sentences stand.
    shown["summary"] = form_one["summary"] + " The second analyst's closing words."
    saved(second, draft, shown)
    assert Commitment.objects.get(pk=draft.pk).summary.endswith("at the very end. The second analyst's closing words.")


def test_a_change_at_the_end_of_a_long_text_is_shown_in_the_list(analysts, draft):
    first, second = analysts
    form_one, form_two = page_form(first, draft), page_form(second, draft)
    form_one["summary"] = LONG_SUMMARY + " Added at the end."
    saved(first, draft, form_one)
    form_two["title"] = "A new title"
    html = refused(second, draft, form_two)
    assert "[+Added at the end.]" in html
    assert form_fields(html, "commitment_form")["summary"].endswith("Added at the end.")


def test_without_the_loaded_state_every_difference_is_a_decision(analysts, draft):
    first, second = analysts
    form_one, form_two = page_form(first, draft), page_form(second, draft)
    form_one["title"] = "Changed by the first analyst"
    saved(first, draft, form_one)
    form_two["loaded_state"] = "forged"
    html = refused(second, draft, form_two)
    assert "Their version, in full: “Changed by the first analyst”" in html
    assert Commitment.objects.get(pk=draft.pk).title == "Changed by the first analyst"


@pytest.fixture
def editor() -> Client:
    client = Client()
    client.force_login(member_of(EDITOR, "eddie"))
    return client


def test_a_colleagues_change_to_a_field_i_mistyped_is_shown_not_passed_over(analysts, draft):
    first, second = analysts
    form_one, form_two = page_form(first, draft), page_form(second, draft)
    form_one["deadline"] = "2030-12-31"
    saved(first, draft, form_one)

    form_two["deadline"] = "2031-02-30"  # no such day
    html = refused(second, draft, form_two)
    assert "Their version, in full: “2030-12-31”" in html
    assert "Their save changed none of the fields" not in html


def test_a_row_a_colleague_deleted_does_not_block_my_save(analysts, draft, editor):
    first, _second = analysts
    mine = page_form(first, draft)
    theirs = page_form(editor, draft)
    theirs["criteria-0-DELETE"] = "on"
    response = editor.post(change_url(draft), theirs)
    assert response.status_code == 302
    mine["title"] = "A better title typed by the analyst"
    response = first.post(change_url(draft), mine)
    assert response.status_code == 200 and "Deleted by them" in response.content.decode()
    # Saving the form shown lands: the deleted row neither comes back nor blocks the save.
    saved(first, draft, form_fields(response.content.decode(), "commitment_form"))
    stored = Commitment.objects.get(pk=draft.pk)
    assert stored.title == "A better title typed by the analyst" and not stored.criteria.exists()


def test_an_analyst_is_told_when_publication_takes_the_target_out_of_their_hands(analysts, draft, editor):
    first, _second = analysts
    mine, theirs = page_form(first, draft), page_form(editor, draft)
    theirs["is_published"] = "on"
    assert editor.post(change_url(draft), theirs).status_code == 302
    mine.update(target_value="250", target_unit="troops")
    response = first.post(change_url(draft), mine)
    assert "It is now public: its target and its success criteria are an editor" in response.content.decode()
    assert Commitment.objects.get(pk=draft.pk).target_value is None


def test_a_clash_over_a_very_long_text_is_shown_without_comparing_every_word_with_every_word(analysts):
    first, second = analysts
    words = " ".join(f"word{number}" for number in range(60_000))  # 0.5 MB, pasted
    long_draft = CommitmentFactory(is_published=False, summary=words)
    CommitmentQuoteFactory(commitment=long_draft)
    form_one, form_two = page_form(first, long_draft), page_form(second, long_draft)
    form_one["summary"] = " ".join(f"first{number}" for number in range(30_000)) + " " + words
    saved(first, long_draft, form_one)
    form_two["title"] = "A new title"
    html = refused(second, long_draft, form_two)
    assert "[+first0 first1" in html and "…" in html


def test_colleagues_changes_are_shown_as_the_form_shows_them_not_as_codes_or_ids(analysts, draft):
    first, second = analysts
    form_one, form_two = page_form(first, draft), page_form(second, draft)
    extra = QuoteFactory(text="Canada pledges helicopters.")
    index = int(form_one["quote_links-INITIAL_FORMS"])
    form_one[f"quote_links-{index}-quote"] = str(extra.pk)
    form_one[f"quote_links-{index}-role"] = "reaffirmed"
    form_one["theme"] = "un_reform"
    form_one["pillar"] = "prevent"
    saved(first, draft, form_one)

    form_two["theme"] = "accountability"  # a clash over a choice
    html = refused(second, draft, form_two)
    assert "Their version, in full: “UN reform”" in html and "“un_reform”" not in html
    assert "R2P pillar: “React” → “Prevent”" in html  # taken: labels, not codes
    added = re.search(r"Added by them: (.*?) \(kept", html).group(1)
    assert "Canada pledges helicopters." in added and "reaffirmed" in added and f"“{extra.pk} ·" not in added
