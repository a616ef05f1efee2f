"""The search index: one row per indexed record, written only by database triggers.

The triggers (made from commitments/search/schema.py after every migrate) rewrite a row in
the same transaction as every insert, change or delete of a commitment, quote, document or
status update, whatever path made it (admin, services, bulk actions, loaddata, raw SQL).
Every record is indexed, drafts too. Which ones the public may see is a flag on each row,
set from the selectors' one definition of public for the records the triggers note as
changed (SearchChange; commitments/search/visibility.py): a draft's words are never found,
and a search reads one column instead of asking each match whether it is public.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchKind(models.TextChoices):
    COMMITMENT = "commitment"
    QUOTE = "quote"
    DOCUMENT = "document"
    UPDATE = "update"


class SearchEntry(models.Model):
    kind = models.CharField(max_length=10, choices=SearchKind)
    record_id = models.BigIntegerField()
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Words that find the record without being shown in its snippet (theme and kind labels).
    labels = models.TextField(blank=True)
    # PostgreSQL only (english and french stems of the three columns, GIN-indexed); SQLite
    # leaves it empty and keeps its index in the FTS5 table search_fts.
    vector = SearchVectorField(null=True)
    # Whether the public may see the record, once the SearchChange rows are dealt with; the
    # triggers keep it when they rewrite a row and leave it false on a new one.
    public = models.BooleanField(db_default=False)

    class Meta:
        ordering = ("kind", "record_id")
        constraints = (models.UniqueConstraint(fields=("kind", "record_id"), name="search_entry_unique"),)
        # A kind's public records read from the index alone (the source filter's documents):
        # each entry's row holds the record's text, 2.4 KB for a document.
        indexes = (
            models.Index(fields=("kind", "record_id"), condition=models.Q(public=True), name="search_entry_public_idx"),
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id}"


class SearchWord(models.Model):
    """PostgreSQL only: every word indexed, lower-cased, for "Did you mean" (a trigram index;
    SQLite reads FTS5's vocabulary table instead). Words are added, never removed: a
    suggestion is offered only if searching it finds a public record."""

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ("word",)

    def __str__(self) -> str:
        return self.word


class SearchChange(models.Model):
    """A record whose public flag may have to change, written by database triggers in the
    transaction that changed what makes it public (a commitment published or withdrawn, a
    quote linked, an update approved...; commitments/search/changes.py). The next search sets
    the flags of these records and of those depending on them, then deletes the rows it read.
    kind "all" (after the index is rebuilt): every flag is set again."""

    EVERYTHING = "all"
    # While a migration runs (its triggers dropped, no change noted): every search checks
    # each match until the migration has made the triggers again and set every flag.
    MIGRATING = "migrating"

    kind = models.CharField(max_length=10)
    record_id = models.BigIntegerField()

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} to check"
