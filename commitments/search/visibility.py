"""Which index entries the public may see: a flag on each entry, set from the selectors' one
definition of public.

Whether a quote or a document is public depends on other tables (a published commitment
resting on it, an approved update citing it, its other-language twin), so asking it of each
match made a common word cost hundreds of milliseconds at 30,000 quotes. Instead, database
triggers note each record whose flag a change may move (changes.py), in the change's own
transaction, and the first search after it sets those flags and the flags of the records
depending on them (a commitment's updates and quotes, a quote's twin and document): no
search shows a flag older than the data it reads. A search that finds flags to set on a
replica (which cannot write) asks the primary to set them and, until the replica has them,
checks each match instead; so does a search while another is setting them."""

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Exists, ExpressionWrapper, Model, OuterRef, Q, QuerySet

from .. import selectors
from ..models import (
    Commitment,
    CommitmentQuote,
    Quote,
    Restatement,
    SearchChange,
    SearchEntry,
    SearchKind,
    StatusUpdate,
)

logger = logging.getLogger(__name__)

# PostgreSQL: one search at a time sets the flags; the others check each match meanwhile.
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


# More noted changes than this (a bulk load) and every flag is set again, at once.
MAX_NOTED = 5_000
# Ids per statement (SQLite allows 32,766 parameters).
CHUNK = 2_000


def flags_are_current(using: str) -> bool:
    return not SearchChange.objects.using(using).exists()


class Busy(Exception):
    """Another search is setting the flags, or a migration runs (its triggers are gone)."""


def set_flags(using: str = DEFAULT_DB_ALIAS) -> None:
    """Set the flags the noted changes may have moved, then forget those notes; raise Busy
    at once if another search is setting them. The notes are read before the flags are
    computed: a note is written in its change's transaction, so the change is there to read;
    a change committed meanwhile leaves its note for the next search."""
    database = connections[using]
    notes_table = SearchChange.objects.using(using)
    # SQLite: BEGIN IMMEDIATE; PostgreSQL: the advisory lock.
    with _without_waiting(database), transaction.atomic(using=using), _alone_and_not_waiting_long(database):
        if notes_table.filter(kind=SearchChange.MIGRATING).exists():
            raise Busy
        notes = list(notes_table.values_list("id", "kind", "record_id")[: MAX_NOTED + 1])
        if not notes:
            return  # another search set them meanwhile
        if len(notes) > MAX_NOTED or any(kind == SearchChange.EVERYTHING for _id, kind, _record in notes):
            # Every note there now forgotten first (one statement, whatever their number; a
            # note committed after it stays), then every flag set from data that includes them.
            notes_table.all().delete()
            for kind in SearchKind.values:
                _set(using, kind, None)
            return
        for kind, ids in _affected(using, notes).items():
            for start in range(0, len(ids), CHUNK):
                _set(using, kind, ids[start : start + CHUNK])
        notes_table.filter(id__in=[note_id for note_id, _kind, _record in notes]).delete()


def _set(using: str, kind: str, ids: list[int] | None) -> None:
    """Set the flags of these records of this kind (None: all of them); only flags that
    differ are written, each kind's public records computed once."""
    public = public_records(kind).using(using).order_by()
    entries = SearchEntry.objects.using(using).filter(kind=kind)
    if ids is not None:
        public, entries = public.filter(pk__in=ids), entries.filter(record_id__in=ids)
    now_public = ExpressionWrapper(Q(record_id__in=public.values("pk")), output_field=BooleanField())
    entries.exclude(public=now_public).update(public=ExpressionWrapper(~Q(public=True), output_field=BooleanField()))


