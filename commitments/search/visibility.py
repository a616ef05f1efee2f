"""Which index entries the public may see: a flag on each entry, set from the selectors' one
definition of public, and the public data version it was set for.

Whether a quote or a document is public depends on other tables (a published commitment
resting on it, an approved update citing it, its other-language twin), so asking it of each
match made a common word cost hundreds of milliseconds at 30,000 quotes. The flags are set
again, all at once, by the first search after the public data's version has moved (the
database triggers move it with every change a reader could see, whatever path made it: the
admin, a service, a bulk action, raw SQL, another server), so they are never older than the
public pages. A search that finds them out of date on a replica (which cannot write) asks
the primary to set them and, until the replica has caught up, checks each match instead."""

import logging
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from .. import selectors
from ..models import Commitment, PublicDataVersion, SearchEntry, SearchKind, SearchVisibility, StatusUpdate

logger = logging.getLogger(__name__)

# PostgreSQL: searches that find the flags out of date set them one after the other.
_ADVISORY_LOCK = 2_026_120_320


def public_records(kind: str) -> QuerySet:
    """The records of this kind the public may see (the selectors' definitions)."""
    if kind == SearchKind.COMMITMENT:
        return Commitment.objects.published()
    if kind == SearchKind.QUOTE:
        return selectors.public_quotes()
    if kind == SearchKind.DOCUMENT:
        return selectors.public_documents()
    return StatusUpdate.objects.public()


def _versions(using: str) -> tuple[str, str | None]:
    """The public data's version and the flags', in one read (inside a transaction too: flags
    set in one roll back with it)."""
    flags = SearchVisibility.objects.using(using).filter(pk=1).values("data_version")
    row = (
        PublicDataVersion.objects.using(using)
        .filter(pk=1)
        .values_list("counter", "changed_at", Subquery(flags))
        .first()
    )
    if row is None:  # no public change recorded yet
        return "", flags.values_list("data_version", flat=True).first()
    counter, changed_at, flags_version = row
    return f"{counter}-{changed_at}", flags_version


def flags_are_current(using: str) -> bool:
    data_version, flags_version = _versions(using)
    return flags_version == data_version


def set_flags(using: str = DEFAULT_DB_ALIAS) -> None:
    """Set every entry's flag from the selectors, if the public data moved since they were
    last set. The version is read before the flags are computed: a change committed in
    between leaves the stored version behind the flags, and the next search sets them again."""
    with transaction.atomic(using=using):  # on SQLite BEGIN IMMEDIATE: one writer at a time
        if connections[using].vendor == "postgresql":
            with connections[using].cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])
        version, flags_version = _versions(using)
        if flags_version == version:
            return  # another search set them meanwhile
        entries = SearchEntry.objects.using(using)
        for kind in SearchKind.values:
            public_ids = public_records(kind).using(using).order_by().values("pk")
            entries.filter(kind=kind, public=True).exclude(record_id__in=public_ids).update(public=False)
            entries.filter(kind=kind, public=False, record_id__in=public_ids).update(public=True)
        SearchVisibility.objects.using(using).update_or_create(pk=1, defaults={"data_version": version})


Visible = Callable[[str], Q | Exists]


def condition() -> Visible:
    """For each kind, the condition its entries must meet to be shown, asked once per search:
    the flag, set now if out of date; on a replica whose flags are out of date, each match
    checked by the selectors."""
    using = router.db_for_read(SearchEntry)
    if flags_are_current(using):
        return _flagged
    try:
        set_flags(DEFAULT_DB_ALIAS)
    except DatabaseError:  # the primary busy or away: this search checks each match
        logger.warning("search: could not set the public flags", exc_info=True)
        return _checked_one_by_one
    return _flagged if using == DEFAULT_DB_ALIAS else _checked_one_by_one


def _flagged(kind: str) -> Q:
    return Q(public=True)


def _checked_one_by_one(kind: str) -> Exists:
    return Exists(public_records(kind).order_by().filter(pk=OuterRef("record_id")))


def nothing_to_check(kind: str) -> Q:
    """For a query with nothing to look for, which reads no entry."""
    return Q(pk__in=[])
