"""Rows that render their cells directly, for django-tables2 tables on hot pages.

django-tables2 resolves every cell through an Accessor, looks for get_FOO_display()
(which rebuilds a hashed map of lazy translations on each call), inspects the render
method's signature and builds link attributes: over half of the commitments page's
time before this. A table using DirectCells renders each cell with one call:
`cell_<column>(record, value)` if the table has one, else `render_<column>(record)`,
else the escaped value; an empty value (None or "") shows the column's default, as
django-tables2 does. Accessors must be plain attribute names.
"""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django_tables2.rows import BoundRow, BoundRows

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
            opening.append((f"<{tag}{scope}{' ' if attributes else ''}{attributes}>", f"</{tag}>"))
        lines = []
        for row in self.paginated_rows:
            cells = (
                f"{start}{conditional_escape(cell)}{end}"
                for (start, end), (_c, cell) in zip(opening, row.items(), strict=True)
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