def _affected(using: str, notes: Iterable[tuple[int, str, int]]) -> dict[str, list[int]]:
    """The noted records and those whose publicness follows from them: a commitment's
    updates and the quotes it rests on, restates or its updates cite; a quote's twins; the
    documents of every quote."""
    noted: dict[str, set[int]] = {kind: set() for kind in SearchKind.values}
    for _id, kind, record_id in notes:
        noted[kind].add(record_id)
    commitments, quotes = noted[SearchKind.COMMITMENT], noted[SearchKind.QUOTE]
    documents, updates = noted[SearchKind.DOCUMENT], noted[SearchKind.UPDATE]

    def ids(model: type[Model], column: str, **where) -> set[int]:
        rows = model._default_manager.using(using).filter(**where).exclude(**{column: None})
        return set(rows.values_list(column, flat=True))

    for chunk in _chunks(commitments):
        updates |= ids(StatusUpdate, "pk", commitment__in=chunk)
        quotes |= ids(CommitmentQuote, "quote_id", commitment__in=chunk)
        quotes |= ids(Restatement, "quote_id", commitment__in=chunk)
    for chunk in _chunks(updates):
        quotes |= ids(StatusUpdate, "evidence_quote_id", pk__in=chunk)
    for chunk in _chunks(set(quotes)):
        quotes |= ids(Quote, "pk", translation_of__in=chunk)
        quotes |= ids(Quote, "translation_of_id", pk__in=chunk)
    for chunk in _chunks(quotes):
        documents |= ids(Quote, "source_id", pk__in=chunk)
    return {kind: sorted(noted[kind]) for kind in SearchKind.values if noted[kind]}


def _chunks(ids: set[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


@contextmanager
def _alone_and_not_waiting_long(database: BaseDatabaseWrapper) -> Iterator[None]:
    """PostgreSQL, in a transaction: raise Busy unless this is the one search setting the
    flags (the advisory lock, tried), and give up after 200 ms on a row an editor's
    transaction is rewriting, before a deadlock would. The timeout is put back after: in an
    outer transaction (a test's, ATOMIC_REQUESTS) a SET LOCAL would outlast this block, and
    a migration's DDL after it failed as soon as autovacuum held a table."""
    if database.vendor != "postgresql":
        yield
        return
    with database.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s), current_setting('lock_timeout')", [_ADVISORY_LOCK])
        alone, waited = cursor.fetchone()
        if not alone:
            raise Busy
        cursor.execute("SET LOCAL lock_timeout = '200ms'")
    yield  # on an error, rolling the block back undoes the SET LOCAL itself
    with database.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [waited])


@contextmanager
def _without_waiting(database: BaseDatabaseWrapper) -> Iterator[None]:
    """On SQLite, fail at once rather than wait while another connection writes (the
    search checks each match instead); PostgreSQL's lock above is tried, not awaited."""
    if database.vendor != "sqlite" or database.in_atomic_block:
        yield
        return
    with database.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        waited = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with database.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")


Visible = Callable[[str], Q | Exists]


def condition() -> Visible:
    """For each kind, the condition its entries must meet to be shown, asked once per search:
    the flag, set now if out of date; on a replica whose flags are out of date, each match
    checked by the selectors."""
    using = router.db_for_read(SearchEntry)
    if flags_are_current(using):
        return flagged
    try:
        set_flags(DEFAULT_DB_ALIAS)
    except Busy:
        return _checked_one_by_one
    except DatabaseError:  # SQLite busy writing, or the primary away: this search checks each match
        logger.info("search: the public flags could not be set now", exc_info=True)
        return _checked_one_by_one
    return flagged if using == DEFAULT_DB_ALIAS else _checked_one_by_one


def flagged(kind: str) -> Q:
    # Asked again in each query's own statement: a change committed since the search found
    # no notes shows nothing rather than a flag it may have moved.
    return Q(~Exists(SearchChange.objects.all()), public=True)


def _checked_one_by_one(kind: str) -> Exists:
    return Exists(public_records(kind).order_by().filter(pk=OuterRef("record_id")))


def shown_sql(alias: str, entries: QuerySet[SearchEntry] | None = None) -> tuple[str, tuple]:
    """As SQL for a backend's own statements, on the entry row `alias`: the condition of
    flagged() (the flag, and no note committed since the search began), or with `entries`
    (the public matches checked one by one) being one of them."""
    if entries is None:
        return f"{alias}.public AND NOT EXISTS (SELECT 1 FROM commitments_searchchange)", ()
    sql, params = entries.values("id").query.sql_with_params()
    return f"{alias}.id IN ({sql})", tuple(params)
