"""The method's vocabularies: statuses, reasons, stages of a reading, criteria and review.

Each value is explained on /methodology/ (views.pages); a test requires an explanation for every one."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The version of the published method (/methodology/). Raise it when the rules change;
# each status update records the version it followed.
METHOD_VERSION = "2"


class StatementKind(models.TextChoices):
    """What kind of statement a commitment's words are. Only an undertaking is a promise a
    verdict can judge; the headline figures count undertakings and show the others apart."""

    UNDERTAKING = "undertaking", _("Undertaking")
    POSITION = "position", _("Position")
    CALL_TO_OTHERS = "call_to_others", _("Call to others")
    PAST_ACTION = "past_action", _("Past action")


# The statuses a statement other than an undertaking may take: a position or a call is
# "not verifiable" or left unassessed; a past action is background, never a delivered promise.
ALLOWED_FOR_KIND = {
    StatementKind.POSITION: ("not_assessed", "not_verifiable"),
    StatementKind.CALL_TO_OTHERS: ("not_assessed", "not_verifiable"),
    StatementKind.PAST_ACTION: ("not_assessed",),
}


class DateBasis(models.TextChoices):
    """Where a date comes from: the document's own date, a later document's claim about the
    past ("Since 1997"), or an inference from the document's subject."""

    DATED = "dated", _("Dated by the source")
    RETROSPECTIVE = "retrospective", _("Stated later, looking back")
    INFERRED = "inferred", _("Date inferred")


class Status(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not yet assessed")
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIALLY_ACHIEVED = "partially_achieved", _("Partially achieved")
    ACHIEVED = "achieved", _("Achieved")
    STALLED = "stalled", _("Stalled")
    ABANDONED = "abandoned", _("Abandoned")
    NOT_VERIFIABLE = "not_verifiable", _("Not verifiable")


# Statuses that judge a commitment against its success criteria, so need them written first.
JUDGED = (
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.PARTIALLY_ACHIEVED,
    Status.ACHIEVED,
    Status.STALLED,
    Status.ABANDONED,
)


# Final verdicts: nothing further is expected, so no "assessment due" or "past its deadline".
FINAL = (Status.ACHIEVED, Status.PARTIALLY_ACHIEVED, Status.ABANDONED, Status.NOT_VERIFIABLE)


# Statuses that must say why with a reason code and free text.
NEEDS_REASON = (Status.STALLED, Status.ABANDONED, Status.PARTIALLY_ACHIEVED)


class ReasonCode(models.TextChoices):
    """Why a commitment is stalled, abandoned or only partly achieved."""

    NOT_PRIORITISED = "not_prioritised", _("Not prioritised")
    POSITION_CHANGED = "position_changed", _("Position changed")
    BLOCKED_BY_OTHERS = "blocked_by_others", _("Blocked by others")
    OVERTAKEN_BY_EVENTS = "overtaken_by_events", _("Overtaken by events")
    DELIVERED_BY_ANOTHER_ACTOR = "delivered_by_another_actor", _("Delivered by another actor")


class ProgressStage(models.TextChoices):
    """What a numeric reading measures: money moves announced → allocated → disbursed,
    people pledged → deployed. A pledge is never counted as a deployment."""

    ANNOUNCED = "announced", _("Announced")
    ALLOCATED = "allocated", _("Allocated")
    DISBURSED = "disbursed", _("Disbursed")
    PLEDGED = "pledged", _("Pledged")
    DEPLOYED = "deployed", _("Deployed")


# A commitment counts either money or people: its readings keep to one family of stages.
STAGE_FAMILIES = (
    frozenset({ProgressStage.ANNOUNCED, ProgressStage.ALLOCATED, ProgressStage.DISBURSED}),
    frozenset({ProgressStage.PLEDGED, ProgressStage.DEPLOYED}),
)


def stage_family(stage: str) -> frozenset:
    return next(family for family in STAGE_FAMILIES if stage in family)


class CriterionAssessment(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not yet assessed")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NO_LONGER_APPLICABLE = "no_longer_applicable", _("No longer applicable")


class ReviewState(models.TextChoices):
    """Two-person review: an update counts, and is public, only once someone else approved it."""

    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned to its author")
