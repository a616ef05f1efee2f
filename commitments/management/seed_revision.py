"""The data set's revision of 3 December 2026 (issue 17), recorded through the services.

fixtures/seed.json holds the status updates as first published. A change to a published
verdict is never made by editing them: each is a correction recorded here through
services.record_status_update (a new update that names the one it corrects and says what
was wrong), so /corrections/ lists it. The revision also records, as new entries, the
“not verifiable” verdicts of the positions and calls whose words commit Canada to nothing
checkable. Changes that are not verdicts (kinds of statement, titles, criteria, French,
dates, documents' addresses) are in the fixture itself, except the French targets and
the documents' short titles of issue 21, filled where blank (_fill_blanks).

Entries are the system's own (recorded_by None), dated when the revision was made, and
published with no review record, which the timeline says. apply_revision() is idempotent:
`manage.py load_seed` calls it after loading the fixture, and it may be run again on a
database that loaded the first data set (`manage.py load_seed --revise`)."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from .. import services
from ..models import Commitment, DatePrecision, Quote, ReasonCode, SourceDocument, Status, StatusUpdate

REVISED_AT = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC)

PAST_ACTION_NOTE = (
    "The first data set recorded this as “achieved”, so a past act Canada reports about itself counted as a "
    "promise delivered in the headline rate. It is a past action: background, which takes no verdict."
)


@dataclass(frozen=True)
class Entry:
    slug: str
    status: str
    rationale: str
    evidence_quote: int | None = None  # the fixture's quote pk
    evidence_url: str = ""
    corrects: tuple[str, datetime.date] | None = None  # the corrected update's status and as-of date
    correction_note: str = ""
    reason_code: str = ""
    reason_text: str = ""
    as_of: datetime.date | None = None  # default: the corrected update's, or the date the words were said
    as_of_precision: str | None = None
    extra: dict = field(default_factory=dict)


CORRECTIONS = (
    Entry(
        slug="establish-iciss",
        status=Status.NOT_ASSESSED,
        corrects=(Status.ACHIEVED, datetime.date(2001, 1, 1)),
        evidence_quote=30,
        rationale=(
            "A past action, recorded as background rather than judged as a promise: the Foreign Affairs page says "
            "Canada established the commission, and that in 2001 Canada presented its report; the 2002 letter to "
            "the Secretary-General transmits it. The sources do not say when the commission was set up (the year "
            "2000 is inferred from the Millennium Report it answered)."
        ),
        correction_note=PAST_ACTION_NOTE,
    ),
    Entry(
        slug="present-iciss-report-to-un",
        status=Status.NOT_ASSESSED,
        corrects=(Status.ACHIEVED, datetime.date(2002, 8, 14)),
        evidence_quote=1,
        rationale=(
            "A past action, recorded as background rather than judged as a promise: the letter and its annex were "
            "issued as a General Assembly document for general distribution on 14 August 2002 (A/57/303), as the "
            "letter asked. This does not show how Member States received the report."
        ),
        correction_note=PAST_ACTION_NOTE,
    ),
    Entry(
        slug="support-peacebuilding-commission",
        status=Status.PARTIALLY_ACHIEVED,
        corrects=(Status.ACHIEVED, datetime.date(2005, 12, 20)),
        evidence_url="http://www.un.org/en/ga/63/plenary/A_pbc_report.shtml",
        rationale=(
            "The Peacebuilding Commission was established on 20 December 2005 by General Assembly resolution "
            "60/180 and Security Council resolutions 1645 (2005) and 1646 (2005), and held its first session on "
            "23 June 2006: the commission Canada said it would support exists, so the first criterion is met. The "
            "second, Canada cooperating with like-minded countries in support of its creation, is shown by no "
            "source here; the verdict stays partial until one shows Canada's own part."
        ),
        reason_code=ReasonCode.DELIVERED_BY_ANOTHER_ACTOR,
        reason_text=(
            "The General Assembly (resolution 60/180) and the Security Council (resolutions 1645 and 1646 (2005)) "
            "created the commission; no source here shows what Canada itself did towards it."
        ),
        correction_note=(
            "The first data set recorded “achieved” although the criterion on Canada's own part (cooperating with "
            "like-minded countries) was not assessed, and its own rationale said the record does not describe "
            "Canada's part: achieved means every applicable criterion is met. Its first criterion also claimed the "
            "commission was created “in line with the High Level Panel's recommendations”, which the evidence does "
            "not show; it now says only what the evidence shows."
        ),
    ),
    Entry(
        slug="work-with-regional-organizations",
        status=Status.IN_PROGRESS,
        corrects=(Status.IN_PROGRESS, datetime.date(2011, 7, 12)),
        evidence_quote=17,
        rationale=(
            "Self-reported: the only evidence is Canada's own statement to the General Assembly in 2011, in an "
            "unofficial transcript of the webcast, that Canadian technical assistance and financial support has "
            "flowed to the African Union, several sub-regional organizations and institutions in Latin America. It "
            "gives no amounts or programmes, does not name NATO, the European Union or the Organization of American "
            "States, and does not say the support went to failed and fragile states. No independent record is "
            "cited; the status stands only as Canada's own claim."
        ),
        correction_note=(
            "The first entry did not say plainly that “in progress” rests only on Canada's own claim, a self-report "
            "in an unofficial transcript. The data set also listed the transcript's next sentence (“We welcome this "
            "growing cooperation and apply the increasing proactive role of regional organizations…”) as a "
            "reaffirmation of the 2005 policy. “Apply” there is likely a mis-heard word, and the sentence welcomes "
            "others' role rather than restating Canada's undertaking: it is no longer listed as a restatement."
        ),
    ),
)

NOT_VERIFIABLE = (
    Entry(
        slug="prevent-mass-atrocities",
        status=Status.NOT_VERIFIABLE,
        evidence_quote=13,
        rationale=(
            "A statement of resolve (“Canada is resolute to prevent mass atrocities”), not an undertaking: it names "
            "no action, measure or date, so no record could show it kept or broken."
        ),
    ),
    Entry(
        slug="support-global-south-cross-fertilization",
        status=Status.NOT_VERIFIABLE,
        evidence_quote=14,
        rationale=(
            "A statement of support for exchanges of approaches within regions of the Global South; it names "
            "nothing Canada itself will do, so there is nothing to verify."
        ),
    ),
    Entry(
        slug="back-sg-proposals-on-regional-cooperation",
        status=Status.NOT_VERIFIABLE,
        evidence_quote=15,
        rationale=(
            "Canada welcomes the Secretary-General's proposals; welcoming what another does names nothing Canada "
            "itself will do, so there is nothing to verify."
        ),
    ),
    Entry(
        slug="implement-committed-rules-and-principles",
        status=Status.NOT_VERIFIABLE,
        evidence_quote=19,
        rationale=(
            "A collective “nous devons” that does not list the rules and principles meant, nor say who is to do "
            "what: nothing here can be verified."
        ),
    ),
    Entry(
        slug="back-kigali-principles",
        status=Status.NOT_VERIFIABLE,
        evidence_quote=20,
        rationale=(
            "An appraisal of the Kigali Principles as an important framework; it does not say Canada endorses them "
            "or will apply them, so there is nothing to verify."
        ),
    ),
    Entry(
        slug="emphasise-peacekeeper-training",
        status=Status.NOT_VERIFIABLE,
        evidence_quote=21,
        rationale=(
            "A collective call (“il faut”) for more emphasis on training peacekeepers; it names no one to act and "
            "no measure. Canada's own support for such training is the Peace and Stabilisation Operations "
            "Program's undertaking, tracked on its own."
        ),
    ),
    Entry(
        slug="back-sg-reporting-of-protection-failures",
        status=Status.NOT_VERIFIABLE,
        evidence_quote=22,
        rationale=(
            "Canada commends a practice of the Secretary-General; it names nothing Canada itself will do, so there "
            "is nothing to verify."
        ),
    ),
    Entry(
        slug="improve-un-system-wide-capacity",
        status=Status.NOT_VERIFIABLE,
        evidence_quote=23,
        rationale="A collective “we must” that names no measure and no one to take it: nothing here can be verified.",
    ),
)

ENTRIES = CORRECTIONS + NOT_VERIFIABLE

# Words the first data set had only in English (issue 21): each filled only where still
# blank, so an analyst's own wording is never overwritten.
TARGET_TEXTS_FR = {
    "global-partnership-1-billion": "1 milliard de dollars sur 10 ans",
    "deploy-600-troops-peace-operations": "jusqu'à 600 militaires",
}
SHORT_TITLES = {
    "2002-letter-transmitting-iciss-report": "2002 letter on the ICISS report",
    "2005-international-policy-statement-diplomacy": "International Policy Statement 2005",
    "2011-statement-unga-r2p-regional-dialogue": "2011 UN statement on regional arrangements",
    "2016-statement-unga-r2p-dialogue": "2016 UN statement on R2P",
    "foreign-affairs-r2p-page": "Foreign Affairs R2P page",
}


def _fill_blanks() -> None:
    # Plain updates, as the fixture's own fields are loaded: neither is a verdict, and the
    # French target is the English one's translation, which an editor approved with it.
    for slug, text in TARGET_TEXTS_FR.items():
        Commitment.objects.filter(slug=slug, target_text_fr="").update(target_text_fr=text)
    for slug, short_title in SHORT_TITLES.items():
        SourceDocument.objects.filter(slug=slug, short_title="").update(short_title=short_title)


def _record(entry: Entry) -> StatusUpdate | None:
    commitment = Commitment.objects.filter(slug=entry.slug).first()
    if commitment is None:
        return None  # a database without this record of the data set: nothing to revise
    if StatusUpdate.objects.filter(commitment=commitment, rationale=entry.rationale).exists():
        return None  # recorded by an earlier run
    corrected = None
    as_of, precision = commitment.made_on, commitment.made_on_precision
    if entry.corrects is not None:
        status, day = entry.corrects
        corrected = (
            StatusUpdate.objects.approved()
            .filter(commitment=commitment, status=status, as_of=day, corrects__isnull=True)
            .exclude(corrections__isnull=False)
            .first()
        )
        if corrected is None:
            return None  # that verdict is not (or no longer) published here
        as_of, precision = corrected.as_of, corrected.as_of_precision
    elif commitment.status_updates.approved().exists():
        return None  # someone has assessed it since: the revision does not overrule them
    update = services.record_status_update(
        commitment=commitment,
        status=entry.status,
        as_of=entry.as_of or as_of,
        as_of_precision=entry.as_of_precision or precision or DatePrecision.DAY,
        rationale=entry.rationale,
        evidence_quote=Quote.objects.get(pk=entry.evidence_quote) if entry.evidence_quote else None,
        evidence_url=entry.evidence_url,
        reason_code=entry.reason_code,
        reason_text=entry.reason_text,
        corrects=corrected,
        correction_note=entry.correction_note,
        recorded_by=None,
        recorded_at=REVISED_AT,
    )
    return services.approve_status_update(update=update, reviewer=None)


@transaction.atomic
def apply_revision() -> list[StatusUpdate]:
    """Record the revision's entries not yet recorded; returns those it recorded."""
    recorded = [update for entry in ENTRIES if (update := _record(entry)) is not None]
    _fill_blanks()
    # The fixture's copies of each current status were written by hand: have the service recompute them.
    for commitment in Commitment.objects.all():
        services.refresh_current_status(commitment)
    return recorded
