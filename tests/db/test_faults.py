"""Faults of the store: SQLite read-only or locked, PostgreSQL connections cut or the server gone.

Each fault must give a clear error — the CLI one line naming the database and the cause, a
non-zero exit and no traceback; the web app 503 with Retry-After, never 500 — must leave the
store as it was, and must not stop reads where the store can still be read.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app.cli import cli
from app.config import Settings, get_settings
from app.db import make_engine, normalize_url, unavailable, upgrade
from app.ingest.pipeline import ingest_bytes
from app.models import Incident, IncidentSource, Source
from app.web import create_app
from tests.conftest import PG_URL
from tests.fixtures.ingest.synthetic import notice, org_name
from tests.web.test_web import parse

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "fault-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SEEDED = (1, 2, 3)  # notices in every store built here; 9 is the one a fault must keep out
postgres_only = pytest.mark.skipif(not PG_URL, reason="PostgreSQL faults run with ROUEI_TEST_DATABASE_URL set")


def seed(engine: Engine) -> None:
    for i in SEEDED:
        assert ingest_bytes(engine, uri=f"notice-{i}.txt", data=notice(i).encode(), filename="n.txt").status == "new"


def contents(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with Session(engine) as s:
        counts = {"sources": s.exec(select(func.count()).select_from(Source)).one(),
                  "incidents": s.exec(select(func.count()).select_from(Incident)).one(),
                  "links": s.exec(select(func.count()).select_from(IncidentSource)).one()}
    engine.dispose()
    return counts


def assert_reads_served(http: httpx.Client | TestClient) -> None:
    """The home page, the API, an incident page and search all answer with the stored data."""
    listed = http.get("/api/incidents")
    assert listed.status_code == 200, listed.text
    assert listed.json()["count"] == len(SEEDED)
    slugs = sorted(row["slug"] for row in listed.json()["data"])
    home = http.get("/")
    assert home.status_code == 200
    assert sorted(set(parse(home.text).incident_links)) == [f"/incidents/{s}" for s in slugs]
    page = http.get(f"/incidents/{slugs[0]}")
    assert page.status_code == 200
    found = http.get("/", params={"q": org_name(2)})
    assert found.status_code == 200
    assert len(set(parse(found.text).incident_links)) == 1
    assert http.get("/api/incidents", params={"q": org_name(2)}).json()["count"] == 1


def assert_unavailable(response: httpx.Response, *, says: str) -> None:
    """503, Retry-After, and a readable JSON detail (/api) or page (HTML)."""
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) >= 1
    if response.headers["content-type"].startswith("application/json"):
        assert says in response.json()["detail"]
    else:
        assert response.headers["content-type"].startswith("text/html")
        assert "503" in parse(response.text).headings


def assert_one_line_error(output: str, *, names: str, says: str) -> None:
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert "Traceback" not in output
    assert names in lines[0] and says in lines[0], lines[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- SQLite: a read-only file or folder ----


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Path:
    """A SQLite store with three incidents, in a folder of its own, closed (no -wal, no -shm)."""
    folder = tmp_path / "store"
    folder.mkdir()
    path = folder / "rouei.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    seed(engine)
    engine.dispose()
    # No -wal or -shm left (the migration lock file beside the store is only ever locked).
    assert sorted(p.name for p in folder.iterdir()) == ["rouei.db", "rouei.db.migrate-lock"]
    return path


def file_modes_bind() -> list[str]:
    """A command prefix under which file modes apply to this process's children.

    The suite runs as root, and root ignores file modes through CAP_DAC_OVERRIDE: the child is
    run as root without that capability (setpriv drops it from the bounding set), so a file of
    mode 0444 is read-only to it exactly as it is to any other user.
    """
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root, and setpriv (util-linux) is missing to drop CAP_DAC_OVERRIDE")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def assert_read_only_to(prefix: list[str], path: Path) -> None:
    probe = subprocess.run([*prefix, sys.executable, "-c", f"open({str(path)!r}, 'r+b')"], capture_output=True)
    if probe.returncode == 0:
        pytest.skip(f"cannot make {path} read-only here (mode 0444 and no CAP_DAC_OVERRIDE did not do it)")


def rouei_argv(*args: str) -> list[str]:
    return [sys.executable, "-c", "from app.cli import main; main()", *args]


def child_env(url: str) -> dict[str, str]:
    return {**os.environ, "ROUEI_DATABASE_URL": url, "ROUEI_LOAD_SEED": "false",
            "ROUEI_ADMIN_TOKEN": TOKEN, "ROUEI_RATE_LIMIT": "0"}


@contextmanager
def rouei_serve(url: str, *, prefix: list[str], log: Path) -> Iterator[httpx.Client]:
    """`rouei serve` in a child process (its own privileges), and a client for it."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen([*prefix, *rouei_argv("serve", "--port", str(port))], cwd=ROOT,
                                env=child_env(url), stdout=out, stderr=subprocess.STDOUT)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=20) as http:
            deadline = time.monotonic() + 30
            while True:
                assert proc.poll() is None, log.read_text("utf-8")
                assert time.monotonic() < deadline, log.read_text("utf-8")
                try:
                    if http.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            yield http
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.slow
@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_store_serves_reads_and_refuses_writes_with_a_clear_error(sqlite_store, tmp_path, read_only):
    # A read-only folder is the harder case: SQLite cannot create the -wal and -shm files a
    # WAL database needs even to be read.
    url = f"sqlite:///{sqlite_store}"
    before = contents(url)
    prefix = file_modes_bind()
    target = sqlite_store if read_only == "file" else sqlite_store.parent
    document = tmp_path / "new.txt"
    document.write_text(notice(9), "utf-8")
    target.chmod(0o444 if read_only == "file" else 0o555)
    try:
        assert_read_only_to(prefix, sqlite_store if read_only == "file" else sqlite_store.parent / "probe")
        with rouei_serve(url, prefix=prefix, log=tmp_path / "serve.log") as http:
            assert_reads_served(http)
            upload = http.post("/api/documents", params={"name": "new.txt"}, content=notice(9).encode(),
                               headers=AUTH)
            assert_unavailable(upload, says="read-only")
            assert_reads_served(http)  # a refused write leaves the server serving
        if read_only == "folder":
            assert "is read-only: serving it read-only" in (tmp_path / "serve.log").read_text("utf-8")
        ingest = subprocess.run([*prefix, *rouei_argv("ingest", str(document))], cwd=ROOT, env=child_env(url),
                                capture_output=True, text=True, timeout=120)
    finally:
        target.chmod(0o644 if read_only == "file" else 0o755)
    assert ingest.returncode == 1
    assert_one_line_error(ingest.stdout + ingest.stderr, names=str(sqlite_store), says="read-only")
    assert contents(url) == before


