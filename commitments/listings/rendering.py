"""How the public tables render: their paginator, their columns copied for each table, and
rows written in Python (DirectCells) where a template loop over every cell cost more than
the cells."""

import copy
from typing import Any
from urllib.parse import urlencode

import django_tables2 as tables
from django.core.paginator import Paginator
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.templatetags.django_tables2 import table_page_range

from ..formatting import escaped


class OnePageCountingPaginator(Paginator):
    """Counts a one-page result by its rows instead of a COUNT(*).

    A search or a narrow filter usually fits on the first page, and its COUNT(*) scans
    every row the filter looks at (50 ms over 10,000 commitments for `?q=`) while the
    page itself is read in a millisecond. Page 1 is read with one row more than a page:
    if that extra row is not there, the rows are the count. Longer results are counted
    as before (the page shows the total and the number of pages).
    """

    def page(self, number):
        if str(number) != "1" or "count" in self.__dict__:
            return super().page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            self.__dict__["count"] = len(rows)  # fills the cached_property
        # Page 1 always exists; a longer result is counted when the page asks for the total.
        # _get_page is Paginator's own way to make a page, which django-stubs leaves out.
        return self._get_page(rows[: self.per_page], 1, self)  # type: ignore[attr-defined]


PAGE_SIZE = 25


MAX_PAGE_SIZE = 100


class TablePaginator(OnePageCountingPaginator):
    """A reader may ask for 1 to MAX_PAGE_SIZE rows a page (?per_page=); other sizes get the
    default, so a hostile ?per_page=-1 or a million cannot break or exhaust the page."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        if not 1 <= int(per_page) <= MAX_PAGE_SIZE:
            per_page = PAGE_SIZE
        super().__init__(object_list, per_page, *args, **kwargs)


EMPTY = (None, "")


class DirectRow(BoundRow):
    def items(self):
        yield from self._table.direct_cells(self.record)

    def get_cell(self, name):
        return dict((column.name, cell) for column, cell in self.items())[name]


class DirectRows(BoundRows):
    def __iter__(self):
        for record in self.data:
            yield DirectRow(record, table=self.table)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return DirectRows(data=self.data[key], table=self.table)
        return DirectRow(record=self.data[key], table=self.table)


class DirectCells:
    """Mixin for a tables.Table: rows render through direct_cells()."""

    # The tables.Table's (an untyped library), which this reads.
    data: Any
    columns: Any
    paginated_rows: Any

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = DirectRows(data=self.data, table=self)
        self._renderers = None

    def direct_cells(self, record):
        if self._renderers is None:  # once per table, after the columns are bound
            self._renderers = [
                (column, str(column.accessor), column.default, self._renderer(column.name)) for column in self.columns
            ]
        for column, attribute, default, render in self._renderers:
            value = getattr(record, attribute)
            yield column, default if value in EMPTY else render(record, value)

    def body_html(self) -> SafeString:
        """The page's rows as table.html would write them, joined in Python: the template's
        loop over 200 cells, each asking its column for attributes, cost more than the cells.
        The first cell heads its row. Cell attributes may not depend on the record."""
        opening = []
        for index, column in enumerate(self.columns):
            attributes = column.attrs["td"].as_html()
            tag = "th" if index == 0 else "td"
            scope = ' scope="row"' if index == 0 else ""
            # The header again, which a phone's stacked rows show before each value (site.css).
            label = format_html(' data-label="{}"', column.header)
            opening.append((f"<{tag}{scope}{label}{' ' if attributes else ''}{attributes}>", f"</{tag}>"))
        lines = []
        for row in self.paginated_rows:
            cells = (
                f"{start}{escaped(cell)}{end}" for (start, end), (_c, cell) in zip(opening, row.items(), strict=True)
            )
            lines.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(lines))  # each cell escaped unless already safe

    def _renderer(self, name):
        if hasattr(self, f"cell_{name}"):
            return getattr(self, f"cell_{name}")
        if hasattr(self, f"render_{name}"):
            method = getattr(self, f"render_{name}")
            return lambda record, value: method(record)
        return lambda record, value: conditional_escape(value)


class Table(tables.Table):
    """django-tables2's Table whose columns are copied one by one for each table (copy.copy)
    instead of deep-copied with their lazy labels, links and attributes: a table changes
    its columns' attributes, never what they hold (0.8 ms a table page, the API and CSV too)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.base_columns = _ColumnsCopiedOneByOne(cls.base_columns)

    @property
    def order_by(self):
        return tables.Table.order_by.fget(self)

    @order_by.setter
    def order_by(self, value):
        """?sort= as comma-separated aliases, as the exports read it (the page's RequestConfig
        gives a list, whose "-title,made_on" django-tables2 ignored), less any alias with a
        dot: django-tables2 reads it as a dotted accessor (?sort=.json), a path it warns it
        will drop. An alias that names no column is ignored, as django-tables2 ignores it."""
        given = [value] if isinstance(value, str) else value or ()
        aliases = [alias for item in given for alias in str(item).split(",")]
        tables.Table.order_by.fset(self, [alias for alias in aliases if "." not in alias])

    # The header row and the page links, written in Python as table.html's loops wrote them:
    # those loops, a dozen variable lookups and a query string per link, cost a seventh of a
    # table page (about 2 ms).

    def head_html(self) -> SafeString:
        query = self._query()
        cells = []
        for column in self.columns:
            attributes = column.attrs["th"].as_html()
            order = column.order_by_alias if column.is_ordered else None
            sort = "" if order is None else f' aria-sort="{"descending" if order.is_descending else "ascending"}"'
            header: str = conditional_escape(column.header)
            if column.orderable:
                if order is None:
                    hint = gettext("select to sort")
                elif order.is_descending:
                    hint = gettext("sorted descending; select to sort ascending")
                else:
                    hint = gettext("sorted ascending; select to sort descending")
                address = _address(query, self.prefixed_order_by_field, column.order_by_alias.next)
                header = f'<a href="{address}">{header}<span class="visually-hidden">, {escape(hint)}</span></a>'
            cells.append(f'<th scope="col"{" " if attributes else ""}{attributes}{sort}>{header}</th>')
        return mark_safe("".join(cells))  # each part escaped above

    def page_links_html(self) -> SafeString:
        """The pagination's list items (the template writes them only for more than one page)."""
        query, field, page = self._query(), self.prefixed_page_field, self.page
        items = []
        if page.has_previous():
            address = _address(query, field, page.previous_page_number())
            items.append(f'<li><a rel="prev" href="{address}">{escape(gettext("Previous page"))}</a></li>')
        for number in table_page_range(page, self.paginator):
            if number == "...":
                items.append('<li aria-hidden="true">…</li>')
                continue
            current = ' aria-current="page"' if number == page.number else ""
            items.append(f'<li><a href="{_address(query, field, number)}"{current}>{localize(number)}</a></li>')
        if page.has_next():
            address = _address(query, field, page.next_page_number())
            items.append(f'<li><a rel="next" href="{address}">{escape(gettext("Next page"))}</a></li>')
        return mark_safe("".join(items))  # each part escaped above

    def _query(self) -> dict:
        request = getattr(self, "request", None)
        return dict(request.GET) if request is not None else {}


def _address(query: dict, field: str, value) -> str:
    """The page's query string with `field` set to `value`, escaped for an attribute (as
    django-tables2's querystring_replace writes it)."""
    return escape("?" + urlencode({**query, field: value}, doseq=True))


class _ColumnsCopiedOneByOne(dict):
    def __deepcopy__(self, memo):
        return {name: copy.copy(column) for name, column in self.items()}
