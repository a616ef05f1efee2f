"""Each public data set once: its rows, filters, order and CSV columns.

The table page, its CSV export and the API list all read a listing, so a reader's
filters and sort give the same rows in the same order wherever they look.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import django_filters
import django_tables2
from django.db.models import QuerySet

from .. import exports, selectors
from ..exports import records as export_records
from . import filters
from .tables import CommitmentTable, QuoteTable, StatusUpdateTable


class InvalidFilters(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(str(dict(errors)))


@dataclass(frozen=True)
class Listing:
    name: str
    rows: Callable[[], QuerySet]
    filterset_class: type[django_filters.FilterSet]
    table_class: type[django_tables2.Table]
    columns: Callable[..., list[exports.ExportColumn]]
    export_url_name: str
    xlsx_url_name: str
    # The Atom feed of the status changes among the filtered rows (views.follow), if any.
    feed_url_name: str = ""
    # Reads the filtered rows as the CSV's cells, a chunk of rows at a time as its columns
    # (export_records); without it the CSV reads the queryset (exports.csv_content).
    export_cells: Callable[[QuerySet, list[exports.ExportColumn]], Iterator[Sequence[Sequence]]] | None = None

    def filtered(self, params) -> QuerySet:
        """The rows for these query parameters, filtered and in the table's order."""
        filterset = self.filterset_class(params, queryset=self.rows())
        if not filterset.is_valid():
            raise InvalidFilters(filterset.errors)
        # The table orders its data exactly as the page does for the same ?sort=.
        return self.table_class(filterset.qs, order_by=params.get("sort")).data.data

    def export_rows(self, params) -> QuerySet | exports.CellRows:
        """The filtered rows as the CSV and the XLSX read them (exports.csv_content, exports.xlsx)."""
        rows = self.filtered(params)
        return exports.CellRows(rows, self.export_cells) if self.export_cells else rows


COMMITMENTS = Listing(
    name="commitments",
    rows=selectors.commitment_list,
    filterset_class=filters.CommitmentFilter,
    table_class=CommitmentTable,
    columns=exports.commitment_columns,
    export_url_name="commitments:commitment-export",
    xlsx_url_name="commitments:commitment-export-xlsx",
    feed_url_name="commitments:commitment-table-feed",
    export_cells=export_records.commitment_chunks,
)
STATUS_UPDATES = Listing(
    name="status-updates",
    rows=selectors.status_update_list,
    filterset_class=filters.StatusUpdateFilter,
    table_class=StatusUpdateTable,
    columns=exports.status_update_columns,
    export_url_name="commitments:update-export",
    xlsx_url_name="commitments:update-export-xlsx",
    feed_url_name="commitments:update-feed",
)
QUOTES = Listing(
    name="quotes",
    rows=selectors.quote_list,
    filterset_class=filters.QuoteFilter,
    table_class=QuoteTable,
    columns=exports.quote_columns,
    export_url_name="commitments:quote-export",
    xlsx_url_name="commitments:quote-export-xlsx",
)
