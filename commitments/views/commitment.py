"""A commitment's page: its verdict, readings by stage, progress chart and timeline.

The chart is drawn on the server as SVG coordinates (no JavaScript; the timeline beside it
gives the same readings as text). The timeline's entries are written in Python: the
template's loop over 100 updates, each resolving some forty variables, tags and
translations, was two thirds of the 100-update page. Their markup is what the template
wrote, byte for byte, every value escaped as it escaped it, the texts the catalogue's."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext
from django.views.generic import DetailView

from .. import selectors
from ..formatting import (
    SlugUrls,
    format_age,
    format_as_of,
    format_day,
    format_partial_date,
    format_quantity,
    in_english_label,
    labels_of,
    status_badge,
    suggested_citation,
    unit_html,
    unit_text,
)
from ..models import JUDGED, Commitment, ProgressStage, ReasonCode, Status, StatusUpdate, percent_of
from ..services.roles import RECORD_STATUS_UPDATE
from .share import embed_snippet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

    from ..models import CorrectsShown

    PublicUpdate = WithAnnotations[StatusUpdate, CorrectsShown]  # StatusUpdate.objects.public()'s


class CommitmentDetailView(DetailView):
    template_name = "commitments/commitment_detail.html"
    context_object_name = "commitment"

    def get_queryset(self):
        return selectors.commitment_detail()

    def record_update_url(self) -> str:
        """The analysts' way from this page to the admin's update form; "" for everyone else.
        The user is looked up only when a session cookie came with the request: an anonymous
        reader's answer never reads the session (no Vary: Cookie) and never holds the link,
        so a shared cache may keep it."""
        request = self.request
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return ""
        if not (request.user.is_staff and request.user.has_perm(RECORD_STATUS_UPDATE)):
            return ""
        address = reverse("admin:commitments_commitment_record_update", args=[self.object.pk])
        return f"{address}?{urlencode({'next': request.get_full_path()})}"

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context.get("record_update_url"):
            patch_cache_control(response, private=True, no_store=True)  # a signed-in analyst's page
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        commitment: Commitment = self.object
        # Prefetched, public only (StatusUpdate.objects.public(), with its annotation).
        history = cast("list[PublicUpdate]", list(commitment.status_updates.all()))
        if commitment.has_target:
            context["chart"] = progress_chart(
                target=commitment.target_value,
                unit=commitment.target_unit,
                since=commitment.made_on,
                since_precision=commitment.made_on_precision,
                # Where the criteria count one stage, the chart draws that stage alone.
                updates=[
                    u for u in history if u.progress_stage == commitment.counted_stage or not commitment.counted_stage
                ],
            )
        # Each entry written in Python: the template's loop over 100 updates was most of the page.
        context["timeline"] = timeline_entries(history, unit=commitment.target_unit)
        context["stage_readings"] = readings_by_stage(history, target=commitment.target_value)
        context["current_update"] = history[0] if history else None
        context["record_update_url"] = self.record_update_url()
        context["private_quotes"] = frozenset()  # every quote of a published commitment is public
        today = timezone.localdate()
        max_age = selectors.assessment_max_age()
        context["past_deadline"] = commitment.is_past_deadline(today)
        context["assessment_due"] = commitment.is_assessment_due(today, max_age)
        context["max_age"] = format_age(max_age.days)
        if commitment.deadline:
            context["deadline_text"] = format_partial_date(commitment.deadline, commitment.deadline_precision)
        # A criterion written after the first verdict is marked, so readers can tell.
        judged = [update.recorded_at for update in history if update.status in JUDGED]
        context["first_assessed_at"] = min(judged) if judged else None
        context["citation"] = suggested_citation(
            commitment,
            url=self.request.build_absolute_uri(commitment.get_absolute_url()),
            accessed_on=timezone.localdate(),
        )
        context["embed_snippet"] = embed_snippet(self.request, commitment)
        return context


@dataclass(frozen=True)
class StageReading:
    stage: str
    label: "StrOrPromise"
    value: Decimal
    percent: int | None
    update: StatusUpdate


def readings_by_stage(history: Sequence[StatusUpdate], *, target: Decimal | None) -> list[StageReading]:
    """The latest reading of each stage, in the vocabulary's order, from a newest-first history."""
    latest: dict[str, tuple[Decimal, StatusUpdate]] = {}
    for update in history:
        if update.progress_value is not None and update.progress_stage:
            latest.setdefault(update.progress_stage, (update.progress_value, update))
    readings = []
    for stage in ProgressStage:
        if stage.value not in latest:
            continue
        value, update = latest[stage.value]
        readings.append(StageReading(stage.value, stage.label, value, percent_of(value, target), update))
    return readings


