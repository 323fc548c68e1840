"""A live server for Chromium: uvicorn in a thread over a temporary SQLite database holding
the bundled dataset and the fixture notices (which keep their text, so evidence shows).

Every test here is marked ``browser`` and skips cleanly when Chromium or Playwright is missing.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.config import Settings
from app.db import make_engine, upgrade
from app.ingest.files import ingest_file
from app.seed import load_if_empty
from tests.conftest import FIXTURES

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _register_sources(engine) -> None:  # noqa: ANN001 - an Engine
    """Two registered sources for /sources: a healthy feed to which the fixture notices are
    attributed, and a listing that keeps failing."""
    from datetime import UTC, datetime

    from sqlmodel import select

    from app.db import session_scope
    from app.ingest.harvest import add_source
    from app.models import Source

    with session_scope(engine) as s:
        feed = add_source(s, "https://www.example.jp/news/feed.xml", name="サンプル株式会社 お知らせ", every="6h")
        bad = add_source(s, "https://www.example.org/press/", links=r"/press/\d{4}/.+\.html$", every="1d")
        feed.last_fetched_at = feed.last_new_at = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)
        feed.last_status = "ok"
        bad.last_fetched_at = datetime(2026, 4, 1, 3, 5, tzinfo=UTC)
        bad.last_status, bad.failures, bad.last_error = "failed", 2, "timed out after 20 s"
        for doc in s.exec(select(Source).where(Source.uri.contains("notices"))).all():
            doc.origin_id = feed.id
            s.add(doc)


def make_store(directory: Path) -> str:
    """A migrated SQLite store with the bundled dataset and the fixture notices; its URL."""
    url = f"sqlite:///{directory / 'rouei.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_if_empty(engine)
    for path in sorted((FIXTURES / "notices").glob("*.txt")):
        ingest_file(engine, path)
    _register_sources(engine)
    engine.dispose()
    return url


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The app on uvicorn in a thread, on a free port; its base URL."""
    import uvicorn

    from app.web import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = make_store(tmp_path_factory.mktemp("browser"))
    # rate_limit=0: every page view and htmx swap of every browser test comes from one address.
    with serving(Settings(database_url=url, load_seed=False, rate_limit=0)) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(str(CHROMIUM)):
        pytest.skip("chromium is not executable")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page that records console errors and uncaught exceptions."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()
