"""Progress per stage: a pledge, an allocation and a deployment each get their own meter."""

from dataclasses import dataclass
from decimal import Decimal

from .models import ProgressStage, StatusUpdate


@dataclass(frozen=True)
class StageReading:
    stage: str
    label: str
    value: Decimal
    percent: int | None
    update: StatusUpdate


def readings_by_stage(history: list[StatusUpdate], *, target: Decimal | None) -> list[StageReading]:
    """The latest reading of each stage, in the vocabulary's order, from a newest-first history."""
    latest: dict[str, StatusUpdate] = {}
    for update in history:
        if update.progress_value is not None and update.progress_stage:
            latest.setdefault(update.progress_stage, update)
    readings = []
    for stage in ProgressStage:
        update = latest.get(stage.value)
        if update is None:
            continue
        percent = min(100, round(update.progress_value * 100 / target)) if target else None
        readings.append(StageReading(stage.value, stage.label, update.progress_value, percent, update))
    return readings