WIDTH, HEIGHT = 400, 190
# The left margin holds the y-axis' figures ("1,000,000,000"), the bottom the dates and the axis' name.
LEFT, RIGHT, TOP, BOTTOM = 84, 12, 24, 44


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # "250 troops, March 2018"


@dataclass(frozen=True)
class ProgressChart:
    width: int
    height: int
    points: list[Point]
    path: str  # the SVG polyline: each reading holds until the next one
    target_y: float
    target_label: str  # "1,000,000,000 CAD"
    zero_y: float
    left: int
    right: float
    start_label: str
    end_label: str
    y_ticks: list[Point]  # the y-axis' figures: 0, the target, and the largest reading above it
    unit: str  # the y-axis' name


def progress_chart(
    *, target: Decimal | None, unit: str, since: datetime.date, since_precision: str, updates
) -> ProgressChart | None:
    """`updates`' progress readings against `target`, from `since` (when the commitment was
    made) to the latest reading; None without readings."""
    readings = sorted(
        ((u.as_of, u.as_of_precision, u.progress_value) for u in updates if u.progress_value is not None),
        key=lambda reading: reading[0],
    )
    if not readings or not target:
        return None
    first, last = min(since, readings[0][0]), readings[-1][0]
    if last == first:  # give a lone reading on the day it was made some width
        last += datetime.timedelta(days=1)
    top_value = max([target, *(value for _d, _p, value in readings)])
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    span = (last - first).days

    def x_of(day: datetime.date) -> float:
        return round(LEFT + plot_width * (day - first).days / span, 1)

    def y_of(value: Decimal) -> float:
        return round(TOP + plot_height * float(1 - value / top_value), 1)

    points = [
        Point(
            x_of(day), y_of(value), f"{format_quantity(value)} {unit_text(unit)}, {format_partial_date(day, precision)}"
        )
        for day, precision, value in readings
    ]
    steps = []
    for index, point in enumerate(points):
        if index:
            steps.append(f"{point.x},{points[index - 1].y}")
        steps.append(f"{point.x},{point.y}")
    return ProgressChart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        path=" ".join(steps),
        target_y=y_of(target),
        target_label=f"{format_quantity(target)} {unit_text(unit)}",
        zero_y=y_of(Decimal(0)),
        left=LEFT,
        right=WIDTH - RIGHT,
        start_label=format_partial_date(since, since_precision),
        end_label=format_partial_date(readings[-1][0], readings[-1][1]),
        y_ticks=[
            Point(LEFT, y_of(value), format_quantity(value))
            for value in sorted({Decimal(0), target, top_value})
            # a figure too close to the one below it would overprint it
            if value in (0, target) or y_of(target) - y_of(value) > 12
        ],
        unit=unit,
    )


EVIDENCE_WORDS = 30  # an evidence quote is cut to this many words, as |truncatewords:30 did


def timeline_entries(updates: Iterable["PublicUpdate"], *, unit: str) -> list[SafeString]:
    """One <li> per update, in the order given; `unit` is the commitment's target unit.

    The updates are public ones (StatusUpdate.objects.public()) with their evidence quote and
    its document, and the update they correct, loaded with them (selectors.commitment_detail):
    this function never queries."""
    texts = _Texts(unit)
    return [_entry(update, texts) for update in updates]


class _Texts:
    """What every entry of one page shares: translations, the method's address, the unit."""

    def __init__(self, unit: str):
        # Translations come from the catalogue, not from readers: not escaped, as in templates.
        self.reason = gettext("Reason:")
        self.what_was_wrong = gettext("What was wrong:")
        self.evidence = gettext("Evidence:")
        self.corrects = gettext("Corrects the assessment %(as_of)s.")
        self.reviewed = gettext(
            'Approved on %(date)s by an editor who did not record it; <a href="%(url)s">method</a> version %(version)s.'
        )
        self.data_set = gettext(
            'Entered with the data set on %(date)s; no review record. <a href="%(url)s">Method</a> version %(version)s.'
        )
        self.not_recorded = gettext(
            'No review record: approved before the tracker recorded each approval. <a href="%(url)s">Method</a> '
            "version %(version)s."
        )
        self.method_url = conditional_escape(reverse("commitments:methodology"))
        self.unit = unit_html(unit)
        # The language's colon and quotation marks (a no-break space before ":" and inside
        # « » in French), as the templates write them.
        self.colon = pgettext("after a label", ":")
        # Words recorded only in English, labelled on a French page (formatting.written_in_english).
        self.in_english = in_english_label()
        self.opening, self.closing = gettext("“"), gettext("”")
        # Labels in the page's language, resolved once: get_FOO_display() per update rebuilt
        # a map of lazy translations each time. An unknown code stands for itself.
        self.statuses = labels_of(Status)
        self.stages = labels_of(ProgressStage)
        self.reasons = labels_of(ReasonCode)
        self.document_url = SlugUrls("commitments:source-detail")  # reversed once per page

    def quote_url(self, quote) -> str:
        """Quote.get_absolute_url, without a reverse() per update."""
        return conditional_escape(f"{self.document_url(quote.source.slug)}#{quote.anchor}")


