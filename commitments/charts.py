"""A small progress-over-time chart, drawn on the server as SVG coordinates.

No JavaScript and nothing from elsewhere: the template writes the <svg> from these
numbers, and the status history beside it gives the same readings as text.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .formatting import format_partial_date, format_quantity

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 24, 12, 12, 28


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


def progress_chart(
    *, target: Decimal, unit: str, since: datetime.date, since_precision: str, updates
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
        Point(x_of(day), y_of(value), f"{format_quantity(value)} {unit}, {format_partial_date(day, precision)}")
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
        target_label=f"{format_quantity(target)} {unit}",
        zero_y=y_of(Decimal(0)),
        left=LEFT,
        right=WIDTH - RIGHT,
        start_label=format_partial_date(since, since_precision),
        end_label=format_partial_date(readings[-1][0], readings[-1][1]),
    )
