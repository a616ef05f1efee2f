"""The dashboard's pictures, drawn on the server as SVG coordinates (no JavaScript): one bar
of undertakings by status, and bars of commitments by theme, R2P pillar and responsible
body. Each segment or bar is a link into the table filtered to it, and each picture comes
with the same figures in words (the template writes them beside it)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext, ngettext

from ..models import Status, percent_of

# One fill per status, dark enough for white gaps between segments to show; the words and
# the text alternative carry the meaning, colour only repeats it.
STATUS_FILLS = {
    Status.ACHIEVED: "#13612b",
    Status.PARTIALLY_ACHIEVED: "#5b8c2a",
    Status.IN_PROGRESS: "#0b4f9c",
    Status.NOT_STARTED: "#6f6f6f",
    Status.STALLED: "#b8410a",
    Status.ABANDONED: "#9c1c1c",
    Status.NOT_VERIFIABLE: "#6b4c9a",
    Status.NOT_ASSESSED: "#a8a8a8",
}

BAR_WIDTH, BAR_HEIGHT = 640, 40


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    fill: str
    href: str
    words: str  # "In progress: 3 undertakings (43%)", the segment's name and the list's item
    count: int
    status: str
    label: str


@dataclass(frozen=True)
class StatusBar:
    width: int
    height: int
    segments: list[Segment]
    total: int


def status_bar(status_counts: list[dict]) -> StatusBar | None:
    """One bar of the undertakings by current status, each status's share its width (the
    statuses with none left out); None without undertakings."""
    total = sum(row["count"] for row in status_counts)
    if not total:
        return None
    table = reverse("commitments:commitment-list")
    segments, x = [], 0.0
    for row in status_counts:
        if not row["count"]:
            continue
        width = round(BAR_WIDTH * row["count"] / total, 1)
        words = ngettext(
            "%(status)s: %(n)s undertaking (%(percent)s%%)",
            "%(status)s: %(n)s undertakings (%(percent)s%%)",
            row["count"],
        ) % {"status": row["label"], "n": row["count"], "percent": percent_of(row["count"], total)}
        query = urlencode({"kind": "undertaking", "status": row["status"].value})
        segments.append(
            Segment(
                round(x, 1),
                width,
                STATUS_FILLS.get(row["status"], "#6f6f6f"),
                f"{table}?{query}",
                words,
                row["count"],
                row["status"].value,
                str(row["label"]),
            )
        )
        x += width
    return StatusBar(BAR_WIDTH, BAR_HEIGHT, segments, total)


# Horizontal bars: the category's label on the left, its bar and count to the right.
CHART_WIDTH, ROW_HEIGHT, LABEL_WIDTH, AXIS_SPACE, TOP = 640, 30, 250, 48, 8
LABEL_CHARACTERS = 34  # a longer label is cut with … (its link names it in full)


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    href: str
    label: str  # as drawn (perhaps cut)
    words: str  # "Peacekeeping: 5 commitments"
    count: int
    full_label: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    left: int
    right: int
    axis_y: float
    axis_label: str
    bar_height: int


def bar_chart(rows: list[tuple[str, str, int]], *, parameter: str) -> BarChart | None:
    """`rows` (code, label, count) as horizontal bars on one scale, each a link to the table
    with ?`parameter`=code; None without rows."""
    if not rows:
        return None
    table = reverse("commitments:commitment-list")
    largest = max(count for _code, _label, count in rows)
    span = CHART_WIDTH - LABEL_WIDTH - 40  # room for the count after the longest bar
    bars = []
    for index, (code, label, count) in enumerate(rows):
        drawn = label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"
        words = ngettext("%(label)s: %(n)s commitment", "%(label)s: %(n)s commitments", count) % {
            "label": label,
            "n": count,
        }
        bars.append(
            Bar(
                y=TOP + index * ROW_HEIGHT,
                width=round(span * count / largest, 1) if largest else 0,
                href=f"{table}?{urlencode({parameter: code})}",
                label=drawn,
                words=words,
                count=count,
                full_label=label,
            )
        )
    axis_y = TOP + len(rows) * ROW_HEIGHT
    # Whole-number ticks: 0, the middle (when it is a whole number apart) and the largest.
    values = sorted({0, largest // 2, largest}) if largest >= 2 else [0, largest]
    ticks = [
        Tick(round(LABEL_WIDTH + span * value / largest, 1) if largest else LABEL_WIDTH, str(value)) for value in values
    ]
    return BarChart(
        width=CHART_WIDTH,
        height=axis_y + AXIS_SPACE,
        bars=bars,
        ticks=ticks,
        left=LABEL_WIDTH,
        right=LABEL_WIDTH + span,
        axis_y=axis_y,
        axis_label=gettext("Number of published commitments"),
        bar_height=ROW_HEIGHT - 10,
    )
