"""The columns of each export: name, meaning, type and how a row gives the value.

The header, the rows and the data dictionary at /data/ all come from these definitions."""

import operator
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..formatting import CitationWriter, SlugUrls, labels_of
from ..models import (
    Commitment,
    DatePrecision,
    DocumentKind,
    Language,
    Pillar,
    ProgressStage,
    Quote,
    QuoteLanguage,
    QuoteRole,
    ReasonCode,
    StatementKind,
    Status,
    Theme,
    percent_of,
)
from .cells import ExportColumn

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .records import CommitmentColumns

AbsoluteUrl = Callable[[str], str]


def page_url_parts(absolute_url: AbsoluteUrl) -> tuple[str, str]:
    """A commitment page's absolute URL before and after the slug, reversed once per export
    rather than once per row."""
    return SlugUrls("commitments:commitment-detail", absolute_url).parts


def page_url_of(absolute_url: AbsoluteUrl) -> Callable[[Commitment], str]:
    """A commitment's absolute page URL."""
    before, after = page_url_parts(absolute_url)
    return lambda commitment: before + commitment.slug + after


def page_urls_of(absolute_url: AbsoluteUrl) -> Callable[[Iterable[str]], list[str]]:
    """The absolute page URLs of many commitments, from their slugs."""
    before, after = page_url_parts(absolute_url)
    return lambda slugs: [before + slug + after for slug in slugs]


def commitment_columns(*, absolute_url: AbsoluteUrl) -> list[ExportColumn]:
    def sources(commitment: Commitment) -> str:
        return "; ".join(doc.title for doc in selectors.documents_of(commitment))

    def symbols(commitment: Commitment) -> str:
        return "; ".join(doc.symbol for doc in selectors.documents_of(commitment) if doc.symbol)

    def criteria(commitment: Commitment) -> str:
        return " | ".join(criterion.text for criterion in commitment.criteria.all())

    def citation(commitment: Commitment) -> str:
        return cite(commitment, page_url(commitment))

    def plain(name: str, description: "StrOrPromise", field: str, kind: str = "text", vocabulary=None) -> ExportColumn:
        """A column that prints one field or annotation of the row as it is."""
        return ExportColumn(name, description, operator.attrgetter(field), kind, vocabulary, field=field)

    def citations(chunk: "CommitmentColumns") -> list[str]:
        urls = page_urls(chunk.slug)
        return cite.each(chunk.title, chunk.title_fr, urls, chunk.status_as_of, chunk.status_as_of_precision)

    status_labels = labels_of(Status)
    reason_labels = {"": "", **labels_of(ReasonCode)}
    page_url = page_url_of(absolute_url)
    page_urls = page_urls_of(absolute_url)
    cite = CitationWriter(timezone.localdate())

    return [
        plain("slug", _("Stable identifier of the commitment; also the end of its URL."), "slug", "code"),
        plain("title", _("Short title in plain words."), "title"),
        plain("summary", _("What Canada said it would do."), "summary"),
        plain("title_fr", _("The title in French (empty if not yet translated)."), "title_fr"),
        plain("summary_fr", _("The summary in French (empty if not yet translated)."), "summary_fr"),
        ExportColumn(
            "success_criteria",
            _("What would count as achieved, written before any assessment; criteria separated by “ | ”."),
            criteria,
            values_of=operator.attrgetter("criteria"),
        ),
        plain(
            "kind",
            _(
                "Kind of statement: undertaking (a promise a verdict judges; the headline counts only these), "
                "position, call to others or past action."
            ),
            "kind",
            "code",
            StatementKind,
        ),
        plain("theme", _("Theme."), "theme", "code", Theme),
        plain("pillar", _("Pillar of the Responsibility to Protect."), "pillar", "code", Pillar),
        plain(
            "status",
            _("Current status: that of the latest status update (with ?as_of=, the latest on or before that date)."),
            "status_shown",
            "code",
            Status,
        ),
        ExportColumn(
            "status_label",
            _("That status in words."),
            lambda c: status_labels[c.status_shown],
            values_of=lambda chunk: map(status_labels.__getitem__, chunk.status_shown),
        ),
        plain(
            "reason",
            _("Why that status is stalled, abandoned or partially achieved (empty otherwise)."),
            "reason_shown",
            "code",
            ReasonCode,
        ),
        ExportColumn(
            "reason_label",
            _("The reason in words."),
            lambda c: reason_labels[c.reason_shown],
            values_of=lambda chunk: map(reason_labels.__getitem__, chunk.reason_shown),
        ),
        plain("status_as_of", _("Date that status describes."), "status_shown_as_of", "date"),
        plain(
            "status_as_of_precision",
            _("How precisely status_as_of is known."),
            "status_shown_as_of_precision",
            "code",
            DatePrecision,
        ),
        plain("target_value", _("Numeric target, if the commitment has one."), "target_value", "number"),
        plain(
            "target_unit",
            _("Unit of the target and of progress values, as a code (see the TargetUnit vocabulary)."),
            "target_unit",
        ),
        plain("target_text", _("The target in the source's words."), "target_text"),
        plain("progress_value", _("Latest progress reading, in the target's unit."), "progress_shown", "number"),
        plain(
            "progress_stage",
            _("What the latest reading measures (a pledge is not a deployment)."),
            "progress_stage_shown",
            "code",
            ProgressStage,
        ),
        ExportColumn(
            "progress_percent",
            _("Latest reading as a whole percentage of the target (at most 100), at its stage."),
            lambda c: percent_of(c.progress_shown, c.target_value),
            "integer",
            values_of=lambda chunk: map(percent_of, chunk.progress_shown, chunk.target_value),
        ),
        plain("made_on", _("Date the commitment was made."), "made_on", "date"),
        plain("made_on_precision", _("How precisely made_on is known."), "made_on_precision", "code", DatePrecision),
        plain("made_by", _("Who made it."), "made_by"),
        plain(
            "responsible_body",
            _("Who is responsible for delivering it, where the source says."),
            "responsible_body",
        ),
        plain("period_start", _("Start of the commitment's period, if any."), "period_start", "date"),
        plain("deadline", _("End of the commitment's period, if any."), "deadline", "date"),
        plain("deadline_precision", _("How precisely deadline is known."), "deadline_precision", "code", DatePrecision),
        ExportColumn(
            "source_documents",
            _("Titles of the documents it rests on, separated by “; ”."),
            sources,
            values_of=operator.attrgetter("document_titles"),
        ),
        ExportColumn(
            "source_symbols",
            _("UN symbols of those documents, separated by “; ”."),
            symbols,
            values_of=operator.attrgetter("document_symbols"),
        ),
        ExportColumn("url", _("The commitment's public page."), page_url, "url", values_of=lambda c: page_urls(c.slug)),
        ExportColumn(
            "citation",
            _("Suggested citation, with the date of the download as the date accessed."),
            citation,
            values_of=citations,
        ),
    ]


