"""The public tables: their columns, sorts and cells (rendering.py: how they render)."""

import functools
from typing import TYPE_CHECKING

import django_tables2 as tables
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .. import selectors
from ..formatting import (
    SlugUrls,
    evidence_quote_html,
    format_partial_date,
    format_quantity,
    labels_of,
    progress_meter,
    quick_format_html,
    status_badge,
    unit_html,
    written_in_english,
)
from ..models import Commitment, Pillar, ProgressStage, Quote, ReasonCode, Restatement, Status, StatusUpdate, Theme
from .rendering import DirectCells, Table

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from ..selectors import StatusShown


class CommitmentTable(DirectCells, Table):
    caption_text = _("Published commitments: select a column heading to sort")
    # Every sort ends with the id: equal keys and titles happen (two commitments' French
    # titles were the same words), and the pages, API and CSV must agree on their order.
    # The title in the reader's language, sorted as read (title_shown, see selectors).
    title = tables.Column(
        verbose_name=_("Commitment"), accessor="title_shown", linkify=True, order_by=("title_shown", "id")
    )
    # Every row listed is published: with is_published, the (theme, is_published) index
    # gives this order, where sorting a theme's rows by id took 2 ms a page.
    theme = tables.Column(verbose_name=_("Theme"), order_by=("theme", "is_published", "id"))
    pillar = tables.Column(verbose_name=_("R2P pillar"), order_by=("pillar", "id"))
    # Today's status, or that on the as-of date.
    current_status = tables.Column(
        verbose_name=_("Status"), accessor="status_shown", order_by=("status_shown", "title_shown", "id")
    )
    target = tables.Column(
        verbose_name=_("Target"), accessor="target_text", order_by=("target_value", "title_shown", "id")
    )
    progress = tables.Column(
        verbose_name=_("Progress"), accessor="progress_shown", order_by=("progress_shown", "title_shown", "id")
    )
    made_on = tables.Column(verbose_name=_("Made"), order_by=("made_on", "title_shown", "id"))
    # Shows the documents of the quote links; sorts by the title of the earliest that made
    # the commitment (stored, services.refresh_primary_source).
    source = tables.Column(
        verbose_name=_("Source"), accessor="quote_links", order_by=("primary_source_title", "title_shown", "id")
    )

    # The commitment fields the cells read; the page loads no others (summaries, dates of
    # edits: parsing two timestamps per row cost more than the title and status together).
    record_fields = (
        "slug", "title", "title_fr", "theme", "pillar", "made_on", "made_on_precision",
        "target_value", "target_unit", "target_text", "target_text_fr",
    )  # fmt: skip

    class Meta:
        model = Commitment
        fields = ("title", "theme", "pillar", "current_status", "target", "progress", "made_on", "source")
        order_by = ("made_on",)
        empty_text = _("No published commitment matches these filters.")
        attrs = {"class": "data-table stack"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the active language, resolved once per page rather than per cell.
        self.labels = {
            "theme": labels_of(Theme),
            "pillar": labels_of(Pillar),
            "status": labels_of(Status),
            "reason": labels_of(ReasonCode),
            "stage": labels_of(ProgressStage),
        }
        self.commitment_url = SlugUrls("commitments:commitment-detail")
        self.document_url = SlugUrls("commitments:source-detail")

    # Cells as DirectCells renders them (the page); render_* also serve django-tables2's own path.
    def cell_title(self, record: Commitment, value: str) -> str:
        return quick_format_html('<a href="{}">{}</a>', self.commitment_url(record.slug), value)

    def cell_theme(self, record: Commitment, value: str) -> str:
        return self.labels["theme"].get(value, value)

    def cell_pillar(self, record: Commitment, value: str) -> str:
        return self.labels["pillar"].get(value, value)

    def render_title(self, record: Commitment) -> str:
        return record.localized_title

    def render_current_status(self, record: "WithAnnotations[Commitment, StatusShown]") -> str:
        badge = status_badge(record.status_shown, self.labels["status"][record.status_shown])
        if not record.reason_shown:
            return badge
        return quick_format_html(
            '{} <span class="reason">({})</span>', badge, self.labels["reason"][record.reason_shown]
        )

    def render_target(self, record: Commitment) -> str:
        if record.target_text_is_english:
            return format_html('<span lang="en">{}</span>', record.target_text)
        if record.target_text:
            return record.localized_target_text
        return format_html("{} {}", format_quantity(record.target_value), unit_html(record.target_unit))

    def render_progress(self, record: "WithAnnotations[Commitment, StatusShown]") -> str:
        # Say what was counted: 250 troops pledged is not 250 deployed.
        stage = self.labels["stage"].get(record.progress_stage_shown, "").lower()
        return progress_meter(record, record.progress_shown, title=record.localized_title, stage=stage)

    def render_made_on(self, record: Commitment) -> str:
        return format_partial_date(record.made_on, record.made_on_precision)

    @functools.cached_property
    def documents(self) -> dict[int, list[tuple[str, str, str, str]]]:
        """The page's documents, read once for all its rows when the first row asks."""
        return selectors.documents_by_commitment(
            [row.record.pk for row in self.paginated_rows], fields=("slug", "title", "short_title", "language")
        )

    def render_source(self, record: Commitment) -> str:
        # The short title, in the document's language; the full one is the link's tooltip.
        documents = self.documents.get(record.pk, [])
        return mark_safe(  # each part escaped
            ", ".join(
                quick_format_html(
                    '<a href="{}" title="{}" lang="{}">{}</a>',
                    self.document_url(slug),
                    title,
                    "fr" if language == "fr" else "en",
                    short_title or title,
                )
                for slug, title, short_title, language in documents
            )
        )


class StatusUpdateTable(Table):
    caption_text = _("Status updates of published commitments: select a column heading to sort")
    as_of = tables.Column(verbose_name=_("As of"), order_by=("as_of", "recorded_at", "id"))
    # Each order ends in the id: a commitment's updates share its title, and rows that tie
    # came back in a different order from PostgreSQL's COPY (the CSV) and the API.
    commitment = tables.Column(
        verbose_name=_("Commitment"),
        accessor="commitment__title",
        order_by=("commitment__title", "as_of", "id"),
        linkify=lambda record: record.commitment.get_absolute_url(),
    )
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "as_of", "id"))
    progress_value = tables.Column(verbose_name=_("Progress"), order_by=("progress_value", "as_of", "id"))
    rationale = tables.Column(verbose_name=_("Rationale"), orderable=False)
    # Always rendered: the evidence may be a quote, a public record's address, both or neither.
    evidence = tables.Column(verbose_name=_("Evidence"), accessor="pk", orderable=False)

    class Meta:
        model = StatusUpdate
        fields = ("as_of", "commitment", "status", "progress_value", "rationale", "evidence")
        order_by = ("-as_of",)
        empty_text = _("No status update matches these filters.")
        attrs = {"class": "data-table stack"}

    def render_as_of(self, record: StatusUpdate) -> str:
        return format_partial_date(record.as_of, record.as_of_precision)

    def render_commitment(self, record: StatusUpdate) -> str:
        return record.commitment.localized_title

    def render_status(self, record: StatusUpdate) -> str:
        return status_badge(record.status, record.get_status_display())

    def render_progress_value(self, record: StatusUpdate) -> str:
        return format_html(
            "{} {} {}",
            format_quantity(record.progress_value),
            unit_html(record.commitment.target_unit),
            record.get_progress_stage_display().lower(),
        )

    def render_rationale(self, record: StatusUpdate) -> str:
        return written_in_english(record.rationale)

    def render_evidence(self, record: StatusUpdate) -> str:
        shown = []
        if record.evidence_quote is not None:
            shown.append(evidence_quote_html(record.evidence_quote, url=record.evidence_quote.get_absolute_url()))
        if record.evidence_url:
            shown.append(format_html('<a href="{}" rel="noopener">{}</a>', record.evidence_url, _("public record")))
        return format_html_join("; ", "{}", ((part,) for part in shown)) if shown else "—"


