"""search speed: a version for caching search results, and indexes the search page reads

- ``incident_search_state``: one row whose ``stamp`` is replaced by a new random number with
  every change the search index or the facet counts could see (``app.search.index`` replaces it
  whenever it writes index rows; deleting or truncating incidents does through a trigger).
  app.search caches counts per query under the stamp, so several server processes never
  serve counts older than the store. A random stamp, not a counter: a rolled-back change or
  a table made again can never bring back a stamp that some cache still holds.
- ``ix_incident_facets``: one pass over this covering index counts every facet of a search
  (attack type, year of disclosure, vendor, card data) for the live incidents, in its order.
- ``ix_incident_newest`` / ``_records`` / ``_delay``: the home page's three orders, so the
  first page of a common search is read in order and stops after 25 rows instead of sorting
  every match. ``merged_into_id`` comes last in each, so the live check needs no row, and the
  planner never takes these for a lookup of merged incidents.

Expression indexes are not declared on the models (their expressions differ per engine), so
``app.search.index.alembic_include_object`` tells autogenerate to leave them alone.

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SQLITE_RANDOM = "random()"
POSTGRES_RANDOM = "(floor(random() * 9e15))::bigint"


def _state(random: str) -> list[str]:
    return [
        "CREATE TABLE incident_search_state ("
        " id integer PRIMARY KEY CHECK (id = 1),"
        " stamp bigint NOT NULL)",
        f"INSERT INTO incident_search_state (id, stamp) VALUES (1, {random})",
    ]


def _bump(random: str) -> str:
    """The statement app.search runs too (bump_sql in app.search.sqlite and .postgres): keep them the same."""
    return f"UPDATE incident_search_state SET stamp = {random} WHERE id = 1"


# The year and delay expressions are written as SQLAlchemy compiles app.search.filters.year_of
# and each Engine's delay() (app.search.sqlite, app.search.postgres): an expression index is used only when the query's expression
# is the same.
SQLITE_UP = _state(SQLITE_RANDOM) + [
    "DROP TRIGGER IF EXISTS incident_search_delete",
    "CREATE TRIGGER incident_search_delete AFTER DELETE ON incident BEGIN "
    "DELETE FROM incident_fts WHERE rowid = old.id; "
    "DELETE FROM incident_trigram WHERE rowid = old.id; "
    f"{_bump(SQLITE_RANDOM)}; END",
    "CREATE INDEX ix_incident_facets ON incident (attack_type, "
    "CAST(STRFTIME('%Y', disclosed_on) AS INTEGER), vendor, (card_records IS NULL), merged_into_id)",
    "CREATE INDEX ix_incident_newest ON incident ("
    "coalesce(disclosed_on, discovered_on) DESC, id DESC, merged_into_id)",
    "CREATE INDEX ix_incident_records ON incident ("
    "coalesce(records_max, -1) DESC, id DESC, merged_into_id)",
    "CREATE INDEX ix_incident_delay ON incident ("
    "coalesce(julianday(disclosed_on) - julianday(discovered_on), -1) DESC, id DESC, merged_into_id)",
]
SQLITE_DOWN = [
    "DROP INDEX IF EXISTS ix_incident_delay",
    "DROP INDEX IF EXISTS ix_incident_records",
    "DROP INDEX IF EXISTS ix_incident_newest",
    "DROP INDEX IF EXISTS ix_incident_facets",
    "DROP TRIGGER IF EXISTS incident_search_delete",
    "CREATE TRIGGER incident_search_delete AFTER DELETE ON incident BEGIN "
    "DELETE FROM incident_fts WHERE rowid = old.id; "
    "DELETE FROM incident_trigram WHERE rowid = old.id; END",
    "DROP TABLE IF EXISTS incident_search_state",
]
POSTGRES_UP = _state(POSTGRES_RANDOM) + [
    # Keep incident_search's rows narrow: each tsvector and text goes to TOAST, so the GIN
    # index's matches are checked on a small heap (18 MB → 0.9 MB at 10k incidents) and a
    # common word's bitmap scan takes ~1.5 ms instead of ~130 ms. Rows are written again so
    # the existing ones move too.
    "ALTER TABLE incident_search SET (toast_tuple_target = 128)",
    "CREATE TEMPORARY TABLE incident_search_rewrite AS SELECT * FROM incident_search",
    "DELETE FROM incident_search",
    "INSERT INTO incident_search SELECT * FROM incident_search_rewrite",
    "DROP TABLE incident_search_rewrite",
    # Deleting incidents removes their index rows by ON DELETE CASCADE; count it as a change.
    "CREATE FUNCTION incident_search_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"{_bump(POSTGRES_RANDOM)}; RETURN NULL; END $$",
    "CREATE TRIGGER incident_search_delete AFTER DELETE OR TRUNCATE ON incident "
    "FOR EACH STATEMENT EXECUTE FUNCTION incident_search_bump()",
    "CREATE INDEX ix_incident_facets ON incident (attack_type, "
    "(EXTRACT(year FROM disclosed_on)), vendor, (card_records IS NULL), merged_into_id)",
    "CREATE INDEX ix_incident_newest ON incident ("
    "(coalesce(disclosed_on, discovered_on)) DESC NULLS LAST, id DESC, merged_into_id)",
    "CREATE INDEX ix_incident_records ON incident ("
    "(coalesce(records_max, -1)) DESC, id DESC, merged_into_id)",
    "CREATE INDEX ix_incident_delay ON incident ("
    "(coalesce(disclosed_on - discovered_on, -1)) DESC, id DESC, merged_into_id)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_incident_delay",
    "DROP INDEX IF EXISTS ix_incident_records",
    "DROP INDEX IF EXISTS ix_incident_newest",
    "DROP INDEX IF EXISTS ix_incident_facets",
    "DROP TRIGGER IF EXISTS incident_search_delete ON incident",
    "DROP FUNCTION IF EXISTS incident_search_bump()",
    "DROP TABLE IF EXISTS incident_search_state",
    "ALTER TABLE incident_search RESET (toast_tuple_target)",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UP if sqlite else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWN if sqlite else POSTGRES_DOWN:
        op.execute(statement)
