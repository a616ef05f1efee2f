"""Each commitment's documents and criteria as the CSV export writes them, kept by the
database in the same transaction as every change to them.

The export wrote these three columns by reading every quote link of every commitment and
its criteria: a quarter of a full download's time (the links alone, 28,500 rows for 9,500
commitments). Here the database keeps them on one row per commitment, so the export reads
them with the commitment's own row.

Triggers, not Python, keep them: a trigger fires whatever path wrote the row (the admin, a
service, a bulk update, raw SQL, another server), so the text never lags what the links,
quotes, documents and criteria say. What the triggers write is what the model path writes
(selectors.documents_of, `criteria.all()`): tests/test_source_text.py holds them together
after each kind of write, and tests/test_export_records.py holds the export's bytes to the
model instances'. Like the version's triggers (triggers.py) they are dropped before every
`migrate` and made afresh after it, every row written again.

On PostgreSQL two transactions could each read the other's change as not yet made and the
later write keep stale text (a document renamed while a draft's criterion is added). So each
trigger first waits for the public data version's row, which every transaction writing these
tables then holds until it commits (as the version's own triggers hold it for public
changes): the text is written from a snapshot taken after any earlier writer committed.
SQLite lets one writer at a time."""

from django.db import DEFAULT_DB_ALIAS, connections, models

from .commitments import Commitment
from .triggers import VERSION_TABLE, drop_named

TABLE = "commitments_commitmentsourcetext"


class CommitmentSourceText(models.Model):
    """Derived: written only by the database's triggers (never by the app), one row for each
    commitment from its insertion, read only by the commitments export."""

    # DO_NOTHING: the row goes with its commitment by a trigger, after the deletion of the
    # links has written it once more (Django deletes a commitment's links first).
    commitment = models.OneToOneField(
        Commitment, on_delete=models.DO_NOTHING, primary_key=True, related_name="source_text"
    )
    # Its distinct documents in the page's order (LINK_ORDER): titles, "; " between them;
    # the UN symbols among them; its success criteria in order, " | " between them.
    document_titles = models.TextField()
    document_symbols = models.TextField()
    criteria = models.TextField()

    def __str__(self) -> str:
        return f"sources of commitment {self.commitment_id}"


# Each commitment's text, for the commitments `c` selects: its distinct documents, each
# with its date and first quote, put in the page's order. SQLite's group_concat reads an
# ordered subquery in its order (an aggregate's FROM subquery is never flattened);
# PostgreSQL orders string_agg itself.
_DOCUMENTS = """
  SELECT d.title, d.symbol, d.issued_on, min(cq.quote_id) AS first_quote FROM commitments_commitmentquote cq
  JOIN commitments_quote q ON q.id = cq.quote_id
  JOIN commitments_sourcedocument d ON d.id = q.source_id
  WHERE cq.commitment_id = c.id
  GROUP BY d.id, d.title, d.symbol, d.issued_on"""
_IN_ORDER = "ORDER BY issued_on IS NULL, issued_on, first_quote"
_CRITERIA = "FROM commitments_successcriterion s WHERE s.commitment_id = c.id"
SQLITE_TEXTS = (
    f"(SELECT coalesce(group_concat(title, '; '), '') FROM ({_DOCUMENTS} {_IN_ORDER}))",
    f"(SELECT coalesce(group_concat(symbol, '; '), '') FROM ({_DOCUMENTS} {_IN_ORDER}) WHERE symbol <> '')",
    f"(SELECT coalesce(group_concat(text, ' | '), '') FROM (SELECT s.text {_CRITERIA} ORDER BY s.position, s.id))",
)
POSTGRES_TEXTS = (
    f"(SELECT coalesce(string_agg(title, '; ' {_IN_ORDER}), '') FROM ({_DOCUMENTS}) documents)",
    f"(SELECT coalesce(string_agg(symbol, '; ' {_IN_ORDER}), '') FROM ({_DOCUMENTS}) documents WHERE symbol <> '')",
    f"(SELECT coalesce(string_agg(s.text, ' | ' ORDER BY s.position, s.id), '') {_CRITERIA})",
)


def _write(texts: tuple[str, str, str], commitments: str) -> str:
    """The statement writing the text of the commitments `commitments` (SQL over c) selects."""
    return (
        f"INSERT INTO {TABLE} (commitment_id, document_titles, document_symbols, criteria) "
        f"SELECT c.id, {', '.join(texts)} FROM commitments_commitment c WHERE {commitments} "
        "ON CONFLICT (commitment_id) DO UPDATE SET document_titles = excluded.document_titles, "
        "document_symbols = excluded.document_symbols, criteria = excluded.criteria"
    )