def status_update_columns(*, absolute_url: AbsoluteUrl) -> list[ExportColumn]:
    status_labels = labels_of(Status)
    page_url = page_url_of(absolute_url)
    page_prefix = page_url_parts(absolute_url)
    return [
        ExportColumn("id", _("Stable identifier of the status update."), lambda u: u.pk, "integer", field="id"),
        ExportColumn(
            "commitment_slug",
            _("The commitment it assesses."),
            lambda u: u.commitment.slug,
            "code",
            field="commitment__slug",
        ),
        ExportColumn(
            "commitment_title", _("That commitment's title."), lambda u: u.commitment.title, field="commitment__title"
        ),
        ExportColumn("status", _("The status it records."), lambda u: u.status, "code", Status, field="status"),
        ExportColumn(
            "status_label",
            _("The status in words."),
            lambda u: status_labels[u.status],
            sql=Case(
                *(When(status=v, then=Value(label)) for v, label in status_labels.items()),
                output_field=models.TextField(),
            ),
        ),
        ExportColumn("as_of", _("Date the assessment describes."), lambda u: u.as_of, "date", field="as_of"),
        ExportColumn(
            "as_of_precision",
            _("How precisely as_of is known."),
            lambda u: u.as_of_precision,
            "code",
            DatePrecision,
            field="as_of_precision",
        ),
        ExportColumn(
            "progress_value",
            _("Progress reading in the commitment's target unit, if any."),
            lambda u: u.progress_value,
            "number",
            field="progress_value",
        ),
        ExportColumn(
            "progress_stage",
            _("What progress_value measures: announced, allocated, disbursed, pledged or deployed."),
            lambda u: u.progress_stage,
            "code",
            ProgressStage,
            field="progress_stage",
        ),
        ExportColumn(
            "target_unit",
            _("Unit of progress_value."),
            lambda u: u.commitment.target_unit,
            field="commitment__target_unit",
        ),
        ExportColumn(
            "rationale", _("Why this status, in the analyst's words."), lambda u: u.rationale, field="rationale"
        ),
        ExportColumn(
            "reason_code",
            _("Why stalled, abandoned or partially achieved (empty otherwise)."),
            lambda u: u.reason_code,
            "code",
            ReasonCode,
            field="reason_code",
        ),
        ExportColumn(
            "reason_text", _("The reason in the analyst's words."), lambda u: u.reason_text, field="reason_text"
        ),
        ExportColumn(
            "evidence_url",
            _("A public record that shows this status."),
            lambda u: u.evidence_url,
            "url",
            field="evidence_url",
        ),
        ExportColumn(
            "evidence_quote_id",
            _("A quote that shows this status (see the quotes export)."),
            lambda u: u.evidence_quote_id,
            "integer",
            field="evidence_quote_id",
        ),
        ExportColumn(
            "evidence_quote_text",
            _("The words of that quote, verbatim (empty without one)."),
            lambda u: u.evidence_quote.text if u.evidence_quote is not None else "",
            sql=Coalesce(F("evidence_quote__text"), Value(""), output_field=models.TextField()),
        ),
        ExportColumn(
            "corrects_id",
            _("The earlier update this one corrects, if any."),
            # Never an update the public may not see (StatusUpdateQuerySet.public).
            lambda u: u.corrects_shown,
            "integer",
            field="corrects_shown",
        ),
        ExportColumn(
            "correction_note",
            _("With a correction: what was wrong in the update it corrects."),
            lambda u: u.correction_note,
            field="correction_note",
        ),
        ExportColumn(
            "method_version",
            _("Version of the published method (/methodology/) the assessment followed."),
            lambda u: u.method_version,
            "code",
            field="method_version",
        ),
        ExportColumn(
            "recorded_at",
            _("When the update was recorded in the tracker (UTC)."),
            lambda u: u.recorded_at,
            "datetime",
            field="recorded_at",
        ),
        ExportColumn(
            "commitment_url",
            _("The commitment's public page."),
            lambda u: page_url(u.commitment),
            "url",
            sql=Concat(
                Value(page_prefix[0]), F("commitment__slug"), Value(page_prefix[1]), output_field=models.TextField()
            ),
        ),
    ]


