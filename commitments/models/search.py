"""The search index: one row per indexed record, written only by database triggers.

The triggers (made from commitments/search/schema.py after every migrate) rewrite a row in
the same transaction as every insert, change or delete of a commitment, quote, document or
status update, whatever path made it (admin, services, bulk actions, loaddata, raw SQL).
Every record is indexed, drafts too. Which ones the public may see is a flag on each row,
set from the selectors' one definition of public whenever the public data's version has
moved since it was last set (commitments/search/visibility.py): a draft's words are never
found, and a search reads one column instead of asking each match whether it is public.
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
    # Whether the public may see the record, as of SearchVisibility.data_version; the
    # triggers keep it when they rewrite a row and leave it false on a new one.
    public = models.BooleanField(db_default=False)

    class Meta:
        ordering = ("kind", "record_id")
        constraints = (models.UniqueConstraint(fields=("kind", "record_id"), name="search_entry_unique"),)

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


class SearchVisibility(models.Model):
    """The single row (id 1): the public data version (PublicDataVersion's tag) that the
    entries' public flags were last set for. No row, or another version: set them again."""

    data_version = models.CharField(max_length=80)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"search visibility as of {self.data_version}"
