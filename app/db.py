"""Engine, sessions and migrations for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
BUSY_TIMEOUT = 10.0  # seconds a SQLite writer waits for another; `?timeout=` in the URL overrides it

log = logging.getLogger("rouei.db")


def normalize_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _sqlite_pragmas(busy_timeout: float):
    def on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API object
        cursor = dbapi_connection.cursor()
        # WAL lets `rouei serve` read while `rouei ingest` writes; the busy timeout makes a
        # writer wait for another instead of failing at once.
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if not _sqlite_error(exc).startswith("SQLITE_READONLY"):
                raise
            # A read-only store keeps the journal it has: it can still be read.
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


def _sqlite_error(exc: BaseException) -> str:
    return getattr(exc, "sqlite_errorname", None) or ""


def _immutable(database: str, *, uri: bool) -> str:
    if uri:
        return f"{database}{'&' if '?' in database else '?'}immutable=1"
    return f"file:{quote(os.path.abspath(database))}?immutable=1"


# Database files opened immutable in this process, because their folder is read-only.
_IMMUTABLE: set[str] = set()


def _sqlite_connect(database: str):
    """Open a SQLite file; in a read-only folder, open it immutable so that it can be read.

    A WAL database needs its -wal and -shm files even to be read, and SQLite cannot create
    them in a folder it may not write (SQLITE_READONLY_DIRECTORY on the first read). Opened
    immutable it is read without them, and without locks: safe only because nobody can write
    there either, and any write through this connection fails as read-only.
    """

    def do_connect(dialect, _record, cargs, cparams):  # noqa: ANN001, ANN202 - SQLAlchemy hook
        connection = dialect.loaded_dbapi.connect(*cargs, **cparams)
        try:
            connection.execute("PRAGMA schema_version").fetchall()
        except sqlite3.OperationalError as exc:
            connection.close()
            if _sqlite_error(exc) != "SQLITE_READONLY_DIRECTORY" or not cargs:
                raise
            if database not in _IMMUTABLE:
                log.info("%s is in a read-only folder: opened read-only (immutable)", database)
                _IMMUTABLE.add(database)
            return dialect.loaded_dbapi.connect(_immutable(cargs[0], uri=cparams.get("uri", False)),
                                                **{**cparams, "uri": True})
        _IMMUTABLE.discard(database)
        return connection

    return do_connect


def opened_immutable(engine: Engine) -> bool:
    """Whether this SQLite store was last opened read-only because its folder is read-only."""
    return engine.url.get_backend_name() == "sqlite" and (engine.url.database or "") in _IMMUTABLE


# Connections per process. The web app runs at most this many requests at once in its thread
# pool (app.web sets the limit), so a request never waits out the pool's timeout for one.
POOL_SIZE, POOL_OVERFLOW = 5, 10


def is_sqlite(session: Session) -> bool:
    """Whether the session's store is SQLite (else PostgreSQL)."""
    return session.get_bind().dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        # A busy timeout given in the URL (sqlite:///rouei.db?timeout=2) is kept, in seconds.
        given = make_url(url).query.get("timeout")
        busy_timeout = float(given if isinstance(given, str) else BUSY_TIMEOUT)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout})
        event.listen(engine, "do_connect", _sqlite_connect(make_url(url).database or ""))
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout))
        return engine
    # pre-ping: a restarted PostgreSQL costs one failed check, not a failed request.
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


# Any constant: PostgreSQL's advisory lock that one migration run holds at a time.
MIGRATION_LOCK = 7_262_015_001


@contextmanager
def _migrating(engine: Engine) -> Iterator:
    """A connection in a transaction that no other process migrates the same store during.

    Every server worker migrates at start-up; without this, two workers starting together
    both apply a pending migration and one fails (``table ... already exists``), taking the
    server down. PostgreSQL: a transaction-scoped advisory lock. SQLite: an exclusive lock
    on a file beside the database (SQLite stores are on one machine).
    """
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    lock = None
    if path and path != ":memory:" and not path.startswith("file:"):
        try:
            lock = open(f"{path}.migrate-lock", "a+")  # noqa: SIM115 - closed below
        except OSError:  # a read-only folder: nobody can migrate there anyway
            lock = None
        else:
            fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            yield connection
    finally:
        if lock is not None:
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; run at start-up and by `rouei db upgrade`."""
    cfg = alembic_config(engine)
    with _migrating(engine) as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config(engine)
    with _migrating(engine) as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# ---- faults: the store cannot serve now (locked, read-only, unreachable) ----


@dataclass(frozen=True)
class Unavailable:
    """A database fault that is not the request's nor the code's: answer 503, try again later."""

    reason: str  # what is wrong, for people
    retry_after: int  # seconds


LOCKED = Unavailable("the database is locked by another writer; try again", 5)
READ_ONLY = Unavailable("the database is read-only (file or folder permissions, or a read-only disk); "
                        "writes are refused", 60)
UNREACHABLE = Unavailable("cannot reach the database server; try again shortly", 5)

# SQLite's primary result codes that say "not now", by name (extended names start with them).
_SQLITE_FAULTS = {
    "SQLITE_BUSY": LOCKED,
    "SQLITE_LOCKED": LOCKED,
    "SQLITE_READONLY": READ_ONLY,
    "SQLITE_CANTOPEN": Unavailable("the database file cannot be opened (missing, or its folder is not readable)", 60),
    "SQLITE_IOERR": Unavailable("the disk failed reading or writing the database", 60),
    "SQLITE_FULL": Unavailable("the disk holding the database is full", 60),
}
# PostgreSQL SQLSTATEs of a server going away or refusing new work.
_PG_FAULTS = {
    "57P01": UNREACHABLE,  # admin_shutdown: the server is stopping or restarting
    "57P02": UNREACHABLE,  # crash_shutdown
    "57P03": Unavailable("the database server is starting up; try again shortly", 5),
    "53300": Unavailable("the database server has no free connection; try again shortly", 5),
    "55P03": Unavailable("the data is locked by another writer; try again", 5),
    "57014": Unavailable("the database took too long to answer; try again", 5),
}


def unavailable(exc: BaseException) -> Unavailable | None:
    """The fault behind a database error when it is one of availability, else None.

    A broken query (no such table, a syntax error) is a bug and stays one: None.
    """
    if isinstance(exc, PoolTimeout):
        return Unavailable("every database connection is in use; try again", 5)
    if not isinstance(exc, DBAPIError):
        return None
    name = _sqlite_error(exc.orig)
    if name:
        if name == "SQLITE_BUSY_SNAPSHOT":
            return None  # a stale read turned writer: retrying at once is the cure
        return next((fault for code, fault in _SQLITE_FAULTS.items()
                     if name == code or name.startswith(code + "_")), None)
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate in _PG_FAULTS:
        return _PG_FAULTS[sqlstate]
    if exc.connection_invalidated or (isinstance(exc, OperationalError)
                                      and (sqlstate is None or sqlstate.startswith("08"))):
        return UNREACHABLE  # refused, reset, or the server closed the connection
    return None


def describe(exc: BaseException) -> str:
    """The driver's own first line about a fault, for logs and the CLI."""
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__
