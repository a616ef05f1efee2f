"""Writes to commitments: optimistic locking, publishing, quote links and the source sort's key."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from ..models import Commitment, CommitmentQuote, Quote, QuoteRole, SuccessCriterion
from . import roles
from .assessments import refresh_current_status
from .roles import Actor, require

# Kept by refresh_current_status from the history; never written from a form.
DERIVED_FIELDS = frozenset(
    {
        "current_status",
        "current_reason",
        "current_progress",
        "current_progress_stage",
        "status_as_of",
        "status_as_of_precision",
    }
)


# Kept by refresh_primary_source from the quote links; never written from a form either.
SORT_KEY_FIELDS = frozenset({"primary_source_title"})

# What, once a commitment is public, a reader's verdict rests on besides its status history:
# the target its progress is measured against (the meter, and the stage it counts), the
# period it runs over, and its kind (whether the headline counts it as a promise). Like
# its success criteria, only an editor changes them then; an analyst's word alone never
# reaches the public (a status update waits for an editor's approval for the same reason).
NUMERIC_TARGET_FIELDS = (
    "target_value",
    "target_unit",
    "target_text",
    "target_text_fr",
    "counted_stage",
    "period_start",
    "deadline",
    "deadline_precision",
)
TARGET_FIELDS = (*NUMERIC_TARGET_FIELDS, "kind")
ONLY_EDITORS_ONCE_PUBLIC = _(
    "Once a commitment is public, only an editor may change its target or its success criteria."
)


class StaleEditError(Exception):
    """The commitment changed since the editor loaded it; saving would overwrite that change."""

    def __init__(self, commitment_id: int, expected_version: int, current_version: int | None):
        self.commitment_id = commitment_id
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(f"Commitment {commitment_id} is at version {current_version}, not {expected_version}.")


def primary_source_title() -> Subquery:
    """The title of the earliest document whose words made the commitment (NULL when no quote
    made it). An undated document comes after dated ones, on every database (as documents
    are listed): SQLite alone used to count it as the earliest."""
    made_links = CommitmentQuote.objects.filter(commitment=OuterRef("pk"), role=QuoteRole.MADE).order_by(
        F("quote__source__issued_on").asc(nulls_last=True), "quote_id"
    )
    return Subquery(made_links.values("quote__source__title")[:1])


def refresh_primary_source(commitments: QuerySet[Commitment]) -> None:
    """Recompute the source sort's key of `commitments`, in one UPDATE. A queryset update:
    it writes no audit-trail record and leaves `version` alone, so an analyst's open form
    is not made stale by a colleague renaming a document."""
    commitments.update(primary_source_title=primary_source_title())


@transaction.atomic
def save_commitment(
    *, commitment: Commitment, expected_version: int | None = None, actor: Actor | None = None
) -> Commitment:
    """Create or change a commitment, refusing to overwrite an edit made since `expected_version`.

    Only an editor publishes or withdraws: a save by anyone else that would change whether
    the commitment is public is refused, whatever the form posted."""
    stored = Commitment.objects.filter(pk=commitment.pk).values("is_published", *TARGET_FIELDS).first()
    creating = commitment.pk is None or stored is None
    if creating:
        require(actor, roles.ADD_COMMITMENT, _("You may not add commitments."))
    else:
        require(actor, roles.CHANGE_COMMITMENT, _("You may not change commitments."))
    if commitment.is_published != bool(stored and stored["is_published"]):
        require(actor, roles.PUBLISH_COMMITMENT, _("Only an editor may publish or withdraw a commitment."))
    commitment.full_clean()
    if stored and stored["is_published"] and any(getattr(commitment, name) != stored[name] for name in TARGET_FIELDS):
        require(actor, roles.PUBLISH_COMMITMENT, ONLY_EDITORS_ONCE_PUBLIC)
    if creating:
        commitment.version = 1
        commitment.save()
        return commitment
    recount = stored is not None and stored["counted_stage"] != commitment.counted_stage
    if expected_version is None:
        expected_version = commitment.version
    claimed = Commitment.objects.filter(pk=commitment.pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        current = Commitment.objects.filter(pk=commitment.pk).values_list("version", flat=True).first()
        raise StaleEditError(commitment.pk, expected_version, current)
    commitment.version = expected_version + 1
    editable = [
        f.attname
        for f in Commitment._meta.concrete_fields
        if not f.primary_key and f.name not in DERIVED_FIELDS | SORT_KEY_FIELDS and f.name != "created_at"
    ]
    commitment.save(update_fields=editable)
    if recount:
        # The headline meter shows the counted stage's latest reading.
        refresh_current_status(commitment)
        commitment.refresh_from_db(fields=sorted(DERIVED_FIELDS))
    return commitment


@transaction.atomic
def set_published(*, commitment: Commitment, published: bool, actor: Actor | None) -> Commitment:
    """Publish or withdraw a commitment (editors only). A published commitment must rest on a quote."""
    require(actor, roles.PUBLISH_COMMITMENT, _("Only an editor may publish or withdraw a commitment."))
    if published and not commitment.quote_links.exists():
        raise ValidationError(
            _("“%(title)s” cannot be published: it has no quote from a source document yet.")
            % {"title": commitment.title}
        )
    commitment.is_published = published
    return save_commitment(commitment=commitment, expected_version=commitment.version, actor=actor)


@transaction.atomic
def attach_quote(*, commitment: Commitment, quote: Quote, role: str, actor: Actor | None = None) -> CommitmentQuote:
    """Rest a commitment on a quote (the admin's inline saves links through its formset)."""
    require(actor, roles.LINK_QUOTE, _("You may not link quotes to commitments."))
    link = CommitmentQuote(commitment=commitment, quote=quote, role=role)
    link.full_clean()
    link.save()
    refresh_primary_source(Commitment.objects.filter(pk=commitment.pk))
    return link


def _require_criteria_rights(criterion: SuccessCriterion, actor: Actor | None, permission: str) -> None:
    require(actor, permission, _("You may not change success criteria."))
    if Commitment.objects.filter(pk=criterion.commitment_id, is_published=True).exists():
        require(actor, roles.PUBLISH_COMMITMENT, ONLY_EDITORS_ONCE_PUBLIC)


@transaction.atomic
def save_criterion(*, criterion: SuccessCriterion, actor: Actor | None = None) -> SuccessCriterion:
    """Write or change a success criterion, or its assessment: an editor's once the
    commitment is public."""
    _require_criteria_rights(criterion, actor, roles.CHANGE_CRITERION if criterion.pk else roles.ADD_CRITERION)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def delete_criterion(*, criterion: SuccessCriterion, actor: Actor | None = None) -> None:
    _require_criteria_rights(criterion, actor, roles.DELETE_CRITERION)
    criterion.delete()
