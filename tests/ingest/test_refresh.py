"""`rouei refresh` (#14): one pass over the due sources, against a local HTTP server on loopback.

The issue's "Show": the first pass ingests an RSS feed and a listing page, the second sends
conditional GETs and changes nothing, a third after the feed gains an item ingests exactly that
item; a source that answers 500 or times out is recorded and backed off while the others
proceed; SIGKILL mid-pass loses nothing and the next pass finishes. On both engines.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from app.cli import cli
from app.config import Settings
from app.db import make_engine, session_scope
from app.ingest.harvest import CLAIM_LOCK, add_source, health, pass_lock, refresh
from app.models import HarvestSource, Incident, Source
from tests.fixtures.ingest.synthetic import org_name
from tests.ingest.site import Site, notice_html

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def rss(site: Site, numbers: list[int]) -> str:
    items = "".join(f"<item><title>お知らせ{n}</title><link>{site.base}/feed/{n}.html</link>"
                    f"<pubDate>Wed, 01 Apr 2026 0{n % 9}:30:00 +0900</pubDate></item>" for n in numbers)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>お知らせ</title>'
            f"<link>{site.base}/</link><description>x</description>{items}</channel></rss>")


def listing(numbers: list[int]) -> str:
    links = "".join(f"<li><a href='/news/{n}.html'>お詫びとお知らせ {n}</a></li>" for n in numbers)
    return ("<!doctype html><html><body><nav><a href='/'>トップ</a><a href='/about.html'>会社概要</a></nav>"
            f"<ul class='news'>{links}</ul></body></html>")


@pytest.fixture
def harvest_settings(database_url: str, engine) -> Settings:
    return Settings(database_url=database_url, load_seed=False, allow_private_fetch=True, fetch_timeout=0.5)


def register(engine, url: str, **kw) -> int:
    with session_scope(engine) as session:
        return add_source(session, url, **kw).id


def short(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def sources(engine) -> dict[str, HarvestSource]:
    with Session(engine) as session:
        return {short(s.url): s for s in session.exec(select(HarvestSource)).all()}


def counts(engine) -> tuple[int, int]:
    with Session(engine) as s:
        return (s.exec(select(func.count()).select_from(Source)).one(),
                s.exec(select(func.count()).select_from(Incident).where(col(Incident.merged_into_id).is_(None))).one())


def statuses(result) -> dict[str, str]:
    return {short(h.url): h.status for h in result.sources}


def test_show_passes_ingest_then_change_nothing_then_take_exactly_the_new_item(engine, site, harvest_settings):
    feed_items = [50, 51]
    news = [52, 53]
    for n in (50, 51, 54):
        site.add(f"/feed/{n}.html", notice_html(n))
    for n in (52, 53):
        site.add(f"/news/{n}.html", notice_html(n))
    site.add_versioned("/feed.xml", lambda: rss(site, feed_items), ctype="application/rss+xml")
    site.add_versioned("/news/", lambda: listing(news))
    site.add("/broken.xml", "oops", status=500, ctype="text/plain")

    def slow(_handler):
        time.sleep(1.5)
        return 200, {"Content-Type": "application/rss+xml"}, rss(site, [50]).encode()

    site.routes["/slow.xml"] = slow
    register(engine, site.base + "/feed.xml", every="6h")
    register(engine, site.base + "/news/", links=r"/news/\d+\.html$", every="6h")
    register(engine, site.base + "/broken.xml", kind="feed")
    register(engine, site.base + "/slow.xml", kind="feed")

    first = refresh(engine, harvest_settings, now=T0, per_host_interval=0)
    assert statuses(first) == {"feed.xml": "ok", "news": "ok", "broken.xml": "failed", "slow.xml": "failed"}
    assert not first.all_failed
    assert counts(engine) == (4, 4)
    with Session(engine) as s:
        cores = sorted(i.organization_core for i in s.exec(select(Incident)).all())
    assert cores == sorted(org_name(n) for n in (50, 51, 52, 53))
    state = sources(engine)
    assert "HTTP 500" in state["broken.xml"].last_error and "timed out" in state["slow.xml"].last_error
    assert state["broken.xml"].failures == 1 and state["broken.xml"].next_due_at == T0 + timedelta(minutes=15)
    assert state["feed.xml"].etag and state["feed.xml"].next_due_at == T0 + timedelta(hours=6)
    assert state["feed.xml"].last_new_at == T0 and state["feed.xml"].last_status == "ok"
    assert site.hits("/about.html") == 0  # the listing follows only the links its pattern names

    # Ten minutes on, nothing is due: the failures are backed off, the rest waits its interval.
    assert refresh(engine, harvest_settings, now=T0 + timedelta(minutes=10), per_host_interval=0).sources == []

    # The second pass: conditional GETs, 304s, nothing changes; the failing ones fail again.
    seen_before = len(site.seen)
    second = refresh(engine, harvest_settings, now=T0 + timedelta(hours=7), per_host_interval=0)
    assert statuses(second) == {"feed.xml": "unchanged", "news": "unchanged", "broken.xml": "failed",
                                "slow.xml": "failed"}
    assert counts(engine) == (4, 4)
    asked = {path: headers for path, headers in site.seen[seen_before:]}
    assert asked["/feed.xml"]["If-None-Match"] == state["feed.xml"].etag
    assert asked["/news/"]["If-None-Match"] == state["news"].etag
    assert not any(p.startswith(("/feed/", "/news/5")) for p, _ in site.seen[seen_before:])
    state = sources(engine)
    assert state["broken.xml"].failures == 2
    assert state["broken.xml"].next_due_at == T0 + timedelta(hours=7, minutes=30)  # doubled
    assert state["feed.xml"].last_new_at == T0 and state["feed.xml"].last_status == "unchanged"

    # The feed gains an item: the third pass fetches and ingests exactly that one.
    feed_items.append(54)
    third = refresh(engine, harvest_settings, now=T0 + timedelta(hours=14), per_host_interval=0)
    feed_result = next(h for h in third.sources if h.url.endswith("/feed.xml"))
    assert [(o.uri.rsplit("/", 1)[-1], o.status) for o in feed_result.outcomes] == [("54.html", "new")]
    assert counts(engine) == (5, 5)
    assert [site.hits(f"/feed/{n}.html") for n in (50, 51, 54)] == [1, 1, 1]
    assert sources(engine)["feed.xml"].last_new_at == T0 + timedelta(hours=14)

    # Health: what each source gave.
    with Session(engine) as s:
        gave = {short(h.source.url): (h.state, h.documents, h.incidents) for h in health(s)}
    assert gave == {"feed.xml": ("ok", 3, 3), "news": ("ok", 2, 2), "broken.xml": ("failing", 0, 0),
                    "slow.xml": ("failing", 0, 0)}


def test_a_source_whose_own_page_changes_is_taken_again(engine, site, harvest_settings):
    body = {"n": 60}
    site.add_versioned("/notice.html", lambda: notice_html(body["n"]))
    register(engine, site.base + "/notice.html", kind="page", every="1h")
    assert statuses(refresh(engine, harvest_settings, now=T0, per_host_interval=0)) == {"notice.html": "ok"}
    assert statuses(refresh(engine, harvest_settings, now=T0 + timedelta(hours=2),
                            per_host_interval=0)) == {"notice.html": "unchanged"}
    body["n"] = 61
    again = refresh(engine, harvest_settings, now=T0 + timedelta(hours=4), per_host_interval=0)
    assert [o.status for o in again.sources[0].outcomes] == ["new"]
    assert counts(engine) == (2, 2)


def test_a_disabled_source_is_never_fetched_and_a_robots_refusal_is_a_failure(engine, site, harvest_settings):
    site.add("/private/feed.xml", rss(site, []), ctype="application/rss+xml")
    site.add("/off.xml", rss(site, []), ctype="application/rss+xml")
    register(engine, site.base + "/private/feed.xml")
    off = register(engine, site.base + "/off.xml")
    with session_scope(engine) as s:
        s.get(HarvestSource, off).enabled = False
    result = refresh(engine, harvest_settings, now=T0, per_host_interval=0)
    assert [(h.status, "robots.txt" in h.reason) for h in result.sources] == [("failed", True)]
    assert result.all_failed and site.hits("/off.xml") == 0 and site.hits("/private/feed.xml") == 0


def test_the_command_exits_non_zero_only_when_every_source_failed(env_database, engine, site, monkeypatch):
    monkeypatch.setenv("ROUEI_ALLOW_PRIVATE_FETCH", "true")
    site.add("/broken.xml", "oops", status=500, ctype="text/plain")
    site.add("/feed/70.html", notice_html(70))
    site.add("/feed.xml", rss(site, [70]), ctype="application/rss+xml")
    runner = CliRunner()
    empty = runner.invoke(cli, ["refresh"])
    assert empty.exit_code == 0 and "no source is registered" in empty.output  # nothing failed
    register(engine, site.base + "/broken.xml", kind="feed")
    only_bad = runner.invoke(cli, ["refresh", "--per-host-delay", "0"])
    assert only_bad.exit_code == 1 and "failed    " in only_bad.stdout and "HTTP 500" in only_bad.stdout
    with session_scope(engine) as s:  # due again now, beside a good source
        s.exec(select(HarvestSource)).one().next_due_at = None
    register(engine, site.base + "/feed.xml")
    mixed = runner.invoke(cli, ["refresh", "--per-host-delay", "0"])
    assert mixed.exit_code == 0, mixed.output
    assert f"ok        {site.base}/feed.xml: 1 new document(s)" in mixed.stdout
    assert "1 new document(s), 1 failed" in mixed.output
    listing_ = runner.invoke(cli, ["sources", "list"])
    assert "failing" in listing_.stdout and "HTTP 500" in listing_.stdout


def test_two_passes_never_harvest_one_source_at_once(engine, site, harvest_settings):
    site.add("/feed/71.html", notice_html(71))
    site.add("/feed.xml", rss(site, [71]), ctype="application/rss+xml")
    source_id = register(engine, site.base + "/feed.xml")
    if engine.dialect.name == "sqlite":
        with pass_lock(engine) as mine:  # another pass holds the lock file
            assert mine
            busy = refresh(engine, harvest_settings, now=T0, per_host_interval=0)
        assert busy.locked and busy.sources == []
    else:
        other = make_engine(harvest_settings.database_url)
        try:
            with other.connect() as conn:  # another watcher has claimed the source
                conn.execute(text("SELECT pg_advisory_lock(:k, :id)"), {"k": CLAIM_LOCK, "id": source_id})
                busy = refresh(engine, harvest_settings, now=T0, per_host_interval=0)
                conn.execute(text("SELECT pg_advisory_unlock(:k, :id)"), {"k": CLAIM_LOCK, "id": source_id})
                conn.commit()
        finally:
            other.dispose()
        assert [(h.status, h.reason) for h in busy.sources] == [("skipped", "claimed by another pass")]
    assert site.hits("/feed.xml") == 0 and counts(engine) == (0, 0)
    done = refresh(engine, harvest_settings, now=T0, per_host_interval=0)
    assert statuses(done) == {"feed.xml": "ok"} and counts(engine) == (1, 1)


def test_passes_at_once_on_threads_ingest_each_document_once(engine, site, harvest_settings):
    for n in range(72, 76):
        site.add(f"/feed/{n}.html", notice_html(n))
    site.add("/feed.xml", rss(site, list(range(72, 76))), ctype="application/rss+xml")
    register(engine, site.base + "/feed.xml")
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        refresh(engine, harvest_settings, now=T0, per_host_interval=0))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(s for r in results for s in statuses(r).values()) in (["ok"], ["ok", "skipped"],
                                                                        ["ok", "skipped", "skipped"])
    assert counts(engine) == (4, 4)
    assert all(site.hits(f"/feed/{n}.html") == 1 for n in range(72, 76))


@pytest.mark.slow
def test_sigkill_mid_pass_loses_nothing_and_the_next_pass_finishes(env_database, engine, site, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setenv("ROUEI_ALLOW_PRIVATE_FETCH", "true")
    for n in (80, 82):
        site.add(f"/feed/{n}.html", notice_html(n))
    reached, release = threading.Event(), threading.Event()

    def held(_handler):
        reached.set()
        release.wait(20)
        return 200, {"Content-Type": "text/html; charset=utf-8"}, notice_html(81).encode()

    site.routes["/feed/81.html"] = held
    site.add("/feed.xml", rss(site, [80, 81, 82]), ctype="application/rss+xml")
    register(engine, site.base + "/feed.xml")
    env = {**os.environ, "ROUEI_DATABASE_URL": env_database, "ROUEI_ALLOW_PRIVATE_FETCH": "true",
           "ROUEI_FETCH_TIMEOUT": "30"}
    rouei = Path(sys.executable).with_name("rouei")
    proc = subprocess.Popen([str(rouei), "refresh", "--per-host-delay", "0"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        assert reached.wait(60), proc.communicate(timeout=5)[1]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stderr.close()
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert counts(engine) == (1, 1)  # the first entry was committed before the kill
    assert sources(engine)["feed.xml"].last_fetched_at is None  # the harvest was not recorded: still due
    result = CliRunner().invoke(cli, ["refresh", "--per-host-delay", "0"])
    assert result.exit_code == 0, result.output
    assert "2 new document(s)" in result.stdout
    assert counts(engine) == (3, 3)
    assert [site.hits(f"/feed/{n}.html") for n in (80, 82)] == [1, 1]
    assert sources(engine)["feed.xml"].last_status == "ok"


@pytest.mark.slow
def test_watch_stops_cleanly_on_sigterm_between_documents_and_while_it_sleeps(env_database, engine, site, tmp_path):
    for n in (90, 92):
        site.add(f"/feed/{n}.html", notice_html(n))
    reached, release = threading.Event(), threading.Event()

    def held(_handler):
        reached.set()
        release.wait(20)
        return 200, {"Content-Type": "text/html; charset=utf-8"}, notice_html(91).encode()

    site.routes["/feed/91.html"] = held
    site.add("/feed.xml", rss(site, [90, 91, 92]), ctype="application/rss+xml")
    register(engine, site.base + "/feed.xml")
    env = {**os.environ, "ROUEI_DATABASE_URL": env_database, "ROUEI_ALLOW_PRIVATE_FETCH": "true"}
    command = [str(Path(sys.executable).with_name("rouei")), "watch", "--per-host-delay", "0", "--max-sleep", "30"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        assert reached.wait(60)
        proc.send_signal(signal.SIGTERM)  # mid-document: that document is finished, no other begun
        time.sleep(0.5)
        release.set()
        _, stderr = proc.communicate(timeout=30)
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert b"SIGTERM: stopping after the current document" in stderr and b"Stopped after 1 pass" in stderr
    assert counts(engine) == (2, 2) and site.hits("/feed/92.html") == 0
    assert sources(engine)["feed.xml"].last_fetched_at is None  # stopped: still due, the next pass ends it

    # The next watcher finishes the harvest, then sleeps; SIGTERM ends the sleep at once.
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while sources(engine)["feed.xml"].last_status != "ok" and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=20)
        stopped_in = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert stopped_in < 5  # not the 30 s sleep
    assert counts(engine) == (3, 3) and [site.hits(f"/feed/{n}.html") for n in (90, 91, 92)] == [1, 1, 1]


def test_entries_left_for_the_next_pass_or_failed_keep_the_source_read_whole(engine, site, harvest_settings,
                                                                             monkeypatch):
    from app.ingest import harvest

    monkeypatch.setattr(harvest, "MAX_NEW_PER_PASS", 2)
    for n in (110, 111, 112):
        site.add(f"/feed/{n}.html", notice_html(n))
    site.add_versioned("/feed.xml", lambda: rss(site, [110, 111, 112, 113]), ctype="application/rss+xml")
    register(engine, site.base + "/feed.xml", every="1h")  # /feed/113.html answers 404
    first = refresh(engine, harvest_settings, now=T0, per_host_interval=0)
    assert [o.uri.rsplit("/", 1)[-1] for o in first.sources[0].outcomes] == ["110.html", "111.html"]
    assert sources(engine)["feed.xml"].etag is None  # two left: the next pass must not get a 304
    second = refresh(engine, harvest_settings, now=T0 + timedelta(hours=2), per_host_interval=0)
    assert [(o.uri.rsplit("/", 1)[-1], o.status) for o in second.sources[0].outcomes] == [
        ("112.html", "new"), ("113.html", "failed")]
    assert sources(engine)["feed.xml"].etag is None  # one failed: tried again next time
    site.add("/feed/113.html", notice_html(113))
    third = refresh(engine, harvest_settings, now=T0 + timedelta(hours=4), per_host_interval=0)
    assert [(o.uri.rsplit("/", 1)[-1], o.status) for o in third.sources[0].outcomes] == [("113.html", "new")]
    assert sources(engine)["feed.xml"].etag
    fourth = refresh(engine, harvest_settings, now=T0 + timedelta(hours=6), per_host_interval=0)
    assert statuses(fourth) == {"feed.xml": "unchanged"} and counts(engine) == (4, 4)


def test_watch_waits_out_a_database_that_is_down_instead_of_dying(engine, harvest_settings, monkeypatch):
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from app.ingest import harvest

    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise PoolTimeout("QueuePool limit reached")
        return harvest.PassResult()

    monkeypatch.setattr(harvest, "refresh", flaky)
    stop = threading.Event()
    seen = []

    def after(result, wait):
        seen.append((result.error, wait))
        if len(seen) == 2:
            stop.set()

    assert harvest.watch(engine, harvest_settings, stop=stop, min_sleep=0.01, max_sleep=0.05, on_pass=after) == 2
    assert seen[0][0].startswith("database unavailable") and seen[1][0] is None
    assert all(0.01 <= wait <= 0.055 for _, wait in seen)