# ---- SQLite: another writer holds the lock ----


@contextmanager
def writer_holding_the_lock(path: Path, mode: str) -> Iterator[sqlite3.Connection]:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute(f"BEGIN {mode}")
    holder.execute("UPDATE incident SET title = 'being rewritten' WHERE id = 1")  # uncommitted
    try:
        yield holder
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.parametrize("mode", ["IMMEDIATE", "EXCLUSIVE"])
def test_a_writer_holding_the_lock_gets_a_clear_error_and_reads_go_on(sqlite_store, tmp_path, mode, monkeypatch):
    url = f"sqlite:///{sqlite_store}?timeout=0.2"  # a short busy timeout keeps the test fast
    before = contents(url)
    settings = Settings(database_url=url, load_seed=False, admin_token=TOKEN, rate_limit=0)
    document = tmp_path / "new.txt"
    document.write_text(notice(9), "utf-8")
    monkeypatch.setenv("ROUEI_DATABASE_URL", url)
    get_settings.cache_clear()
    with TestClient(create_app(settings), raise_server_exceptions=False) as http:
        with writer_holding_the_lock(sqlite_store, mode):
            assert_reads_served(http)  # WAL: readers do not wait for the writer
            started = time.monotonic()
            upload = http.post("/api/documents", params={"name": "new.txt"}, content=notice(9).encode(),
                               headers=AUTH)
            assert_unavailable(upload, says="locked by another writer")
            assert time.monotonic() - started < 5
            ingest = CliRunner().invoke(cli, ["ingest", str(document)])
            assert_reads_served(http)
            assert contents(url) == before
        get_settings.cache_clear()
        assert ingest.exit_code == 1, ingest.output
        assert isinstance(ingest.exception, SystemExit)
        assert_one_line_error(ingest.output, names=str(sqlite_store), says="locked by another writer; try again")
        # Once the writer is gone, the same upload goes through.
        assert http.post("/api/documents", params={"name": "new.txt"}, content=notice(9).encode(),
                         headers=AUTH).status_code == 201
    assert contents(url)["incidents"] == before["incidents"] + 1