def quote_columns(*, absolute_url: AbsoluteUrl) -> list[ExportColumn]:
    def commitments(quote: Quote) -> str:
        return "; ".join(link.commitment.slug for link in quote.commitment_links.all())

    def roles(quote: Quote) -> str:
        return "; ".join(link.role for link in quote.commitment_links.all())

    return [
        ExportColumn("id", _("Stable identifier of the quote."), lambda q: q.pk, "integer"),
        ExportColumn("text", _("The quoted words, verbatim from the document."), lambda q: q.text),
        ExportColumn("language", _("Language of the quote."), lambda q: q.language, "code", QuoteLanguage),
        ExportColumn("locator", _("Where in the document it appears."), lambda q: q.locator),
        ExportColumn("document_slug", _("The document it is taken from."), lambda q: q.source.slug, "code"),
        ExportColumn("document_title", _("That document's title."), lambda q: q.source.title),
        ExportColumn("document_symbol", _("That document's UN symbol, if any."), lambda q: q.source.symbol),
        ExportColumn("document_issued_on", _("Date the document was issued."), lambda q: q.source.issued_on, "date"),
        ExportColumn(
            "document_issued_on_precision",
            _("How precisely document_issued_on is known."),
            lambda q: q.source.issued_on_precision,
            "code",
            DatePrecision,
        ),
        ExportColumn("commitment_slugs", _("Published commitments it supports, separated by “; ”."), commitments),
        ExportColumn(
            "roles", _("What it does for each of those commitments, in the same order."), roles, "code", QuoteRole
        ),
        ExportColumn(
            "url", _("The quote highlighted in its document."), lambda q: absolute_url(q.get_absolute_url()), "url"
        ),
    ]


def document_columns(*, absolute_url: AbsoluteUrl) -> list[ExportColumn]:
    """The public documents (selectors.public_documents), for data releases."""

    def plain(name: str, description: "StrOrPromise", field: str, kind: str = "text", vocabulary=None) -> ExportColumn:
        return ExportColumn(name, description, operator.attrgetter(field), kind, vocabulary, field=field)

    return [
        plain("slug", _("Stable identifier of the document; also the end of its URL."), "slug", "code"),
        plain("title", _("The document's title."), "title"),
        plain("kind", _("What kind of document it is."), "kind", "code", DocumentKind),
        plain("symbol", _("Its UN symbol, if any."), "symbol"),
        plain("author", _("Person or office that issued it."), "author"),
        plain("venue", _("Where it was delivered or published."), "venue"),
        plain("issued_on", _("Date it was issued."), "issued_on", "date"),
        plain(
            "issued_on_precision", _("How precisely issued_on is known."), "issued_on_precision", "code", DatePrecision
        ),
        plain("language", _("Its language."), "language", "code", Language),
        plain("source_url", _("Where the original is published."), "url", "url"),
        ExportColumn(
            "url", _("The document's page on the tracker."), lambda d: absolute_url(d.get_absolute_url()), "url"
        ),
    ]
