"""katakana suffixes and a narrow raw table: PostgreSQL's substring route without unpacking

A katakana term of three or more characters also matches as a substring, because UniDic
splits katakana compounds by context (ランサムウェア is ランサム+ウェア or ラン+サム+ウエア).
On PostgreSQL that substring route was ``raw LIKE '%…%'`` on a pg_trgm index, whose every
candidate must be read back and checked: about 10 µs each, so 200–300 ms for a common word
at 100,000 incidents. Now each katakana run of three or more characters in an incident's
``raw`` text is in its tsvector with every suffix of three or more characters, marked ``~``
(``~ランサムウェア``, ``~ンサムウェア``, …, ``~ウェア``). A katakana term occurs in ``raw``
exactly when it is the prefix of one of them, which the GIN index answers with no recheck
(``'~ランサムウェア':*``).

``app.search.postgres.katakana_suffixes`` computes the same lexemes for every row it writes; this adds
them to the rows already there (one pass over incident_search: about 2 minutes at 100,000).

Other terms that need the substring route (不正ログイン: UniDic reads ログ+イン) still go
through LIKE. ``raw`` moves to its own table, ``incident_search_raw``, where a row of typical
length stays inline and uncompressed: checking a candidate no longer unpacks a TOAST value
(about 50 µs → 5 µs), and incident_search's heap stays as narrow as migration 0003 made it.

SQLite keeps its FTS5 trigram table, which needs no recheck: nothing changes there.

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KATAKANA_RUN = "[ァ-ヺー]{3,}"  # app.search.postgres.KATAKANA_RUN
SUFFIXES = (
    "SELECT array_to_tsvector(array_agg(DISTINCT '~' || substr(run[1], i))) "
    f"FROM regexp_matches(s.raw, '{KATAKANA_RUN}', 'g') AS run, "
    "generate_series(1, char_length(run[1]) - 2) AS i"
)
BUMP = "UPDATE incident_search_state SET stamp = (floor(random() * 9e15))::bigint WHERE id = 1"


POSTGRES_UP = [
    "CREATE TABLE incident_search_raw ("
    " incident_id integer PRIMARY KEY REFERENCES incident(id) ON DELETE CASCADE,"
    " raw text NOT NULL)",
    "INSERT INTO incident_search_raw (incident_id, raw) SELECT incident_id, raw FROM incident_search",
    "CREATE INDEX ix_incident_search_raw_trgm ON incident_search_raw USING gin (raw gin_trgm_ops)",
    f"UPDATE incident_search AS s SET tsv = s.tsv || ({SUFFIXES}) WHERE s.raw ~ '{KATAKANA_RUN}'",
    "DROP INDEX ix_incident_search_raw",
    "ALTER TABLE incident_search DROP COLUMN raw",
    BUMP,
]
POSTGRES_DOWN = [
    "ALTER TABLE incident_search ADD COLUMN raw text NOT NULL DEFAULT ''",
    "UPDATE incident_search AS s SET raw = r.raw FROM incident_search_raw AS r "
    "WHERE r.incident_id = s.incident_id",
    "ALTER TABLE incident_search ALTER COLUMN raw DROP DEFAULT",
    "CREATE INDEX ix_incident_search_raw ON incident_search USING gin (raw gin_trgm_ops)",
    "DROP TABLE incident_search_raw",
    "UPDATE incident_search SET tsv = ts_delete(tsv, ARRAY("
    "SELECT lexeme FROM unnest(tsv) WHERE left(lexeme, 1) = '~'))",
    BUMP,
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_DOWN:
            op.execute(statement)