def test_other_database_errors_are_not_disguised_as_unavailable(sqlite_store):
    """Only faults of availability become 503; a broken query stays a server error."""
    engine = make_engine(f"sqlite:///{sqlite_store}")
    with pytest.raises(OperationalError) as caught, engine.connect() as conn:
        conn.execute(text("SELECT * FROM no_such_table"))
    engine.dispose()
    assert unavailable(caught.value) is None


# ---- PostgreSQL: connections cut, the server gone for a while ----


@postgres_only
def test_connections_terminated_under_a_running_app_are_replaced(engine):
    seed(engine)
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False), load_seed=False)
    with TestClient(create_app(settings), raise_server_exceptions=False) as http:
        assert_reads_served(http)
        app_engine = http.app.state.engine
        assert app_engine.pool.checkedin() >= 1  # the app holds pooled connections
        with engine.connect() as conn:
            killed = conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).all()
        assert killed and all(ok for (ok,) in killed)
        assert_reads_served(http)


@postgres_only
def test_a_connection_dropped_before_the_request_ends_does_not_fail_it(engine):
    """The session closes after the answer has started; a restart then must not raise."""
    from types import SimpleNamespace

    from app.web.deps import get_session

    app_engine = make_engine(engine.url.render_as_string(hide_password=False))
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(engine=app_engine)))
    dependency = get_session(request)  # type: ignore[arg-type]
    session = next(dependency)
    own_pid = session.exec(select(func.pg_backend_pid())).one()  # the request is mid-transaction
    with engine.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": own_pid}).scalar()
    with pytest.raises(StopIteration):
        next(dependency)  # the session closes without raising
    with Session(app_engine) as s:
        assert s.exec(select(func.count()).select_from(Incident)).one() == 0  # the pool recovered
    app_engine.dispose()


class Proxy:
    """A TCP relay in front of PostgreSQL, cut and restored to play a server restart.

    Cutting it closes every relayed connection and refuses new ones, as a stopped server does,
    without touching the machine's shared PostgreSQL.
    """

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.port = free_port()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stop(self) -> None:
        if self.listener:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() that close() alone would not
            self.listener.close()
            self.listener = None
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self.sockets.clear()


@pytest.fixture
def proxy(engine) -> Iterator[Proxy]:
    url = make_url(normalize_url(PG_URL))
    relay = Proxy(url.host or "127.0.0.1", url.port or 5432)
    relay.start()
    yield relay
    relay.stop()


@postgres_only
def test_a_postgres_outage_answers_503_and_the_app_recovers_without_a_restart(engine, proxy, tmp_path, monkeypatch):
    seed(engine)
    via_proxy = engine.url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = Settings(database_url=via_proxy, load_seed=False, admin_token=TOKEN, rate_limit=0)
    document = tmp_path / "new.txt"
    document.write_text(notice(9), "utf-8")
    with TestClient(create_app(settings), raise_server_exceptions=False) as http:
        assert_reads_served(http)
        slug = http.get("/api/incidents").json()["data"][0]["slug"]
        proxy.stop()
        for path in ("/api/incidents", "/", f"/incidents/{slug}", f"/?q={org_name(2)}"):
            assert_unavailable(http.get(path), says="database")
        assert_unavailable(http.post("/api/documents", params={"name": "new.txt"}, content=notice(9).encode(),
                                     headers=AUTH), says="database")
        monkeypatch.setenv("ROUEI_DATABASE_URL", via_proxy)
        get_settings.cache_clear()
        try:
            ingest = CliRunner().invoke(cli, ["ingest", str(document)])
        finally:
            get_settings.cache_clear()
        assert ingest.exit_code == 1, ingest.output
        assert_one_line_error(ingest.output, names=f"127.0.0.1:{proxy.port}", says="cannot reach")
        proxy.start()  # the server is back: the same app, not restarted, serves again
        assert_reads_served(http)
        assert http.post("/api/documents", params={"name": "new.txt"}, content=notice(9).encode(),
                         headers=AUTH).status_code == 201
    assert contents(engine.url.render_as_string(hide_password=False))["incidents"] == len(SEEDED) + 1
