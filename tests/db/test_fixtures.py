"""The ``engine`` fixture starts every test where a fresh migration does (tests/conftest.py
copies a migrated template on SQLite and empties one migrated database on PostgreSQL)."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from app.db import downgrade, make_engine, upgrade
from app.synth import synthesize
from tests.conftest import PG_URL, head_revision, reset_postgres


def state(engine: Engine) -> dict[str, object]:
    """The schema, every table's row count, the sequences, the revision and the stamp row."""
    with engine.connect() as conn:
        def rows(sql: str) -> list[tuple]:
            return sorted(tuple(r) for r in conn.execute(text(sql)))

        if engine.dialect.name == "sqlite":
            schema = rows("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name != 'sqlite_sequence'")
            tables = rows("SELECT name FROM sqlite_master WHERE type = 'table'")
            sequences = rows("SELECT * FROM sqlite_sequence") if ("sqlite_sequence",) in tables else []
            extra = rows("PRAGMA journal_mode")
        else:
            schema = (rows("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                      + rows("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
                      + rows("SELECT tgname, tgrelid::regclass::text, tgenabled FROM pg_trigger "
                             "WHERE NOT tgisinternal")
                      + rows("SELECT proname, prosrc FROM pg_proc WHERE pronamespace = current_schema()::regnamespace"))
            tables = rows("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            sequences = rows("SELECT sequencename, last_value FROM pg_sequences "
                             "WHERE schemaname = current_schema()")
            extra = rows("SELECT extname FROM pg_extension")
        counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                  for (t,) in tables if t != "incident_search_state"}
        return {"schema": schema, "counts": counts, "sequences": sequences, "extra": extra,
                "revision": rows("SELECT version_num FROM alembic_version"),
                "stamp rows": rows("SELECT id FROM incident_search_state")}


def stamp(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT stamp FROM incident_search_state WHERE id = 1")).scalar_one()


def test_the_engine_fixture_starts_where_a_fresh_migration_does(engine, tmp_path: Path):
    if engine.dialect.name == "sqlite":
        fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
        upgrade(fresh)
        try:
            assert state(engine) == state(fresh)
        finally:
            fresh.dispose()
        return
    # PostgreSQL: dirty the session's database as a test may (rows, a downgrade), reset it as
    # the fixture does, and compare with a database made and migrated for this test.
    with Session(engine) as session:
        synthesize(session, count=20, seed=3)
        session.commit()
    before = stamp(engine)
    downgrade(engine, "0002")
    reset_postgres(engine, head_revision(engine))
    assert stamp(engine) != before
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    name = f"rouei_fresh_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    fresh = make_engine(make_url(engine.url).set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(fresh)
        assert state(engine) == state(fresh)
    finally:
        fresh.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_each_sqlite_copy_has_a_stamp_of_its_own(engine, sqlite_template):
    """A copy does not keep the template's stamp, as two fresh migrations would not share one."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL tests share one database, whose stamp each reset replaces")
    with sqlite3.connect(sqlite_template) as conn:
        template_stamp = conn.execute("SELECT stamp FROM incident_search_state WHERE id = 1").fetchone()[0]
    conn.close()
    assert stamp(engine) != template_stamp
