"""The triggers that note, in commitments_searchchange, each record whose public flag may
have to change, in the same transaction as the change, whatever path made it (the admin, a
service, a bulk action, raw SQL, another server).

Whether a record is public depends on a few columns (selectors.public_quotes and the
rest): a commitment's is_published; a quote's links, restatements and the updates citing
it, and its other-language twin; an update's review state and commitment; a document's
quotes. The triggers note the record a changed row names (a link notes its quote, an update
its own id and the quote it cites, a quote itself, its twin and its document) for the rows
before and after the change; visibility.py adds those depending on them (a commitment's
updates and quotes) when it sets the flags. Made with the index's triggers after every
migrate (schema.create_triggers)."""

from django.db.backends.base.base import BaseDatabaseWrapper

CHANGES = "commitments_searchchange"
# table -> (the columns whose change can change a record's publicness, the records it notes
# as (kind, column of the row)).
WATCHED = {
    "commitments_commitment": ("is_published", [("commitment", "id")]),
    "commitments_commitmentquote": ("quote_id, commitment_id", [("quote", "quote_id")]),
    "commitments_restatement": ("quote_id, commitment_id", [("quote", "quote_id")]),
    "commitments_statusupdate": (
        "review_state, evidence_quote_id, commitment_id",
        [("update", "id"), ("quote", "evidence_quote_id")],
    ),
    "commitments_quote": (
        "translation_of_id, source_id",
        [("quote", "id"), ("quote", "translation_of_id"), ("document", "source_id")],
    ),
}


def _note(noted: list[tuple[str, str]], row: str) -> str:
    return " ".join(
        f"INSERT INTO {CHANGES} (kind, record_id) SELECT '{kind}', {row}.{column} WHERE {row}.{column} IS NOT NULL;"
        for kind, column in noted
    )


def _moved(columns: str, differ: str) -> str:
    """The columns' values before and after differ (a save writes every column, moved or not)."""
    return " OR ".join(f"OLD.{column} {differ} NEW.{column}" for column in columns.split(", "))


def _sqlite_statements(table: str, columns: str, noted: list[tuple[str, str]]) -> list[str]:
    name = f"search_change_{table.removeprefix('commitments_')}"
    return [
        f"CREATE TRIGGER {name}_inserted AFTER INSERT ON {table} BEGIN {_note(noted, 'NEW')} END",
        f"CREATE TRIGGER {name}_changed AFTER UPDATE OF {columns} ON {table} WHEN {_moved(columns, 'IS NOT')} "
        f"BEGIN {_note(noted, 'OLD')} {_note(noted, 'NEW')} END",
        f"CREATE TRIGGER {name}_deleted AFTER DELETE ON {table} BEGIN {_note(noted, 'OLD')} END",
    ]


def _postgres_statements(table: str, columns: str, noted: list[tuple[str, str]]) -> list[str]:
    function = f"search_change_{table.removeprefix('commitments_')}"
    return [
        f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO {CHANGES} (kind, record_id) VALUES ('all', 0);
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND NOT ({_moved(columns, "IS DISTINCT FROM")}) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN {_note(noted, "OLD")} END IF;
    IF TG_OP <> 'DELETE' THEN {_note(noted, "NEW")} END IF;
    RETURN NULL;
END $$""",
        f"CREATE TRIGGER search_change AFTER INSERT OR DELETE OR UPDATE OF {columns} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER search_change_truncate AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]


def create_triggers(connection: BaseDatabaseWrapper) -> None:
    """The triggers, and every flag to be set again (the entries were just rebuilt)."""
    statements = _postgres_statements if connection.vendor == "postgresql" else _sqlite_statements
    with connection.cursor() as cursor:
        for table, (columns, noted) in WATCHED.items():
            for statement in statements(table, columns, noted):
                cursor.execute(statement)
        cursor.execute(f"DELETE FROM {CHANGES}")
        cursor.execute(f"INSERT INTO {CHANGES} (kind, record_id) VALUES ('all', 0)")


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for table in WATCHED:
            name = f"search_change_{table.removeprefix('commitments_')}"
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}() CASCADE")
            else:
                for event in ("inserted", "changed", "deleted"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")
