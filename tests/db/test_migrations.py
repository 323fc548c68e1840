"""The migrations build the schema on both engines, and come down again."""

from __future__ import annotations

import json
import warnings

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import Session, SQLModel

from app.db import alembic_config, downgrade, make_engine, table_names, upgrade
from app.search import postgres
from app.synth import synthesize

TABLES = {"organization", "incident", "source", "incidentsource", "incidentevent"}


def test_upgrade_creates_every_table_the_models_declare(engine):
    assert TABLES <= table_names(engine)
    assert {t.name for t in SQLModel.metadata.sorted_tables} <= table_names(engine)


def test_schema_matches_the_models(engine):
    """Autogenerate finds nothing to do: the migrations and the models agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.search import alembic_include_object  # the search index is not a model

    with engine.connect() as conn, warnings.catch_warnings():
        # SQLAlchemy cannot reflect migration 0003's expression indexes; the hook skips them.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        context = MigrationContext.configure(conn, opts={"include_object": alembic_include_object})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_search_page_indexes_exist(engine):
    """Migration 0003's indexes are there (the models do not declare them)."""
    from app.search import SEARCH_PAGE_INDEXES

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        names = {ix["name"] for ix in inspect(engine).get_indexes("incident")}
    if engine.dialect.name == "sqlite":  # SQLite's reflection leaves expression indexes out
        with engine.connect() as conn:
            names |= set(conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incident'")).scalars())
    assert set(SEARCH_PAGE_INDEXES) <= names


def test_downgrade_to_base_and_up_again(engine):
    downgrade(engine, "base")
    assert not TABLES & table_names(engine)
    upgrade(engine)
    assert TABLES <= table_names(engine)


def test_upgrade_is_idempotent(engine):
    upgrade(engine)
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    engine.dispose()


def test_counts_are_wide_enough_for_billions(engine):
    columns = {c["name"]: c for c in inspect(engine).get_columns("incident")}
    assert "BIGINT" in str(columns["records_max"]["type"]).upper()


@pytest.mark.slow
def test_workers_starting_together_migrate_once(database_url, engine):
    """Every server worker migrates at start-up: several at once must all come up."""
    import subprocess
    import sys

    downgrade(engine, "0002")  # a pending migration, as after an upgrade of the code
    engine.dispose()
    code = "import sys; from app.db import make_engine, upgrade; upgrade(make_engine(sys.argv[1]))"
    workers = [subprocess.Popen([sys.executable, "-c", code, database_url],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
               for _ in range(4)]
    outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert [w.returncode for w in workers] == [0] * 4, outputs
    with engine.connect() as conn:
        head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head


def _search_rows(engine) -> dict[int, tuple[set[str], str]]:  # noqa: ANN001
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.incident_id, array(SELECT lexeme FROM unnest(s.tsv)), r.raw "
            "FROM incident_search AS s JOIN incident_search_raw AS r USING (incident_id)")).all()
    return {i: (set(lexemes), raw) for i, lexemes, raw in rows}


def test_katakana_suffixes_migration_writes_what_the_index_writes(engine):
    """Migration 0004 adds, in SQL, the lexemes app.search.postgres.katakana_suffixes gives in Python."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps its FTS5 trigram table")
    with Session(engine) as session:
        synthesize(session, count=40, seed=4)
        session.commit()
    written = _search_rows(engine)  # by app.search, as ingest writes them
    assert any(lexeme.startswith(postgres.SUFFIX_MARK) for lexemes, _raw in written.values() for lexeme in lexemes)
    downgrade(engine, "0003")
    with engine.connect() as conn:  # the suffixes are gone, raw is back beside the tsvector
        assert not conn.execute(text("SELECT count(*) FROM incident_search, unnest(tsv) AS u "
                                     "WHERE left(u.lexeme, 1) = '~'")).scalar_one()
    upgrade(engine)
    assert _search_rows(engine) == written


def test_ppc_migration_rederives_the_later_reports_and_the_verdict(engine):
    """Migration 0007 keeps an older store loadable: its later reports to the PPC come from
    the timeline's events, and every verdict is judged (app.ppc)."""
    downgrade(engine, "0006_c14_sources")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO incident (id, slug, attack_type, supply_chain, leaked_items, discovered_on, "
            "reported_to_ppc_on, review_status, created_at, updated_at) VALUES "
            "(1, 'a', 'ransomware', false, '[]', '2023-06-12', '2023-06-14', 'unreviewed', '2024-01-01', '2024-01-01'), "
            "(2, 'b', 'misdelivery', false, '[\"氏名\"]', '2023-06-12', NULL, 'unreviewed', '2024-01-01', '2024-01-01')"))
        conn.execute(text(
            "INSERT INTO incidentevent (incident_id, type, date) VALUES "
            "(1, 'reported_to_ppc', '2023-06-14'), (1, 'reported_to_ppc', '2023-09-01'), (2, 'disclosed', '2023-07-01')"))
    upgrade(engine)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT slug, ppc_verdict FROM incident")).all())
        later = conn.execute(text("SELECT reported_to_ppc_later FROM incident WHERE slug = 'a'")).scalar_one()
    assert rows == {"a": "late", "b": "unknown"}  # 確報 on day 81 > 60; b: the count is not stated
    assert (later if isinstance(later, list) else json.loads(later)) == ["2023-09-01"]
