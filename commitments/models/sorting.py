"""How the commitments table's sorts are served: each reads its rows in an index's order,
in English by the title, in French by the French title."""

from django.db import models
from django.db.models import Q


class FrenchTitle(models.Func):
    """The title a French reader sees: the French one, or the English where there is none,
    written as COALESCE(NULLIF(title_fr, ''), title) with its '' in the SQL itself: SQLite
    uses an index on an expression only for the same expression, and a parameter is not ''
    (PostgreSQL puts the value in before planning). With the French twins of the title
    indexes (french_twin), each French sort reads its order from one; without them both
    databases sorted every published commitment for each French page (4 ms at 10,000)."""

    arity = 2
    output_field = models.CharField()

    def __init__(self, **extra):
        super().__init__(models.F("title_fr"), models.F("title"), **extra)

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context):
        (french, french_params), (english, english_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return f"COALESCE(NULLIF({french}, ''), {english})", (*french_params, *english_params)


def french_twin(index: models.Index) -> models.Index:
    """`index` with the French title where it has the title, for the sorts that end with it."""
    parts = [FrenchTitle() if field == "title" else models.F(field) for field in index.fields]
    return models.Index(*parts, name=f"{index.name.removesuffix('_idx')}_fr_idx", condition=index.condition)


# The table's sorts that end with the title, each read in its index's order. The French
# ones end with the French title (FrenchTitle): each has a twin on it (french_twin), and
# Commitment.Meta.indexes holds both.
TITLE_SORT_INDEXES = (
    models.Index(fields=("made_on", "title"), name="commitment_made_title_idx"),
    models.Index(fields=("title",), name="commitment_title_idx"),
    models.Index(fields=("target_value", "title"), name="commitment_target_title_idx"),
    models.Index(fields=("current_progress", "title"), name="commitment_progress_idx"),
    models.Index(fields=("current_status", "title"), name="commitment_status_title_idx"),
    # The table's two main facets together ("peacekeeping, in progress"), in the
    # default order: page and count from the index, without reading other themes' rows.
    models.Index(
        fields=("current_status", "theme", "made_on", "title"),
        name="commitment_status_theme_idx",
        condition=Q(is_published=True),
    ),
    # The source sort ends in id: commitments made by one document often share a title.
    models.Index(fields=("primary_source_title", "title", "id"), name="commitment_source_title_idx"),
)
