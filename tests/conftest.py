"""Shared fixtures: a migrated database on SQLite or PostgreSQL, an app, a client.

The suite runs on SQLite by default. With ROUEI_TEST_DATABASE_URL pointing at PostgreSQL
(`make test-postgres`), every test that uses ``engine`` runs there instead.

Either way the migrations run once per session, never ``create_all``:

- SQLite: they build a template file, and each test gets a copy of it in its own tmp_path
  (a file copy costs about a millisecond, a migration a few hundred).
- PostgreSQL: a scratch database is created for the run and migrated once; before each test
  a database a test left below head (tests/db/test_migrations.py downgrades) is upgraded
  again, every table but ``alembic_version`` is emptied, the sequences restart and the search
  stamp row is written again with a new random stamp, as migration 0003 writes it. The database is dropped at the end. Measured per test here: DELETE and
  sequence restarts about 4 ms, ``TRUNCATE`` 120-240 ms, ``CREATE DATABASE … TEMPLATE``
  30-50 ms plus about as much again to drop it.

Either way a test starts from what a fresh migration gives: the same schema, empty tables,
sequences at 1 and one search stamp row whose stamp no earlier test has seen.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

import app.models  # noqa: F401  (the tables on SQLModel.metadata)
from app.config import Settings
from app.db import alembic_config, make_engine, normalize_url, upgrade

FIXTURES = Path(__file__).parent / "fixtures"
# ../shared beside the checkout; a worktree one level deeper (../../shared) finds it too.
SHARED = next((p / "shared" for p in Path(__file__).resolve().parents[2:4] if (p / "shared").is_dir()),
              Path(__file__).resolve().parents[2] / "shared")
PG_URL = os.environ.get("ROUEI_TEST_DATABASE_URL", "")

# Tables a reset keeps: the revision, and the search stamp's one row (rewritten, not emptied).
KEPT = {"alembic_version", "incident_search_state"}
# What migration 0003 writes into incident_search_state (app.fts.BUMP_STAMP's random numbers).
STAMP_ROW = {
    "sqlite": "INSERT OR REPLACE INTO incident_search_state (id, stamp) VALUES (1, random())",
    "postgresql": "INSERT INTO incident_search_state (id, stamp) "
                  "VALUES (1, (floor(random() * 9e15))::bigint) "
                  "ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp",
}


def pytest_report_header() -> str:
    return f"rouei store under test: {'PostgreSQL' if PG_URL else 'SQLite'}"


def head_revision(engine: Engine) -> str:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A scratch PostgreSQL database for this run, migrated once, or None on SQLite."""
    if not PG_URL:
        yield None
        return
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    name = f"rouei_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalize_url(PG_URL)).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file the migrations built, once per session; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "rouei.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection closed: the WAL is checkpointed and removed
    assert not Path(f"{path}-wal").exists(), "the template must be one self-contained file"
    return path


@pytest.fixture
def database_url(pg_database: str | None, tmp_path: Path) -> str:
    return pg_database or f"sqlite:///{tmp_path / 'rouei.db'}"


def copy_template(template: Path, url: str) -> None:
    """This test's SQLite file: a copy of the template with a stamp of its own."""
    path = make_url(url).database or ""
    shutil.copyfile(template, path)
    Path(f"{path}.migrate-lock").touch()  # as upgrade() leaves beside the file
    with sqlite3.connect(path) as conn:
        conn.execute(STAMP_ROW["sqlite"])
    conn.close()


def reset_postgres(engine: Engine, head: str) -> None:
    """Put the session's PostgreSQL database back to what a fresh migration gives.

    DELETE, not TRUNCATE: on tables this small TRUNCATE costs 120-240 ms (new files for every
    table and its indexes, synced at commit), DELETE and a sequence restart about 4 ms.
    """
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
    if version != head:  # a migration test failed below head
        upgrade(engine)
    models = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]  # children first
    with engine.begin() as conn:
        tables = set(conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars()) - KEPT
        # The search tables (not models) reference incident: they go first.
        for table in sorted(tables - set(models)) + [t for t in models if t in tables]:
            conn.execute(text(f'DELETE FROM "{table}"'))
        for sequence in conn.execute(text(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")).scalars():
            conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
        conn.execute(text(STAMP_ROW["postgresql"]))


@pytest.fixture(scope="session")
def _pg_head(pg_database: str | None) -> str | None:
    if pg_database is None:
        return None
    engine = make_engine(pg_database)
    try:
        return head_revision(engine)
    finally:
        engine.dispose()


@pytest.fixture
def engine(database_url: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A database at head, as the migrations build it (never create_all), for this test alone."""
    if database_url.startswith("sqlite"):
        copy_template(request.getfixturevalue("sqlite_template"), database_url)
        engine = make_engine(database_url)
    else:
        engine = make_engine(database_url)
        reset_postgres(engine, request.getfixturevalue("_pg_head"))
    yield engine
    engine.dispose()


@pytest.fixture
def settings(database_url: str, engine: Engine) -> Settings:
    return Settings(database_url=database_url, load_seed=False)


@pytest.fixture
def client(settings: Settings):
    from fastapi.testclient import TestClient

    from app.web import create_app

    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def env_database(database_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the CLI (which reads settings from the environment) at the test database."""
    from app.config import get_settings

    monkeypatch.setenv("ROUEI_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()