# table -> (the columns whose change matters, the commitments a row of it names, with {row}
# for OLD or NEW). A new document or quote names the commitments already linked to it: a
# fixture may load the links before the rows they point to.
_LINKED_TO_QUOTE = "c.id IN (SELECT commitment_id FROM commitments_commitmentquote WHERE quote_id = {row}.id)"
_LINKED_TO_DOCUMENT = (
    "c.id IN (SELECT cq.commitment_id FROM commitments_commitmentquote cq "
    "JOIN commitments_quote q ON q.id = cq.quote_id WHERE q.source_id = {row}.id)"
)
WATCHED = {
    "commitments_commitmentquote": ("commitment_id, quote_id", "c.id = {row}.commitment_id"),
    "commitments_quote": ("source_id", _LINKED_TO_QUOTE),
    "commitments_sourcedocument": ("title, symbol, issued_on", _LINKED_TO_DOCUMENT),
    "commitments_successcriterion": ("commitment_id, text, position", "c.id = {row}.commitment_id"),
}


def sqlite_statements() -> list[str]:
    statements = []
    for table, (columns, names) in WATCHED.items():
        events = {
            "insert": ("AFTER INSERT", ["NEW"]),
            "update": (f"AFTER UPDATE OF {columns}", ["OLD", "NEW"]),
            "delete": ("AFTER DELETE", ["OLD"]),
        }
        for event, (when, rows) in events.items():
            body = "; ".join(_write(SQLITE_TEXTS, names.format(row=row)) for row in rows)
            statements.append(f"CREATE TRIGGER {table}_source_text_{event} {when} ON {table} BEGIN {body}; END")
    # A new commitment's own row (a fixture may load its links and criteria before it); a
    # deleted one's row goes with it.
    statements += [
        f"CREATE TRIGGER commitments_commitment_source_text_insert AFTER INSERT ON commitments_commitment "
        f"BEGIN {_write(SQLITE_TEXTS, 'c.id = NEW.id')}; END",
        f"CREATE TRIGGER commitments_commitment_source_text_delete AFTER DELETE ON commitments_commitment "
        f"BEGIN DELETE FROM {TABLE} WHERE commitment_id = OLD.id; END",
    ]
    return statements


# Each statement after it reads a new snapshot (PL/pgSQL, read committed).
_WAIT_FOR_EARLIER_WRITERS = f"PERFORM 1 FROM {VERSION_TABLE} WHERE id = 1 FOR NO KEY UPDATE"


def postgres_statements() -> list[str]:
    statements = []
    for table, (columns, names) in WATCHED.items():
        function = f"{table}_source_text"
        old, new = (_write(POSTGRES_TEXTS, names.format(row=row)) for row in ("OLD", "NEW"))
        statements += [
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_WAIT_FOR_EARLIER_WRITERS};
  IF TG_OP <> 'INSERT' THEN {old}; END IF;
  IF TG_OP <> 'DELETE' THEN {new}; END IF;
  RETURN NULL;
END $$""",
            f"CREATE TRIGGER {table}_source_text AFTER INSERT OR DELETE OR UPDATE OF {columns} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
    statements += [
        f"""CREATE OR REPLACE FUNCTION commitments_commitment_source_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN DELETE FROM {TABLE} WHERE commitment_id = OLD.id; RETURN NULL; END IF;
  {_WAIT_FOR_EARLIER_WRITERS};
  {_write(POSTGRES_TEXTS, "c.id = NEW.id")};
  RETURN NULL;
END $$""",
        "CREATE TRIGGER commitments_commitment_source_text AFTER INSERT OR DELETE ON commitments_commitment "
        "FOR EACH ROW EXECUTE FUNCTION commitments_commitment_source_text()",
    ]
    return statements


def create_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    """The triggers afresh, and every commitment's text written again, once the table exists."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    drop_triggers(using)
    with connection.cursor() as cursor:
        if TABLE not in connection.introspection.table_names(cursor):
            return  # migrated to before the table existed
        sqlite = connection.vendor == "sqlite"
        for statement in sqlite_statements() if sqlite else postgres_statements():
            cursor.execute(statement)
        cursor.execute(_write(SQLITE_TEXTS if sqlite else POSTGRES_TEXTS, "true"))


def drop_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    events = {table: ("insert", "update", "delete") for table in WATCHED} | {
        "commitments_commitment": ("insert", "delete")
    }
    drop_named(
        using,
        sqlite_triggers=[f"{table}_source_text_{event}" for table, names in events.items() for event in names],
        postgres_functions=[f"{table}_source_text" for table in events],
    )


def before_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    drop_triggers(using)


def after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    create_triggers(using)
