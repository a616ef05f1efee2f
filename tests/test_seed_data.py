"""The data that ships: verbatim quotes, complete documents, honest statuses."""

from pathlib import Path

import pytest

from commitments.management.seed_revision import ENTRIES
from commitments.models import (
    NEEDS_REASON,
    Commitment,
    ProgressStage,
    Quote,
    QuoteRole,
    Restatement,
    ReviewState,
    SourceDocument,
    Status,
    StatusUpdate,
    SuccessCriterion,
)
from commitments.models.textmatch import find_passage

from .helpers import IN_CI
from .sourcetext import strip_conversion_marks

SOURCES = Path(__file__).resolve().parents[2] / "shared" / "sources"

pytestmark = pytest.mark.django_db


def test_every_quote_occurs_verbatim_in_its_document(seed):
    quotes = list(Quote.objects.select_related("source"))
    assert quotes
    missing = [q.pk for q in quotes if find_passage(q.source.full_text, q.text) is None]
    assert missing == []


def test_every_object_passes_its_own_validation(seed):
    for model in (SourceDocument, Quote, Commitment, StatusUpdate, SuccessCriterion, Restatement):
        for obj in model.objects.all():
            obj.full_clean()


def test_every_commitment_is_made_by_a_quote(seed):
    published = Commitment.objects.published()
    assert published.count() >= 12
    without = published.exclude(quote_links__role=QuoteRole.MADE).values_list("slug", flat=True)
    assert list(without) == []


def test_the_three_commitments_of_the_brief_are_there(seed):
    targets = {(c.target_value, c.target_unit) for c in Commitment.objects.exclude(target_value=None)}
    assert (600, "troops") in targets
    assert (1_000_000_000, "CAD") in targets
    assert Quote.objects.filter(text__contains="UN Security Council resolution adopting guidelines").exists()


def test_derived_status_fields_are_what_the_service_computes(seed):
    from commitments.services import DERIVED_FIELDS, refresh_current_status

    shipped = {c.pk: [getattr(c, f) for f in sorted(DERIVED_FIELDS)] for c in Commitment.objects.all()}
    for commitment in Commitment.objects.all():
        refresh_current_status(commitment)
    recomputed = {c.pk: [getattr(c, f) for f in sorted(DERIVED_FIELDS)] for c in Commitment.objects.all()}
    assert shipped == recomputed
    assert Commitment.objects.exclude(current_status=Status.NOT_ASSESSED).count() >= 8


def test_every_assessed_update_cites_evidence(seed):
    for update in StatusUpdate.objects.exclude(status=Status.NOT_ASSESSED):
        assert update.rationale.strip()
        assert update.evidence_url or update.evidence_quote_id


def test_documents_hold_the_source_files_text(seed):
    if not SOURCES.is_dir():
        if IN_CI:
            pytest.fail(f"{SOURCES} is missing: CI checks the documents against the source files.")
        pytest.skip("../shared/sources is not beside this checkout")
    texts = {strip_conversion_marks(path.read_text(encoding="utf-8")) for path in SOURCES.glob("*.txt")}
    assert SourceDocument.objects.count() == len(texts) == 5
    for document in SourceDocument.objects.all():
        assert document.full_text in texts, document.slug


def test_french_passages_stay_in_french(seed):
    french = Quote.objects.filter(language="fr")
    assert french.exists()
    assert all(any(word in q.text for word in (" les ", " la ", " de ", " des ")) for q in french)


def test_every_commitment_has_criteria_and_every_shipped_update_is_approved(seed):
    assert not Commitment.objects.filter(criteria__isnull=True).exists()
    assert Commitment.objects.count() == 22
    # The first data set's 10 updates, and its revision's entries (corrections included).
    assert StatusUpdate.objects.public().count() == StatusUpdate.objects.count() == 10 + len(ENTRIES)
    assert not StatusUpdate.objects.exclude(review_state=ReviewState.APPROVED).exists()


def test_every_reading_has_a_stage_and_the_600_troops_are_pledged_not_deployed(seed):
    assert not StatusUpdate.objects.filter(progress_value__isnull=False, progress_stage="").exists()
    troops = Commitment.objects.get(target_value=600, target_unit="troops")
    assert not StatusUpdate.objects.filter(commitment=troops, progress_stage=ProgressStage.DEPLOYED).exists()
    # The announced 250 stays a pledged reading; the criteria count troops deployed, of which none
    # is on record, so the headline meter has no figure.
    assert StatusUpdate.objects.get(commitment=troops, progress_value=250).progress_stage == ProgressStage.PLEDGED
    assert troops.counted_stage == ProgressStage.DEPLOYED
    assert troops.current_progress is None and troops.current_progress_stage == ""


def test_every_stalled_abandoned_or_partial_verdict_gives_its_reason(seed):
    for update in StatusUpdate.objects.filter(status__in=NEEDS_REASON):
        assert update.reason_code and update.reason_text.strip()
    assert Commitment.objects.get(slug="security-council-use-of-force-guidelines").current_reason == "blocked_by_others"


def test_restatements_come_from_later_documents(seed):
    for restatement in Restatement.objects.select_related("commitment", "quote__source"):
        assert restatement.stated_on == restatement.quote.source.issued_on
        assert restatement.stated_on > restatement.commitment.made_on
