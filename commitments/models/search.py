"""The search index: one row per indexed record, written only by database triggers.

The triggers (created by migration 0022 from commitments/search/schema.py) rewrite a row in
the same transaction as every insert, change or delete of a commitment, quote, document or
status update, whatever path made it (admin, services, bulk actions, loaddata, raw SQL).
Every record is indexed, drafts too: which ones the public may see is decided when a search
runs, by the selectors' one definition of public, so publishing or withdrawing needs no
re-indexing and a draft's words are never found.
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
