"""The method's rule between a verdict and the success criteria it is judged against.

/methodology/ says what each status means in terms of the criteria; this is that text as a
rule, checked when a status update is recorded and again when it is approved, and by
`manage.py check_data` over every published verdict."""

from collections.abc import Iterable

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ..models import CriterionAssessment, Status, SuccessCriterion


def _named(criterion: SuccessCriterion) -> str:
    return _("criterion %(position)s, “%(text)s”, is %(assessment)s") % {
        "position": criterion.position,
        "text": Truncator(criterion.text).words(12, truncate=" …"),
        "assessment": CriterionAssessment(criterion.assessment).label.lower(),
    }


def criteria_errors(status: str, criteria: Iterable[SuccessCriterion]) -> str:
    """Why `status` contradicts the criteria's assessments, naming the criterion ("" if it does not).

    Achieved: every criterion that still applies is met. Partially achieved: some are met,
    not all. Not started: none is met. In progress, stalled, abandoned: not all are met.
    Not verifiable: no criterion has been judged met or not met."""
    applicable = [c for c in criteria if c.assessment != CriterionAssessment.NO_LONGER_APPLICABLE]
    met = [c for c in applicable if c.assessment == CriterionAssessment.MET]
    short = [c for c in applicable if c.assessment != CriterionAssessment.MET]
    if status == Status.ACHIEVED:
        if not applicable:
            return _("“Achieved” needs at least one success criterion that applies, and met.")
        if short:
            return _("“Achieved” needs every applicable criterion met, and %(criterion)s.") % {
                "criterion": _named(short[0])
            }
    elif status == Status.PARTIALLY_ACHIEVED:
        if not met:
            return _("“Partially achieved” needs at least one criterion met; none is.")
        if not short:
            return _("Every applicable criterion is met, so the verdict is “achieved”, not “partially achieved”.")
    elif status == Status.NOT_STARTED:
        if met:
            return _("“Not started” contradicts the criteria: %(criterion)s.") % {"criterion": _named(met[0])}
    elif status in (Status.IN_PROGRESS, Status.STALLED, Status.ABANDONED):
        if applicable and not short:
            return _("Every applicable criterion is met, so “%(status)s” contradicts them: record “achieved”.") % {
                "status": Status(status).label.lower()
            }
    elif status == Status.NOT_VERIFIABLE:
        judged = [c for c in applicable if c.assessment in (CriterionAssessment.MET, CriterionAssessment.NOT_MET)]
        if judged:
            return _("“Not verifiable” contradicts the criteria: %(criterion)s.") % {"criterion": _named(judged[0])}
    return ""
