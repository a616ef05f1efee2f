"""A synthetic data set at government scale, for benchmarks only (manage.py generate_bench_data).

It is built with bulk inserts, so it bypasses services.py; it keeps the same invariants
by construction instead: every quote is a sentence of its document's full_text, every
assessed update has a rationale and evidence, dates never run before the commitment or
past today, every update is approved (review happened elsewhere) with a reason where its
status needs one and a stage with each reading, every commitment has a success criterion,
and each commitment's current_status/current_progress/status_as_of are those
services.refresh_current_status would derive from its history (its primary_source_title
that of services.refresh_primary_source). Every slug starts with
SLUG_PREFIX and every document says in its notes that it is synthetic.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ..models import (
    NEEDS_REASON,
    Commitment,
    CommitmentQuote,
    DatePrecision,
    DocumentKind,
    Pillar,
    ProgressStage,
    Quote,
    QuoteRole,
    ReasonCode,
    ReviewState,
    SourceDocument,
    Status,
    StatusUpdate,
    SuccessCriterion,
    Theme,
)

SLUG_PREFIX = "bench-"
SYNTHETIC_NOTE = "Synthetic benchmark data written by manage.py generate_bench_data; not a real document."
SENTENCES_PER_DOCUMENT = 30
BATCH = 2000
CRITERION = "The promised resources are in place and reported."

VERBS = ("Deploy", "Fund", "Train", "Support", "Strengthen", "Establish", "Expand", "Renew", "Double", "Sustain")
OBJECTS = (
    "peacekeepers",
    "police trainers",
    "mediation experts",
    "an early-warning unit",
    "the Peacebuilding Fund",
    "atrocity-prevention training",
    "civilian protection officers",
    "a rapid-response roster",
    "women mediators",
    "arms-control inspectors",
    "humanitarian corridors",
    "accountability mechanisms",
)
REGIONS = ("Mali", "South Sudan", "Haiti", "the Sahel", "the Great Lakes", "Myanmar", "Ukraine", "Colombia", "Iraq")
UNITS = (("troops", 50, 2000), ("CAD", 1_000_000, 900_000_000), ("officers", 10, 500), ("people trained", 100, 20000))
MADE_BY = (
    "Prime Minister",
    "Minister of Foreign Affairs",
    "Minister of National Defence",
    "Permanent Mission to the UN",
)
BODIES = ("Global Affairs Canada", "Department of National Defence", "Royal Canadian Mounted Police", "")
FIRST_DAY = datetime.date(1995, 1, 1)
ASSESSED = (
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.IN_PROGRESS,
    Status.PARTIALLY_ACHIEVED,
    Status.STALLED,
    Status.ACHIEVED,
    Status.ABANDONED,
    Status.NOT_VERIFIABLE,
)


@dataclass(frozen=True)
class Counts:
    documents: int
    quotes: int
    commitments: int
    links: int
    updates: int


def generate(*, commitments: int, updates_per: int, quotes_per: int, long_history: int = 0, seed: int = 8) -> Counts:
    """Write the data set into an empty database. The first commitment gets `long_history`
    updates (for the detail page's benchmark) when that is more than `updates_per`."""
    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        documents, slots = _documents(rng, commitments * quotes_per, today)
        quotes = _quotes(slots, documents)
        commitment_rows = _commitments(rng, commitments, quotes_per, quotes)
        # Histories first, so each commitment is inserted with its current status already derived.
        updates = _histories(rng, commitment_rows, quotes, quotes_per, updates_per, long_history, today)
        _bulk(Commitment, commitment_rows)
        links = _links(commitment_rows, quotes, quotes_per)
        _bulk(SuccessCriterion, [SuccessCriterion(commitment=c, text=CRITERION) for c in commitment_rows])
        for start in range(0, len(updates), BATCH * 5):
            StatusUpdate.objects.bulk_create(updates[start : start + BATCH * 5], batch_size=BATCH)
    return Counts(len(documents), len(quotes), len(commitment_rows), len(links), len(updates))


def _bulk(model, objects: list) -> list:
    created = model.objects.bulk_create(objects, batch_size=BATCH)
    if hasattr(model, "history"):
        # Each record gets its first history entry, as load_seed gives the real data.
        model.history.bulk_history_create(created, batch_size=BATCH, default_change_reason="synthetic")
    return created


def _sentence(index: int) -> str:
    verb, obj, region = VERBS[index % 10], OBJECTS[index // 10 % 12], REGIONS[index // 120 % 9]
    return f"Canada will {verb.lower()} {obj} in {region} under undertaking {index}."


def _documents(rng: random.Random, sentences: int, today: datetime.date):
    """Documents in date order, each holding SENTENCES_PER_DOCUMENT quotable sentences."""
    count = max(1, -(-sentences // SENTENCES_PER_DOCUMENT))
    span = (today - FIRST_DAY).days - 400  # leave room for a year of status updates
    days = sorted(rng.randrange(span) for _ in range(count))
    documents: list[SourceDocument] = []
    slots: list[tuple[int, str]] = []  # (document number, sentence)
    for number, day in enumerate(days):
        first = number * SENTENCES_PER_DOCUMENT
        own = [_sentence(i) for i in range(first, min(first + SENTENCES_PER_DOCUMENT, sentences))]
        slots.extend((number, text) for text in own)
        paragraphs = ["Mr. President, Canada thanks the Secretary-General for his report.", *own]
        documents.append(
            SourceDocument(
                slug=f"{SLUG_PREFIX}document-{number}",
                title=f"Statement {number} on the Responsibility to Protect",
                kind=rng.choice(DocumentKind.values),
                symbol=f"A/{50 + number % 30}/PV.{number}" if number % 3 == 0 else "",
                author=rng.choice(MADE_BY),
                venue="United Nations General Assembly",
                issued_on=FIRST_DAY + datetime.timedelta(days=day),
                full_text="\n\n".join(paragraphs),
                notes=SYNTHETIC_NOTE,
            )
        )
    return _bulk(SourceDocument, documents), slots


def _quotes(slots, documents) -> list[Quote]:
    return _bulk(Quote, [Quote(source=documents[number], text=text, locator="para.") for number, text in slots])


def _commitments(rng: random.Random, count: int, quotes_per: int, quotes: list[Quote]) -> list[Commitment]:
    rows = []
    for i in range(count):
        made_in = quotes[i * quotes_per].source
        assert made_in.issued_on is not None  # every synthetic document is dated
        unit = rng.choice(UNITS) if i % 2 == 0 else None
        target = Decimal(rng.randrange(unit[1], unit[2])) if unit else None
        verb, obj, region = rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(REGIONS)
        rows.append(
            Commitment(
                slug=f"{SLUG_PREFIX}commitment-{i}",
                title=f"{verb} {obj} in {region}",
                summary=f"Canada said it would {verb.lower()} {obj} in {region}.",
                theme=rng.choice(Theme.values),
                pillar=rng.choice(Pillar.values),
                made_on=made_in.issued_on,
                made_on_precision=rng.choice((DatePrecision.DAY,) * 8 + (DatePrecision.MONTH, DatePrecision.YEAR)),
                made_by=made_in.author,
                responsible_body=rng.choice(BODIES),
                target_value=target,
                target_unit=unit[0] if unit else "",
                target_text=f"up to {target:,.0f} {unit[0]}" if unit and i % 4 == 0 else "",
                is_published=i % 20 != 19,  # one in twenty is a draft, never shown
                # Its only "made" quote is its first (_links), from this document.
                primary_source_title=made_in.title,
            )
        )
    return rows


def _links(commitments: list[Commitment], quotes: list[Quote], quotes_per: int) -> list[CommitmentQuote]:
    links = [
        CommitmentQuote(
            commitment=commitment,
            quote=quotes[i * quotes_per + k],
            role=QuoteRole.MADE if k == 0 else (QuoteRole.REAFFIRMED if k % 2 else QuoteRole.PROGRESS),
        )
        for i, commitment in enumerate(commitments)
        for k in range(quotes_per)
    ]
    return _bulk(CommitmentQuote, links)


def _histories(rng, commitments, quotes, quotes_per, updates_per, long_history, today) -> list[StatusUpdate]:
    """Each commitment's history, oldest first; sets the commitment's derived current fields
    as refresh_current_status would: the latest update's status, the latest reading."""
    updates: list[StatusUpdate] = []
    for i, commitment in enumerate(commitments):
        wanted = long_history if i == 0 and long_history > updates_per else updates_per
        # Spread the history between the commitment and today, in strictly later steps.
        room = max(wanted, (today - commitment.made_on).days)
        step = max(1, room // (wanted + 1))
        progress, latest, reading = Decimal(0), None, None
        # Money is disbursed; people (troops, officers, trainees) are deployed.
        stage = ProgressStage.DISBURSED if commitment.target_unit == "CAD" else ProgressStage.DEPLOYED
        for j in range(wanted):
            as_of = min(today, commitment.made_on + datetime.timedelta(days=step * (j + 1)))
            status = Status.NOT_ASSESSED if j == 0 and i % 7 == 0 else rng.choice(ASSESSED)
            value = None
            readable = status not in (Status.NOT_ASSESSED, Status.NOT_VERIFIABLE)  # these take no reading
            if commitment.target_value is not None and readable and j % 3 != 2:
                progress = min(commitment.target_value, progress + commitment.target_value / (wanted + 1))
                value = reading = progress.quantize(Decimal("0.01"))
            with_quote = quotes_per and j % 2 == 0
            recorded_at = datetime.datetime.combine(as_of, datetime.time(12), tzinfo=datetime.UTC) + datetime.timedelta(
                seconds=j
            )
            latest = StatusUpdate(
                commitment=commitment,
                status=status,
                as_of=as_of,
                progress_value=value,
                progress_stage=stage if value is not None else "",
                reason_code=ReasonCode.NOT_PRIORITISED if status in NEEDS_REASON else "",
                reason_text="Other priorities came first." if status in NEEDS_REASON else "",
                rationale="" if status == Status.NOT_ASSESSED else f"Assessment {j}: reports show {status.label}.",
                evidence_quote=quotes[i * quotes_per + j % quotes_per] if with_quote else None,
                evidence_url="" if with_quote else f"https://example.org/records/{i}/{j}",
                recorded_at=recorded_at,
                review_state=ReviewState.APPROVED,
                reviewed_at=recorded_at,
            )
            updates.append(latest)
        if latest is not None:
            commitment.current_status = latest.status
            commitment.status_as_of = latest.as_of
            commitment.status_as_of_precision = latest.as_of_precision
            commitment.current_reason = latest.reason_code
            commitment.current_progress = reading
            commitment.current_progress_stage = stage if reading is not None else ""
    return updates
