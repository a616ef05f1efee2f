"""The database triggers that move the public data's version (dataversion.py) with every
change a reader could see, on SQLite and PostgreSQL alike.

A trigger fires whatever path wrote the row (the admin, a service, a bulk update, raw SQL,
another server), which Python signals would not. Each public table has a condition on the
row before (UPDATE, DELETE) or after (INSERT, UPDATE) the change: a draft's rows, pending or
returned updates leave the version alone. Documents and quotes move it on every change
(whether one is public depends on four paths through other tables; they change rarely).
A new public table needs its line in PUBLIC_TABLES, and tests/test_data_version.py fails
until every model of the app is named there or in NOT_PUBLIC.

They are dropped before every `migrate` and made afresh after it (apps.py): on SQLite a
migration that changes a table rebuilds it, which would drop that table's triggers and
break those of other tables naming it.
"""

from django.db import DEFAULT_DB_ALIAS, connections

VERSION_TABLE = "commitments_publicdataversion"
OF_PUBLISHED_COMMITMENT = (
    "EXISTS (SELECT 1 FROM commitments_commitment c WHERE c.id = {row}.commitment_id AND c.is_published)"
)
# table -> when a row of it is public, with {row} standing for OLD or NEW.
PUBLIC_TABLES = {
    "commitments_commitment": "{row}.is_published",
    "commitments_commitmentquote": OF_PUBLISHED_COMMITMENT,
    "commitments_successcriterion": OF_PUBLISHED_COMMITMENT,
    "commitments_restatement": OF_PUBLISHED_COMMITMENT,
    "commitments_statusupdate": "{row}.review_state = 'approved' AND " + OF_PUBLISHED_COMMITMENT,
    "commitments_sourcedocument": "1 = 1",
    "commitments_quote": "1 = 1",
    "commitments_datarelease": "1 = 1",
}
# Models whose rows no reader sees: history, accounts, sessions, the version itself.
NOT_PUBLIC = {
    "commitments_publicdataversion",
    "commitments_historicalsourcedocument",
    "commitments_historicalquote",
    "commitments_historicalcommitment",
    "commitments_historicalcommitmentquote",
    "commitments_historicalsuccesscriterion",
    "commitments_historicalrestatement",
    # A brought-in document's original file, passages and suggested sentences: the admin's only.
    "commitments_documentfile",
    "commitments_passage",
    "commitments_suggestion",
    # Readers' suggestions: the editors' queue, never public.
    "commitments_readersuggestion",
    # The search index: derived from the tables above, which move the version themselves.
    "commitments_searchentry",
    "commitments_searchword",
    "commitments_searchchange",
    # The export's text of each commitment's sources: derived from the tables above (sourcetext.py).
    "commitments_commitmentsourcetext",
}

SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '+00:00'"
POSTGRES_NOW = "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00'"


def bump(now: str) -> str:
    # An upsert: the row comes back after a flush; its new time keeps the version from repeating.
    return (
        f"INSERT INTO {VERSION_TABLE} (id, counter, changed_at) VALUES (1, 1, {now}) "
        f"ON CONFLICT (id) DO UPDATE SET counter = {VERSION_TABLE}.counter + 1, changed_at = excluded.changed_at"
    )


def sqlite_statements(table: str, condition: str) -> list[str]:
    statements = []
    for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
        when = " OR ".join(f"({condition.format(row=row)})" for row in rows)
        statements.append(
            f"CREATE TRIGGER {table}_public_{event.lower()} AFTER {event} ON {table} FOR EACH ROW "
            f"WHEN {when} BEGIN {bump(SQLITE_NOW)}; END"
        )
    return statements


def postgres_statements(table: str, condition: str) -> list[str]:
    function = f"{table}_public_change"
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN {bump(POSTGRES_NOW)}; RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN IF {condition.format(row="OLD")} THEN {bump(POSTGRES_NOW)}; RETURN NULL; END IF; END IF;
  IF TG_OP <> 'DELETE' THEN IF {condition.format(row="NEW")} THEN {bump(POSTGRES_NOW)}; END IF; END IF;
  RETURN NULL;
END $$""",
        f"CREATE TRIGGER {table}_public AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {table}_public_truncate AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]


def create_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    """The triggers, afresh, once the version's table exists (and its row, if it is gone)."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    drop_triggers(using)
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if VERSION_TABLE not in tables:
            return  # migrated to before the version existed
        statements = sqlite_statements if connection.vendor == "sqlite" else postgres_statements
        now = SQLITE_NOW if connection.vendor == "sqlite" else POSTGRES_NOW
        cursor.execute(
            f"INSERT INTO {VERSION_TABLE} (id, counter, changed_at) VALUES (1, 1, {now}) ON CONFLICT (id) DO NOTHING"
        )
        for table, condition in PUBLIC_TABLES.items():
            if table in tables:
                for statement in statements(table, condition):
                    cursor.execute(statement)


def drop_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    drop_named(
        using,
        sqlite_triggers=[
            f"{table}_public_{event}" for table in PUBLIC_TABLES for event in ("insert", "update", "delete")
        ],
        postgres_functions=[f"{table}_public_change" for table in PUBLIC_TABLES],
    )


def drop_named(using: str, *, sqlite_triggers: list[str], postgres_functions: list[str]) -> None:
    """Drop these SQLite triggers, or these PostgreSQL trigger functions (CASCADE drops the
    triggers that call them), whichever the database has."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in sqlite_triggers:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            for name in postgres_functions:
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}() CASCADE")


def before_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    drop_triggers(using)


def after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    create_triggers(using)
