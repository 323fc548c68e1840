"""search index: FTS5 tables on SQLite, tsvector + pg_trgm on PostgreSQL

The index is not a SQLModel table (its content comes from fugashi in app.search), so
migrations/env.py tells autogenerate to leave these objects alone.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = [
    # names / body / kana / pairs hold pre-tokenised lemmas, readings and joined word pairs
    # (app.search.document); unicode61 only splits on the spaces and folds case. Phrases are answered
    # from the pairs, so no positions are kept (detail=column: smaller, faster).
    "CREATE VIRTUAL TABLE incident_fts USING fts5("
    "names, body, kana, pairs, tokenize = 'unicode61 remove_diacritics 0', detail = column)",
    # Substrings of three or more characters (katakana compounds, unknown names).
    "CREATE VIRTUAL TABLE incident_trigram USING fts5(raw, tokenize = 'trigram')",
    # Deleting an incident removes its index rows; inserts and edits are reindexed by
    # app.search.reindex_incident (fugashi runs in Python). A batch "move and copy" of the
    # incident table in a later migration drops this trigger: recreate it there.
    "CREATE TRIGGER incident_search_delete AFTER DELETE ON incident BEGIN "
    "DELETE FROM incident_fts WHERE rowid = old.id; "
    "DELETE FROM incident_trigram WHERE rowid = old.id; END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS incident_search_delete",
    "DROP TABLE IF EXISTS incident_trigram",
    "DROP TABLE IF EXISTS incident_fts",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE incident_search ("
    " incident_id integer PRIMARY KEY REFERENCES incident(id) ON DELETE CASCADE,"
    " tsv tsvector NOT NULL,"  # every lexeme, no positions: GIN answers without rechecks
    " names_tsv tsvector NOT NULL,"  # organisation, service, vendor: ranks names first
    " raw text NOT NULL)",
    "CREATE INDEX ix_incident_search_tsv ON incident_search USING gin (tsv)",
    "CREATE INDEX ix_incident_search_names ON incident_search USING gin (names_tsv)",
    "CREATE INDEX ix_incident_search_raw ON incident_search USING gin (raw gin_trgm_ops)",
]
POSTGRES_DOWN = ["DROP TABLE IF EXISTS incident_search"]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UP if sqlite else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWN if sqlite else POSTGRES_DOWN:
        op.execute(statement)
