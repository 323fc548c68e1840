"""Shared fixtures: a migrated database on SQLite or PostgreSQL, an app, a client.

The suite runs on SQLite by default. With ROUEI_TEST_DATABASE_URL pointing at PostgreSQL
(`make test-postgres`), every test that uses ``engine`` runs there instead: a scratch
database is created for the run, migrated once, emptied between tests and dropped at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

from app.config import Settings
from app.db import make_engine, normalize_url, upgrade

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PG_URL = os.environ.get("ROUEI_TEST_DATABASE_URL", "")


def pytest_report_header() -> str:
    return f"rouei store under test: {'PostgreSQL' if PG_URL else 'SQLite'}"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A scratch PostgreSQL database for this run, or None on SQLite."""
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


@pytest.fixture
def database_url(pg_database: str | None, tmp_path: Path) -> str:
    return pg_database or f"sqlite:///{tmp_path / 'rouei.db'}"


def fresh_database(url: str) -> None:
    """Empty every table of a PostgreSQL test database (SQLite gets a new file per test)."""
    if not url.startswith("postgresql"):
        return
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A database migrated to head by the migrations themselves (never create_all)."""
    fresh_database(database_url)
    engine = make_engine(database_url)
    upgrade(engine)
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