def _entry(update: "PublicUpdate", texts: _Texts) -> SafeString:
    escape = conditional_escape
    reading = ""
    if update.progress_value is not None:
        stage = ""
        if update.progress_stage:
            stage = f" {escape(texts.stages.get(update.progress_stage, update.progress_stage).lower())}"
        reading = f" — {escape(format_quantity(update.progress_value))} {texts.unit}{stage}"
    correction = ""
    # Only an update the public may see is named (StatusUpdateQuerySet.public: corrects_shown).
    if update.corrects_shown is not None and update.corrects is not None:
        corrected = update.corrects
        said = texts.corrects % {"as_of": escape(format_as_of(corrected.as_of, corrected.as_of_precision))}
        correction = f'<p class="correction">{said}</p>'
    reason = ""
    if update.reason_code:
        why = f' — <span lang="en">{escape(update.reason_text)}</span>{texts.in_english}' if update.reason_text else ""
        label = escape(texts.reasons.get(update.reason_code, update.reason_code))
        reason = f'<p class="reason"><strong>{texts.reason}</strong> {label}{why}</p>'
    note = ""
    if update.correction_note:
        note = (
            f'<p class="correction-note"><strong>{texts.what_was_wrong}</strong> '
            f'<span lang="en">{escape(update.correction_note)}</span>{texts.in_english}</p>'
        )
    trail = {"url": texts.method_url, "version": escape(update.method_version)}
    if update.reviewed_at:
        # The day in the tracker's time zone: an approval on a Toronto evening is that day's.
        reviewed_on = timezone.localtime(update.reviewed_at)
        review = texts.reviewed % {**trail, "date": escape(format_day(reviewed_on))}
    elif update.recorded_by_id is None:
        # The data set's own entries: no one reviewed them, and the page says so.
        review = texts.data_set % {**trail, "date": escape(format_day(timezone.localtime(update.recorded_at)))}
    else:
        review = texts.not_recorded % trail
    quote = update.evidence_quote
    quoted = ""
    if quote:
        words = escape(Truncator(quote.text).words(EVIDENCE_WORDS, truncate=" …"))
        quoted = (
            f'<a href="{texts.quote_url(quote)}">{texts.opening}<span lang="{escape(quote.language)}">{words}</span>'
            f"{texts.closing} — "
            f'<span lang="{quote.source.title_language}">{escape(quote.source.title)}</span></a>'
        )
    url = escape(update.evidence_url)
    linked = f'<a href="{url}" rel="noopener">{url}</a>' if update.evidence_url else ""
    status = status_badge(update.status, texts.statuses.get(update.status, update.status))
    if texts.in_english and update.rationale:  # a "not assessed" entry may have none
        rationale = f'<p><span lang="en">{escape(update.rationale)}</span>{texts.in_english}</p>'
    else:
        rationale = f'<p lang="en">{escape(update.rationale)}</p>'
    # The whitespace is the template's, so the page did not change when the entry moved here.
    return mark_safe(  # every value above is escaped; the translations are the catalogue's
        f'<li id="update-{update.pk}">\n'
        f'      <p><time datetime="{update.as_of.isoformat()}"><strong>'
        f"{escape(format_partial_date(update.as_of, update.as_of_precision))}</strong></time>{texts.colon}\n"
        f"        {status}\n"
        f"        {reading}</p>\n"
        f"      {correction}\n"
        f"      {rationale}\n"
        f"      {reason}\n"
        f"{note}\n"
        f'<p class="review-trail">{review}</p>\n'
        f'      <p class="evidence">{texts.evidence}\n'
        f"        {quoted}\n"
        f"        {'; ' if quote and update.evidence_url else ''}\n"
        f"        {linked}\n"
        f"      </p>\n"
        f"    </li>"
    )
