"""The data set corrected in the open (issue 17): each changed verdict is a correction
recorded through the service and listed on /corrections/; kinds, titles, dates, criteria,
documents and French as an R2P specialist reading the sources would have them."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from commitments.management.seed_revision import CORRECTIONS, REVISED_AT, apply_revision
from commitments.models import (
    ALLOWED_FOR_KIND,
    Commitment,
    DateBasis,
    DatePrecision,
    Restatement,
    SourceDocument,
    StatementKind,
    Status,
    StatusUpdate,
)

pytestmark = pytest.mark.django_db


def test_each_changed_verdict_is_a_correction_recorded_through_the_service(seed):
    corrections = StatusUpdate.objects.filter(corrects__isnull=False).select_related("commitment", "corrects")
    assert {(c.commitment.slug, c.corrects.status, c.status) for c in corrections} == {
        ("establish-iciss", Status.ACHIEVED, Status.NOT_ASSESSED),
        ("present-iciss-report-to-un", Status.ACHIEVED, Status.NOT_ASSESSED),
        ("support-peacebuilding-commission", Status.ACHIEVED, Status.PARTIALLY_ACHIEVED),
        ("work-with-regional-organizations", Status.IN_PROGRESS, Status.IN_PROGRESS),
    }
    for correction in corrections:
        assert correction.correction_note and correction.recorded_at == REVISED_AT
        assert correction.recorded_by is None and correction.reviewed_by is None and correction.reviewed_at is None
        assert correction.method_version == "2" and correction.corrects.method_version == "1"
    assert apply_revision() == []  # idempotent: a second run records nothing


def test_the_corrections_page_lists_them_with_what_was_wrong_in_both_languages(client, seed):
    html = client.get(reverse("commitments:corrections")).content.decode()
    assert len(re.findall(r'<p class="correction-note">', html)) == len(CORRECTIONS)
    assert "achieved means every applicable criterion is met" in html
    assert "a self-report in an unofficial transcript" in html
    with translation.override("fr"):
        url = reverse("commitments:corrections")
    french = client.get(url).content.decode()
    assert "Le Canada a créé la Commission internationale" in french  # the French title


def test_the_peacebuilding_commission_is_partially_achieved_delivered_by_another_actor(seed):
    commitment = Commitment.objects.get(slug="support-peacebuilding-commission")
    assert commitment.current_status == Status.PARTIALLY_ACHIEVED
    assert commitment.current_reason == "delivered_by_another_actor"
    first = commitment.criteria.get(position=1)
    assert first.text == "A civilian Peacebuilding Commission is created within the UN."
    assert first.assessment == "met" and commitment.criteria.get(position=2).assessment == "not_assessed"


def test_every_record_has_its_kind_and_only_undertakings_carry_a_verdict(seed):
    kinds = dict(Commitment.objects.values_list("slug", "kind"))
    assert {slug for slug, kind in kinds.items() if kind == StatementKind.UNDERTAKING} == {
        "global-partnership-1-billion",
        "promote-r2p-at-un",
        "security-council-use-of-force-guidelines",
        "support-peacebuilding-commission",
        "work-with-regional-organizations",
        "deploy-600-troops-peace-operations",
        "peace-and-stabilisation-operations-program",
    }
    for slug in ("establish-iciss", "present-iciss-report-to-un", "advocate-human-security-agenda"):
        assert kinds[slug] == StatementKind.PAST_ACTION
    assert kinds["prevent-mass-atrocities"] == kinds["back-sg-reporting-of-protection-failures"] == "position"
    assert (
        kinds["implement-committed-rules-and-principles"]
        == kinds["improve-un-system-wide-capacity"]
        == (StatementKind.CALL_TO_OTHERS)
    )
    for commitment in Commitment.objects.exclude(kind=StatementKind.UNDERTAKING):
        assert commitment.current_status in ALLOWED_FOR_KIND[StatementKind(commitment.kind)], commitment.slug


def test_titles_say_what_the_words_say(seed):
    titles = dict(Commitment.objects.values_list("slug", "title"))
    assert titles["prevent-mass-atrocities"] == "Canada says it is resolute to prevent mass atrocities"
    assert titles["back-sg-reporting-of-protection-failures"].startswith("Canada commends")
    assert titles["back-sg-proposals-on-regional-cooperation"].startswith("Canada welcomes")
    assert titles["improve-un-system-wide-capacity"].startswith("Call to")
    assert not any(title.startswith("Back ") for title in titles.values())
    psop = Commitment.objects.get(slug="peace-and-stabilisation-operations-program")
    assert psop.title.startswith("Bolster support for peace operations")
    assert (psop.made_on, psop.made_on_precision) == (datetime.date(2016, 1, 1), DatePrecision.YEAR)


def test_dates_say_where_they_come_from(client, seed):
    bases = dict(Commitment.objects.values_list("slug", "made_on_basis"))
    assert bases["advocate-human-security-agenda"] == DateBasis.RETROSPECTIVE  # "Since 1997", on a later page
    assert bases["establish-iciss"] == DateBasis.INFERRED  # 2000: the page does not date it
    assert bases["prevent-mass-atrocities"] == DateBasis.INFERRED  # the 2011 statement is undated
    html = client.get(Commitment.objects.get(slug="prevent-mass-atrocities").get_absolute_url()).content.decode()
    assert "12 July 2011 (date inferred)" in html
    with translation.override("fr"):
        url = Commitment.objects.get(slug="advocate-human-security-agenda").get_absolute_url()
    assert "1997 (selon un document ultérieur, après coup)" in client.get(url).content.decode()


def test_the_global_partnership_has_its_deadline_and_the_later_total_is_explained(client, seed):
    commitment = Commitment.objects.get(slug="global-partnership-1-billion")
    assert (commitment.deadline, commitment.deadline_precision) == (datetime.date(2012, 1, 1), DatePrecision.YEAR)
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "Past its deadline" in html and "cannot show whether $1 billion was spent within the ten years" in html


def test_the_regional_statement_is_no_longer_a_reaffirmation(seed):
    assert not Restatement.objects.filter(commitment__slug="work-with-regional-organizations").exists()
    regional = Commitment.objects.get(slug="work-with-regional-organizations")
    assert regional.status_updates.approved().newest_first().first().rationale.startswith("Self-reported:")


def test_criteria_are_end_states_not_descriptions_of_evidence(seed):
    assert not Commitment.objects.filter(criteria__text__startswith="Open-ended").exists()
    assert not Commitment.objects.filter(criteria__text__contains="Evidence would be").exists()


def test_documents_have_their_public_addresses_and_the_2016_speaker(seed):
    assert SourceDocument.objects.get(symbol="A/57/303").url == "https://undocs.org/A/57/303"
    statement = SourceDocument.objects.get(slug="2016-statement-unga-r2p-dialogue")
    assert statement.url.startswith("https://international.gc.ca/") and "Michael Grant" in statement.author
    assert SourceDocument.objects.filter(url="").count() == 3  # unknown: left blank rather than guessed


def test_french_fields_read_as_canadian_french(seed):
    french = " ".join(t + " " + s for t, s in Commitment.objects.values_list("title_fr", "summary_fr"))
    for calque in ("favorisera l'action", "étaient allés", "meilleure instruction", " a dit ", "Sud global"):
        assert calque not in french, calque
    assert "Programme pour la stabilisation et les opérations de paix (PSOP)" in french
    assert "fera la promotion de mesures fondées sur la responsabilité de protéger" in french
    assert "avaient été fournis à l'Union africaine" in french


def test_the_seed_entries_say_they_have_no_review_record(client, seed):
    html = client.get(Commitment.objects.get(slug="establish-iciss").get_absolute_url()).content.decode()
    assert "Entered with the data set on 23 November 2026; no review record." in html
    assert "Entered with the data set on 3 December 2026; no review record." in html  # the correction
    assert "second editor" not in html and "Reviewed before the tracker" not in html
    with translation.override("fr"):
        url = Commitment.objects.get(slug="establish-iciss").get_absolute_url()
    assert "Saisie avec le jeu de données le 23 novembre 2026\u202f; aucune trace de révision." in (
        client.get(url).content.decode()
    )


def test_load_seed_loads_and_revises_and_revise_alone_adds_nothing_twice(db):
    call_command("load_seed", stdout=None)
    assert StatusUpdate.objects.filter(corrects__isnull=False).count() == len(CORRECTIONS)
    call_command("load_seed", "--revise")
    assert StatusUpdate.objects.filter(corrects__isnull=False).count() == len(CORRECTIONS)
    call_command("check_data")
