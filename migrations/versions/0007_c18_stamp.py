"""the search stamp bumped by the database on every write a page can show (#18)

Until now ``app.search`` bumped ``incident_search_state.stamp`` itself, when it wrote index
rows; a write that went around it (an UPDATE in psql, a script, a tool) left every cache keyed
by the stamp — counts, facets, charts, and now whole pages (``app.web.cache``) — serving the
old data. These triggers bump it on INSERT, UPDATE and DELETE of the tables the public pages
read: incident, organization, source, incidentsource, incidentevent, revision.

SQLite: a row trigger per table and event (SQLite has no others); the whole database is
locked by its writer, so the order of locks cannot matter.

PostgreSQL: a deferred constraint trigger per table, so the stamp's row is locked at COMMIT,
after the transaction's own rows, never in the middle of it (two writers taking the stamp's
row first and each other's incident rows next would deadlock). The first row of a transaction
bumps; the rest see a transaction-local setting and return. The existing statement trigger on
incident still covers DELETE and TRUNCATE at once.

Revision ID: 0007_c18_stamp
Revises: 0007_c15_ppc (after it: a table rebuilt by a later migration would lose these triggers on SQLite)
"""
from alembic import op

revision = "0007_c18_stamp"
down_revision = "0007_c15_ppc"
branch_labels = None
depends_on = None

TABLES = ("incident", "organization", "source", "incidentsource", "incidentevent", "revision")
EVENTS = ("INSERT", "UPDATE", "DELETE")
SQLITE_BUMP = "UPDATE incident_search_state SET stamp = random() WHERE id = 1"  # as app.search.sqlite


def _sqlite_name(table: str, event: str) -> str:
    return f"c18_stamp_{table}_{event.lower()}"


def _sqlite_up() -> list[str]:
    return [f"CREATE TRIGGER IF NOT EXISTS {_sqlite_name(t, e)} AFTER {e} ON {t} BEGIN {SQLITE_BUMP}; END"
            for t in TABLES for e in EVENTS
            if (t, e) != ("incident", "DELETE")]  # incident_search_delete (0003) bumps already


def _sqlite_down() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {_sqlite_name(t, e)}" for t in TABLES for e in EVENTS]


POSTGRES_UP = [
    "CREATE OR REPLACE FUNCTION c18_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF current_setting('rouei.stamp_bumped', true) IS DISTINCT FROM 'yes' THEN "
    "UPDATE incident_search_state SET stamp = (floor(random() * 9e15))::bigint WHERE id = 1; "
    "PERFORM set_config('rouei.stamp_bumped', 'yes', true); "
    "END IF; RETURN NULL; END $$",
    *(f"CREATE CONSTRAINT TRIGGER c18_stamp_{t} AFTER INSERT OR UPDATE OR DELETE ON {t} "
      "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION c18_stamp_bump()" for t in TABLES),
]
POSTGRES_DOWN = [
    *(f"DROP TRIGGER IF EXISTS c18_stamp_{t} ON {t}" for t in TABLES),
    "DROP FUNCTION IF EXISTS c18_stamp_bump()",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite_up() if sqlite else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite_down() if sqlite else POSTGRES_DOWN:
        op.execute(statement)
