"""The index's database side, per database: PostgreSQL's text-search configurations and
extensions, SQLite's FTS5 tables, and on both the triggers that keep commitments_searchentry
current in the same transaction as every write. Migration 0027 runs create(); the triggers
are dropped before every migrate and made afresh after it, every row indexed again
(create_triggers), so a rebuilt table or a changed label never leaves the index stale.

A changed record's row is rewritten in place (an upsert), keeping its public flag: the
change may be one readers cannot see, which notes nothing for visibility.py to set again."""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import translation

from ..models import StatementKind, Theme
from . import changes

logger = logging.getLogger(__name__)

ENTRY = "commitments_searchentry"
# Every indexed text (a document's, and a summary, quote or rationale pasted whole) is cut
# here before PostgreSQL builds its vector (a tsvector holds at most 1 MB); SQLite's FTS5 has
# no such limit but cuts at the same place for equal answers.
MAX_INDEXED_CHARS = 300_000


def _labels_sql(column: str, choices) -> str:
    """A CASE giving a code's label in English and French, as they were when the
    migration ran (labels are words readers type: "peacekeeping", « maintien de la paix »)."""
    branches = []
    for code, label in choices:
        with translation.override("en"):
            english = str(label)
        with translation.override("fr"):
            french = str(label)
        words = f"{english} {french}".replace("'", "''")
        branches.append(f"WHEN '{code}' THEN '{words}'")
    return f"CASE {column} {' '.join(branches)} ELSE '' END"


def _records() -> dict[str, tuple[str, str, str, str, str]]:
    """Per kind: its table, the columns whose change re-indexes it, and the SQL of its
    title, body and labels (NEW. is the written row)."""
    labels = f"{_labels_sql('NEW.theme', Theme.choices)} || ' ' || {_labels_sql('NEW.kind', StatementKind.choices)}"
    return {
        "commitment": (
            "commitments_commitment",
            "title, title_fr, summary, summary_fr, theme, kind",
            "NEW.title || ' ' || NEW.title_fr",
            f"substr(NEW.summary || ' ' || NEW.summary_fr, 1, {MAX_INDEXED_CHARS})",
            labels,
        ),
        "quote": ("commitments_quote", "text", "''", f"substr(NEW.text, 1, {MAX_INDEXED_CHARS})", "''"),
        "document": (
            "commitments_sourcedocument",
            "title, symbol, full_text",
            "NEW.title || ' ' || NEW.symbol",
            f"substr(NEW.full_text, 1, {MAX_INDEXED_CHARS})",
            "''",
        ),
        "update": (
            "commitments_statusupdate",
            "rationale",
            "''",
            f"substr(NEW.rationale, 1, {MAX_INDEXED_CHARS})",
            "''",
        ),
    }


# ASCII punctuation (PostgreSQL's regular expressions read these escapes): what separates
# words as SQLite's tokenizer separates them; for the vocabulary, digits and the typographic
# spaces, quotes and dashes of French text too.
SEPARATORS = r"[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+"
NOT_LETTERS = r"[\x01-\x40\x5b-\x60\x7b-\x7f\u00a0\u00ab\u00bb\u2018\u2019\u201c\u201d\u2013\u2014\u2026]+"

