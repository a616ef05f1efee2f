"""The dashboard, the method and the corrections.

/methodology/ is generated from EXPLANATIONS and the TextChoices themselves, and a test
requires an explanation for every value, so the page cannot drift from the code."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from .. import selectors
from ..formatting import format_age
from ..models import (
    METHOD_VERSION,
    CriterionAssessment,
    DateBasis,
    ProgressStage,
    ReasonCode,
    RestatementKind,
    ReviewState,
    StatementKind,
    Status,
)
from . import charts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class HomeView(TemplateView):
    """The dashboard: headline figures, numeric targets, the latest changes, ways into the table."""

    template_name = "commitments/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.dashboard_figures())
        context["max_age"] = format_age(selectors.assessment_max_age().days)
        context["status_bar"] = charts.status_bar(context["status_counts"])
        titles = {"theme": _("By theme"), "pillar": _("By R2P pillar"), "body": _("By responsible body")}
        context["breakdown_charts"] = [
            {"id": f"by-{name}", "title": title, "chart": charts.bar_chart(context["breakdowns"][name], parameter=name)}
            for name, title in titles.items()
        ]
        return context


class CorrectionListView(ListView):
    template_name = "commitments/corrections.html"
    context_object_name = "corrections"
    paginate_by = 50

    def get_queryset(self):
        return selectors.corrections()


class MethodologyView(TemplateView):
    template_name = "commitments/methodology.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["vocabularies"] = vocabularies()
        age = format_age(selectors.assessment_max_age().days)
        context["evidence_rules"] = [rule % {"age": age} if "%(age)s" in str(rule) else rule for rule in EVIDENCE_RULES]
        context["method_version"] = version()
        return context


EXPLANATIONS: dict[type[models.TextChoices], dict[str, "StrOrPromise"]] = {
    StatementKind: {
        StatementKind.UNDERTAKING: _(
            "Canada says it will do something, or pledges resources. Only undertakings take a verdict, and "
            "only they count in the headline figures."
        ),
        StatementKind.POSITION: _(
            "Canada supports, welcomes or commends something others do. Assessed only as “not verifiable”, or "
            "left unassessed; where a position carries something Canada itself can be checked on (signing a "
            "code, paying a sum), that part is recorded as an undertaking of its own. Counted apart."
        ),
        StatementKind.CALL_TO_OTHERS: _(
            "A collective “we must” or “the UN should”: it binds no one in particular. Assessed only as "
            "“not verifiable”, or left unassessed. Counted apart."
        ),
        StatementKind.PAST_ACTION: _(
            "Something Canada reports having done. Recorded as background, never as a promise delivered: it "
            "takes no verdict and is counted apart."
        ),
    },
    Status: {
        Status.NOT_ASSESSED: _("No reviewed assessment has been recorded yet. It is not a verdict."),
        Status.NOT_STARTED: _("The public record shows no step taken towards the commitment."),
        Status.IN_PROGRESS: _("The public record shows steps taken, and the criteria are not yet all met."),
        Status.PARTIALLY_ACHIEVED: _(
            "Some criteria are met, not all, and work has ended short of the rest; a reason code says why. "
            "Refused while no criterion is met, or once every one is."
        ),
        Status.ACHIEVED: _(
            "Every success criterion that still applies is met, with evidence. The tracker refuses “achieved” "
            "while any applicable criterion is not met or not yet assessed, and names it."
        ),
        Status.STALLED: _("Nothing has moved for a long time, or a step it depends on failed; a reason code says why."),
        Status.ABANDONED: _("The government dropped or reversed the commitment; a reason code says why."),
        Status.NOT_VERIFIABLE: _(
            "The commitment is too vague ever to be judged. The assessment says why, rather than guessing."
        ),
    },
    ReasonCode: {
        ReasonCode.NOT_PRIORITISED: _("The government did not give it the time, money or people it needed."),
        ReasonCode.POSITION_CHANGED: _("The government's position changed."),
        ReasonCode.BLOCKED_BY_OTHERS: _(
            "Others whose action it needed did not act: for example, the Security Council did not act."
        ),
        ReasonCode.OVERTAKEN_BY_EVENTS: _("Events made it moot or impossible."),
        ReasonCode.DELIVERED_BY_ANOTHER_ACTOR: _("What was promised happened, but through someone else."),
    },
    ProgressStage: {
        ProgressStage.ANNOUNCED: _("Money: an amount announced, not yet set aside."),
        ProgressStage.ALLOCATED: _("Money: an amount set aside in a budget or programme."),
        ProgressStage.DISBURSED: _("Money: an amount actually spent or paid out."),
        ProgressStage.PLEDGED: _("People: a number offered or announced, not yet in place."),
        ProgressStage.DEPLOYED: _("People: a number actually deployed. A pledge never counts as a deployment."),
    },
    DateBasis: {
        DateBasis.DATED: _("The date of the document that made the commitment."),
        DateBasis.RETROSPECTIVE: _(
            "A later document's own claim about the past (“Since 1997…”); the page says it was stated later."
        ),
        DateBasis.INFERRED: _(
            "The source gives no date; it is worked out from the document's subject, and shown as “date inferred”."
        ),
    },
    CriterionAssessment: {
        CriterionAssessment.NOT_ASSESSED: _("The criterion has not been judged yet."),
        CriterionAssessment.MET: _("The evidence shows the criterion is met."),
        CriterionAssessment.NOT_MET: _("The evidence shows the criterion is not met."),
        CriterionAssessment.NO_LONGER_APPLICABLE: _(
            "A later restatement or event means the criterion no longer applies; the evidence says which."
        ),
    },
    RestatementKind: {
        RestatementKind.REAFFIRMED: _("A later document repeats the commitment without changing it."),
        RestatementKind.FIGURE_CHANGED: _("A later document gives a different figure."),
        RestatementKind.DEADLINE_CHANGED: _("A later document gives a different deadline."),
        RestatementKind.SCOPE_CHANGED: _("A later document changes what is promised or its wording."),
    },
    ReviewState: {
        ReviewState.PENDING: _("Recorded by an analyst and not yet checked. Never public."),
        ReviewState.APPROVED: _(
            "Approved by an editor who did not record it; only approved updates are public. The entries of "
            "the data set itself (its first statuses, and its corrections) were entered without a review "
            "record, and each says so."
        ),
        ReviewState.RETURNED: _(
            "Sent back to its author with the reason. Never public; the author records a new update instead."
        ),
    },
}


TITLES: dict[type[models.TextChoices], "StrOrPromise"] = {
    StatementKind: _("Kinds of statement"),
    Status: _("Statuses"),
    ReasonCode: _("Reasons"),
    ProgressStage: _("Stages of a numeric reading"),
    DateBasis: _("Where a date comes from"),
    CriterionAssessment: _("Assessing each success criterion"),
    RestatementKind: _("Restatements"),
    ReviewState: _("Review"),
}

EVIDENCE_RULES = (
    _("Every commitment rests on the exact words of an official document, checked against its full text."),
    _("Success criteria are written before the first assessment and follow from what the words commit to."),
    _("Every assessment gives its rationale and its evidence: a quote from a source or a public record."),
    _(
        "A numeric reading says what it measures (its stage); each stage has its own meter. Where the criteria "
        "count one stage (troops deployed, money disbursed), the headline meter shows that stage alone, and "
        "says so when there is no such figure yet: a pledge never fills a “deploy” meter."
    ),
    _(
        "A status must agree with the criteria's own assessments: achieved only when every applicable "
        "criterion is met, partially achieved when some are; a status that contradicts them is refused, "
        "naming the criterion."
    ),
    _("The history is never overwritten: a correction is a new, dated entry that says what was wrong."),
    _("An assessment is public only once an editor who did not record it has approved it."),
    _(
        "Time is shown: a commitment with a deadline or period shows it; one past its deadline without a "
        "final verdict (achieved, partially achieved, abandoned or not verifiable) says “past its deadline”, "
        "and an undertaking whose latest assessment is older than %(age)s says “assessment due”."
    ),
)


@dataclass(frozen=True)
class Term:
    value: str
    label: str
    explanation: "StrOrPromise"


@dataclass(frozen=True)
class Vocabulary:
    id: str
    title: "StrOrPromise"
    terms: list[Term]


def vocabularies() -> list[Vocabulary]:
    return [
        Vocabulary(
            id=f"method-{vocabulary.__name__.lower()}",
            title=TITLES[vocabulary],
            terms=[Term(choice.value, choice.label, explanations[choice]) for choice in vocabulary],
        )
        for vocabulary, explanations in EXPLANATIONS.items()
    ]


def version() -> str:
    return METHOD_VERSION