def quote_supports() -> tuple[Prefetch, Prefetch]:
    """What the quotes table adds to quote_list for the rows it shows: the published
    commitments a quote restates and the public status updates citing it as evidence."""
    return (
        Prefetch(
            "restatements",
            queryset=Restatement.objects.filter(commitment__is_published=True)
            .select_related("commitment")
            .order_by("commitment__made_on", "commitment_id"),
        ),
        Prefetch(
            "evidence_for",
            queryset=StatusUpdate.objects.public().select_related("commitment").order_by("as_of", "id"),
        ),
    )


class QuoteTable(Table):
    caption_text = _("Quotes from the documents behind published commitments: select a column heading to sort")
    text = tables.Column(verbose_name=_("Quote"), linkify=lambda record: record.get_absolute_url())
    source = tables.Column(
        verbose_name=_("Document"),
        accessor="source__title",
        order_by=("source__issued_on", "source__title", "id"),
        linkify=lambda record: record.source.get_absolute_url(),
    )
    issued = tables.Column(verbose_name=_("Issued"), accessor="source__issued_on", order_by=("source__issued_on", "id"))
    language = tables.Column(verbose_name=_("Language"))
    supports = tables.Column(verbose_name=_("Supports"), accessor="pk", orderable=False)

    class Meta:
        model = Quote
        fields = ("text", "source", "issued", "language", "supports")
        order_by = ("issued",)
        empty_text = _("No quote matches these filters.")
        attrs = {"class": "data-table stack"}

    def render_text(self, record: Quote) -> str:
        return format_html('<span lang="{}">{}</span>', record.language, record.text)

    def render_source(self, record: Quote) -> str:
        document = record.source
        return format_html(
            '<span lang="{}" title="{}">{}</span>', document.title_language, document.title, document.label
        )

    def render_issued(self, record: Quote) -> str:
        return format_partial_date(record.source.issued_on, record.source.issued_on_precision)

    @property
    def paginated_rows(self):
        """The page's rows, with what each quote supports fetched for them alone (two queries
        for the page, none for the CSV, which reads the same listing)."""
        rows = super().paginated_rows
        if not getattr(self, "_supports_fetched", False):
            prefetch_related_objects([row.record for row in rows], *quote_supports())
            self._supports_fetched = True
        return rows

    def render_supports(self, record: Quote) -> str:
        """Every commitment the quote bears on, and how: its words (made, restated in the
        commitment's lineage) or the evidence of a status update."""
        links = [
            (link.commitment.get_absolute_url(), link.commitment.localized_title, link.get_role_display())
            for link in record.commitment_links.all()
        ]
        restated = str(pgettext("what a quote supports", "restatement"))
        links += [
            (restatement.get_absolute_url(), restatement.commitment.localized_title, restated)
            for restatement in record.restatements.all()
        ]
        links += [
            (
                f"{update.commitment.get_absolute_url()}#update-{update.pk}",
                update.commitment.localized_title,
                _("evidence for “%(status)s”, %(date)s")
                % {
                    "status": update.get_status_display(),
                    "date": format_partial_date(update.as_of, update.as_of_precision),
                },
            )
            for update in record.evidence_for.all()
        ]
        return format_html_join(", ", '<a href="{}">{}</a> ({})', links)