POSTGRES_SETUP = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- Stemmers without stop words, so a word like "will" or « sans » is found as on SQLite.
CREATE TEXT SEARCH DICTIONARY tracker_english_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH DICTIONARY tracker_french_stem (TEMPLATE = snowball, Language = french);
CREATE TEXT SEARCH CONFIGURATION tracker_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION tracker_en
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, tracker_english_stem;
CREATE TEXT SEARCH CONFIGURATION tracker_fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION tracker_fr
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, tracker_french_stem;
CREATE INDEX search_entry_vector_gin ON commitments_searchentry USING gin (vector);
CREATE INDEX search_word_trigram ON commitments_searchword USING gin (word gin_trgm_ops);
-- Words as SQLite's unicode61 sees them: PostgreSQL's parser would keep "A/57/303",
-- "peace-keeping" or "l'ONU" whole, which a reader's "A/57/303" (the phrase a 57 303) misses.
CREATE FUNCTION search_split_words(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace($1, '{SEPARATORS}', ' ', 'g')
$$;
CREATE FUNCTION search_vector(words text, weight "char") RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
    SELECT setweight(to_tsvector('tracker_en', words), weight) || setweight(to_tsvector('tracker_fr', words), weight)
$$;
"""

# Made afresh with the triggers (after every migrate), so a database indexed by an earlier
# version of it gets this one: a changed record's row rewritten in place.
POSTGRES_STORE = f"""
CREATE OR REPLACE FUNCTION search_store(entry_kind text, id bigint, title text, body text, labels text)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO commitments_searchentry (kind, record_id, title, body, labels, vector)
    VALUES (entry_kind, id, title, body, labels,
        search_vector(search_split_words(title), 'A') || search_vector(search_split_words(body), 'B')
        || search_vector(search_split_words(labels), 'C'))
    ON CONFLICT (kind, record_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body,
        labels = EXCLUDED.labels, vector = EXCLUDED.vector;
    INSERT INTO commitments_searchword (word)
    SELECT DISTINCT word
    FROM regexp_split_to_table(lower(title || ' ' || body || ' ' || labels), '{NOT_LETTERS}') AS word
    WHERE length(word) BETWEEN 3 AND 40
    ON CONFLICT (word) DO NOTHING;
$$;
"""

POSTGRES_TEARDOWN = """
DROP FUNCTION IF EXISTS search_store(text, bigint, text, text, text) CASCADE;
DROP FUNCTION IF EXISTS search_vector(text, "char");
DROP FUNCTION IF EXISTS search_split_words(text);
DROP INDEX IF EXISTS search_entry_vector_gin;
DROP INDEX IF EXISTS search_word_trigram;
DROP TEXT SEARCH CONFIGURATION IF EXISTS tracker_en;
DROP TEXT SEARCH CONFIGURATION IF EXISTS tracker_fr;
DROP TEXT SEARCH DICTIONARY IF EXISTS tracker_english_stem;
DROP TEXT SEARCH DICTIONARY IF EXISTS tracker_french_stem;
"""

# Porter stems English ("troops" -> troop) and, well enough, French endings ("déployés" and
# « déployer » -> deploy) once unicode61 has removed accents and case. search_words, unstemmed
# and without positions, feeds the vocabulary that "Did you mean" reads.
SQLITE_SETUP = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body, labels, content='{ENTRY}', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE VIRTUAL TABLE search_words USING fts5(
    title, body, labels, content='{ENTRY}', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', detail=none)""",
    "CREATE VIRTUAL TABLE search_vocabulary USING fts5vocab(search_words, 'row')",
]
# The FTS5 tables follow the entries' rows (external content). Made with the records'
# triggers after every migrate: a migration that changes the entries' table rebuilds it.
_FTS_INSERT = """
    INSERT INTO search_fts (rowid, title, body, labels) VALUES (NEW.id, NEW.title, NEW.body, NEW.labels);
    INSERT INTO search_words (rowid, title, body, labels) VALUES (NEW.id, NEW.title, NEW.body, NEW.labels);"""
_FTS_DELETE = """
    INSERT INTO search_fts (search_fts, rowid, title, body, labels)
    VALUES ('delete', OLD.id, OLD.title, OLD.body, OLD.labels);
    INSERT INTO search_words (search_words, rowid, title, body, labels)
    VALUES ('delete', OLD.id, OLD.title, OLD.body, OLD.labels);"""
SQLITE_ENTRY_TRIGGERS = {
    "search_entry_inserted": f"AFTER INSERT ON {ENTRY} BEGIN {_FTS_INSERT} END",
    "search_entry_deleted": f"AFTER DELETE ON {ENTRY} BEGIN {_FTS_DELETE} END",
    "search_entry_changed": f"AFTER UPDATE OF title, body, labels ON {ENTRY} BEGIN {_FTS_DELETE} {_FTS_INSERT} END",
}

SQLITE_TEARDOWN = """
DROP TABLE IF EXISTS search_vocabulary;
DROP TABLE IF EXISTS search_words;
DROP TABLE IF EXISTS search_fts;
"""


def _postgres_triggers() -> list[str]:
    statements = [POSTGRES_STORE]
    for kind, (table, columns, title, body, labels) in _records().items():
        function = f"search_index_{kind}"
        statements += [
            f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM {ENTRY} WHERE kind = '{kind}' AND record_id = OLD.id;
    ELSE
        PERFORM search_store('{kind}', NEW.id, {title}, {body}, {labels});
    END IF;
    RETURN NULL;
END $$""",
            f"CREATE TRIGGER search_index AFTER INSERT OR DELETE OR UPDATE OF {columns} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            # Rows already there (the migration's run on an existing database).
            f"SELECT search_store('{kind}', NEW.id, {title}, {body}, {labels}) FROM {table}".replace(
                "NEW.", f"{table}."
            ),
        ]
    return statements


def _sqlite_triggers() -> list[str]:
    statements = [f"CREATE TRIGGER {name} {body}" for name, body in SQLITE_ENTRY_TRIGGERS.items()]
    for kind, (table, columns, title, body, labels) in _records().items():
        store = (
            f"INSERT INTO {ENTRY} (kind, record_id, title, body, labels) "
            f"VALUES ('{kind}', NEW.id, {title}, {body}, {labels})"
        )
        rewrite = (
            f"{store} ON CONFLICT (kind, record_id) DO UPDATE"
            " SET title = excluded.title, body = excluded.body, labels = excluded.labels;"
        )
        forget = f"DELETE FROM {ENTRY} WHERE kind = '{kind}' AND record_id = OLD.id;"
        statements += [
            f"CREATE TRIGGER search_{kind}_inserted AFTER INSERT ON {table} BEGIN {store}; END",
            f"CREATE TRIGGER search_{kind}_changed AFTER UPDATE OF {columns} ON {table} BEGIN {rewrite} END",
            f"CREATE TRIGGER search_{kind}_deleted AFTER DELETE ON {table} BEGIN {forget} END",
            f"INSERT INTO {ENTRY} (kind, record_id, title, body, labels) "
            f"SELECT '{kind}', NEW.id, {title}, {body}, {labels} FROM {table}".replace("NEW.", f"{table}."),
        ]
    return statements


def create_public_indexes(connection: BaseDatabaseWrapper) -> None:
    """PostgreSQL: one GIN index per kind over its public entries (migration 0028), so a
    search of one kind reads its own public matches only; from the index of every entry, a
    word found in 5,000 quotes made each kind's count visit all 5,000 rows (16-49 ms each)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for kind in _records():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS search_public_{kind}_gin ON {ENTRY} USING gin (vector) "
                f"WHERE public AND kind = '{kind}'"
            )


def drop_public_indexes(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for kind in _records():
                cursor.execute(f"DROP INDEX IF EXISTS search_public_{kind}_gin")


def create(connection: BaseDatabaseWrapper) -> None:
    """The index's tables, configurations and extensions (migration 0027). Its triggers are
    made by create_triggers after every migrate."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_SETUP)
        else:
            for statement in SQLITE_SETUP:
                cursor.execute(statement)


def drop(connection: BaseDatabaseWrapper) -> None:
    drop_triggers(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_TEARDOWN)
        else:
            for statement in SQLITE_TEARDOWN.strip().split(";"):
                if statement.strip():
                    cursor.execute(statement)


def create_triggers(connection: BaseDatabaseWrapper) -> None:
    """The indexed tables' triggers afresh, and every row indexed again, once the index
    exists. Run after every migrate (apps.py): on SQLite a migration that changes a table
    rebuilds it, dropping its triggers, and labels read into the triggers may have changed."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    with connection.cursor() as cursor:
        if ENTRY not in connection.introspection.table_names(cursor):
            return  # migrated to before the index existed
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ENTRY}")
        if connection.vendor == "sqlite":  # the entries went without their triggers
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
            cursor.execute("INSERT INTO search_words (search_words) VALUES ('delete-all')")
        for statement in _postgres_triggers() if connection.vendor == "postgresql" else _sqlite_triggers():
            cursor.execute(statement)
        if changes.CHANGES in connection.introspection.table_names(cursor):
            changes.create_triggers(connection)  # and every public flag to be set again


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    """No trigger during a migration (run before every migrate)."""
    changes.drop_triggers(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = set(connection.introspection.table_names(cursor))
            for kind, (table, *_rest) in _records().items():
                if table in tables:
                    cursor.execute(f"DROP TRIGGER IF EXISTS search_index ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS search_index_{kind}()")
        elif connection.vendor == "sqlite":
            for kind in _records():
                for event in ("inserted", "changed", "deleted"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS search_{kind}_{event}")
            for name in SQLITE_ENTRY_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def before_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    connection = connections[using]
    drop_triggers(connection)
    with connection.cursor() as cursor:
        if changes.CHANGES in connection.introspection.table_names(cursor):
            # No change is noted until after_migrate: searches check each match meanwhile
            # (and after a failed migration, until the next one).
            cursor.execute(f"INSERT INTO {changes.CHANGES} (kind, record_id) VALUES ('migrating', 0)")


def after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    connection = connections[using]
    create_triggers(connection)
    with connection.cursor() as cursor:
        if changes.CHANGES in connection.introspection.table_names(cursor):
            from . import visibility  # (the selectors it reads import this module's package)

            try:
                visibility.set_flags(using)  # now, rather than in a reader's first search
            except (visibility.Busy, DatabaseError):  # a search or a writer meanwhile: the next search
                logger.warning("search: the public flags will be set by the next search", exc_info=True)
