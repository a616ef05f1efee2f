"""The public table of commitments."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .formatting import format_partial_date, format_quantity
from .models import Commitment


def documents_of(commitment: Commitment) -> list:
    """Distinct source documents of a commitment's quotes, from the prefetched links."""
    seen: dict[int, object] = {}
    for link in commitment.quote_links.all():
        seen.setdefault(link.quote.source_id, link.quote.source)
    return list(seen.values())


class CommitmentTable(tables.Table):
    caption_text = _("Published commitments: select a column heading to sort")
    title = tables.Column(verbose_name=_("Commitment"), linkify=True)
    theme = tables.Column(verbose_name=_("Theme"))
    pillar = tables.Column(verbose_name=_("R2P pillar"))
    current_status = tables.Column(verbose_name=_("Status"))
    target = tables.Column(verbose_name=_("Target"), accessor="target_text", order_by=("target_value", "title"))
    progress = tables.Column(
        verbose_name=_("Progress"), accessor="current_progress", order_by=("current_progress", "title")
    )
    made_on = tables.Column(verbose_name=_("Made"), order_by=("made_on", "title"))
    source = tables.Column(
        verbose_name=_("Source"), accessor="primary_source_title", order_by=("primary_source_title", "title")
    )

    class Meta:
        model = Commitment
        fields = ("title", "theme", "pillar", "current_status", "target", "progress", "made_on", "source")
        order_by = ("made_on",)
        empty_text = _("No published commitment matches these filters.")
        attrs = {"class": "data-table"}

    def render_current_status(self, record: Commitment) -> str:
        return format_html(
            '<span class="status status-{}">{}</span>', record.current_status, record.get_current_status_display()
        )

    def render_target(self, record: Commitment) -> str:
        if record.target_text:
            return record.target_text
        return f"{format_quantity(record.target_value)} {record.target_unit}"

    def render_progress(self, record: Commitment) -> str:
        percent = record.progress_percent
        reading = f"{format_quantity(record.current_progress)} {record.target_unit}".strip()
        if percent is None:
            return reading
        return format_html(
            '{} <span class="percent">({}%)</span><meter min="0" max="100" value="{}" aria-hidden="true"></meter>',
            reading,
            percent,
            percent,
        )

    def render_made_on(self, record: Commitment) -> str:
        return format_partial_date(record.made_on, record.made_on_precision)

    def render_source(self, record: Commitment) -> str:
        documents = documents_of(record)
        return format_html_join(", ", '<a href="{}">{}</a>', ((doc.get_absolute_url(), doc.title) for doc in documents))
