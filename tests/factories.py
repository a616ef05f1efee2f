"""Factories, and the builders that put several rows together as the application does.

Rows that users create through a service are created through the same service here
(CommitmentQuoteFactory, StatusUpdateFactory), so tests meet the rules users meet.
"""

import datetime

import factory
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from commitments import services
from commitments.models import (
    Commitment,
    CommitmentQuote,
    CriterionAssessment,
    Quote,
    Restatement,
    ReviewState,
    SourceDocument,
    Status,
    StatusUpdate,
    SuccessCriterion,
)
from commitments.search import visibility
from commitments.services.roles import EDITOR, sync_roles

DOCUMENT_TEXT = (
    "Canada will deploy up to {n} troops in support of peace operations.\n\n"
    "Canada will  contribute\n{n} million dollars to the fund.\n"
)


class SourceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceDocument

    slug = factory.Sequence(lambda n: f"document-{n}")
    title = factory.Sequence(lambda n: f"Statement number {n}")
    kind = "statement"
    issued_on = factory.Sequence(lambda n: datetime.date(2000, 1, 1) + datetime.timedelta(days=30 * n))
    full_text = factory.Sequence(lambda n: DOCUMENT_TEXT.format(n=n))


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    source = factory.SubFactory(SourceDocumentFactory)
    text = factory.LazyAttribute(lambda quote: quote.source.full_text.split("\n")[0])


class SuccessCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuccessCriterion

    text = "Troops deployed on the scale pledged."


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"commitment-{n}")
    title = factory.Sequence(lambda n: f"Deploy troops, pledge {n}")
    summary = "Canada said it would deploy troops to peace operations."
    theme = "peacekeeping"
    pillar = "react"
    made_on = datetime.date(2016, 8, 1)
    made_by = "Government of Canada"
    is_published = True
    # Criteria come before any assessment; pass criteria=None for a commitment without them.
    criteria = factory.RelatedFactory(SuccessCriterionFactory, factory_related_name="commitment")


class CommitmentQuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentQuote

    commitment = factory.SubFactory(CommitmentFactory)
    quote = factory.SubFactory(QuoteFactory)
    role = "made"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, as the admin links quotes: it keeps the source sort's key.
        return services.attach_quote(**kwargs)


class RestatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Restatement

    commitment = factory.SubFactory(CommitmentFactory)
    quote = factory.SubFactory(QuoteFactory)
    stated_on = datetime.date(2017, 11, 15)


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    """An update recorded through services.record_status_update, pending review; with
    review_state=ReviewState.APPROVED an editor then approves it through the service.
    A row the service refuses raises ValidationError. build() gives the unsaved model with the
    same defaults: what a test of the database's own constraints saves directly."""

    class Meta:
        model = StatusUpdate

    commitment = factory.SubFactory(CommitmentFactory)
    status = Status.IN_PROGRESS
    as_of = datetime.date(2018, 3, 19)
    rationale = "An announcement shows work under way."
    evidence_url = "https://example.org/record"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, as analysts record updates: every test's update meets its rules.
        review_state = kwargs.pop("review_state", ReviewState.PENDING)
        agree_criteria(kwargs["commitment"], kwargs.get("status", cls.status))
        if review_state == ReviewState.APPROVED:
            return record_approved(**kwargs)
        if review_state != ReviewState.PENDING:
            raise ValueError(f"review_state={review_state!r}: record the update, then review it through the service.")
        return services.record_status_update(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"analyst{n}")
    password = factory.django.Password("correct horse battery staple")
    is_staff = True


def member_of(role: str, name: str):
    """A staff user in the role's group (the groups come from the roles migration)."""
    user = UserFactory(username=name)
    user.groups.add(Group.objects.get(name=role))
    return user


def reviewer():
    """An editor who approves updates in tests (never their author)."""
    if not Group.objects.filter(name=EDITOR).exists():  # transactional tests empty the groups
        sync_roles(apps)
    user = UserFactory(username="reviewing-editor")
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


def agree_criteria(commitment: Commitment, status: str) -> None:
    """Assess the commitment's criteria so that `status` agrees with them (the method's rule,
    services.criteria_errors), as an analyst would before recording it: for tests about
    something else that record "achieved" or "partially achieved". Tests of the rule itself
    call the service directly."""
    criteria = list(commitment.criteria.all())
    if not criteria or not services.criteria_errors(status, criteria):
        return
    if status == Status.PARTIALLY_ACHIEVED and len(criteria) < 2:
        criteria.append(SuccessCriterion(commitment=commitment, position=len(criteria) + 1, text="A second part."))
    for index, criterion in enumerate(criteria):
        if status == Status.ACHIEVED or (status == Status.PARTIALLY_ACHIEVED and index == 0):
            criterion.assessment = CriterionAssessment.MET
        elif status == Status.PARTIALLY_ACHIEVED:
            criterion.assessment = CriterionAssessment.NOT_MET
        else:
            criterion.assessment = CriterionAssessment.NOT_ASSESSED
        criterion.evidence = criterion.evidence or "The record shows it."
        services.save_criterion(criterion=criterion)


def record_approved(**fields) -> StatusUpdate:
    """Record a status update and have an editor approve it, as the two-person review requires."""
    agree_criteria(fields["commitment"], fields["status"])
    update = services.record_status_update(**fields)
    services.approve_status_update(update=update, reviewer=reviewer())
    fields["commitment"].refresh_from_db()
    return update


def commitment_with_basis(*, quotes: int = 2, updates: int = 2, **fields) -> Commitment:
    """A published commitment resting on `quotes` quotes, with `updates` status updates recorded."""
    commitment = CommitmentFactory(target_value=600, target_unit="troops", target_text="up to 600 troops", **fields)
    for index in range(quotes):
        CommitmentQuoteFactory(commitment=commitment, role="made" if index == 0 else "reaffirmed")
    for index in range(updates):
        record_approved(
            commitment=commitment,
            status=Status.IN_PROGRESS,
            as_of=datetime.date(2017 + index // 12, 1 + index % 12, 1),
            progress_value=100 * (index + 1),
            progress_stage="deployed",
            rationale=f"Reading {index}.",
            evidence_url="https://example.org/record",
        )
    return commitment


def public_flags_set() -> None:
    """What the first search after a public change does: set the search index's public
    flags (search.visibility; its queries are counted in test_search_visibility). Until
    then the filters' list of documents reads the definition instead (one query more):
    tests counting a page's usual reads call this after making rows."""
    visibility.set_flags()
