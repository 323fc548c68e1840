"""`rouei refresh` over many sources on a loopback server: a first pass that ingests every feed's
entries, a second that finds every feed unchanged (conditional GETs answered 304), and a third
after one feed in ten gained an entry.

    .venv/bin/python bench/refresh_bench.py --sources 50 --entries 4 \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/rouei_b

The PostgreSQL database named is the server to use: a scratch database is created beside it
and dropped after.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import Settings  # noqa: E402
from app.db import make_engine, normalize_url, session_scope, upgrade  # noqa: E402
from app.ingest.harvest import add_source, refresh  # noqa: E402
from app.models import utcnow  # noqa: E402
from tests.ingest.site import notice_html, serve  # noqa: E402


def rss(base: str, feed: int, entries: list[int]) -> str:
    items = "".join(f"<item><title>n{n}</title><link>{base}/f{feed}/{n}.html</link></item>" for n in entries)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>f{feed}</title>{items}</channel></rss>'


def run(url: str, sources: int, entries: int) -> dict[str, float]:
    engine = make_engine(url)
    upgrade(engine)
    settings = Settings(database_url=url, allow_private_fetch=True, load_seed=False)
    with serve() as site:
        lists: dict[int, list[int]] = {}
        for f in range(sources):
            lists[f] = [f * 100 + e for e in range(entries)]
            for n in lists[f]:
                site.add(f"/f{f}/{n}.html", notice_html(n))
            site.add_versioned(f"/f{f}.xml", lambda f=f: rss(site.base, f, lists[f]), ctype="application/rss+xml")
            site.add(f"/f{f}/{f * 100 + entries}.html", notice_html(f * 100 + entries))
        with session_scope(engine) as s:
            for f in range(sources):
                add_source(s, f"{site.base}/f{f}.xml", every="1h")
        now = utcnow()
        figures = {}
        for label, at, grow in (("first", now, False), ("unchanged", now + timedelta(hours=2), False),
                                ("one in ten grew", now + timedelta(hours=4), True)):
            if grow:
                for f in range(0, sources, 10):
                    lists[f].append(f * 100 + entries)
            started = time.perf_counter()
            result = refresh(engine, settings, now=at, per_host_interval=0)
            took = time.perf_counter() - started
            docs = sum(h.new_documents for h in result.sources)
            figures[label] = took
            print(f"  {label:<16} {len(result.sources)} sources, {docs} new documents: {took:.2f} s "
                  f"({took / max(1, len(result.sources)) * 1000:.1f} ms a source)")
    engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--entries", type=int, default=4)
    parser.add_argument("--postgres", help="a PostgreSQL URL whose server gets a scratch database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"SQLite, {args.sources} feeds of {args.entries} entries")
        run(f"sqlite:///{tmp}/rouei.db", args.sources, args.entries)
    if args.postgres:
        admin = make_engine(args.postgres).execution_options(isolation_level="AUTOCOMMIT")
        name = f"rouei_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            print(f"PostgreSQL, {args.sources} feeds of {args.entries} entries")
            run(make_url(normalize_url(args.postgres)).set(database=name).render_as_string(hide_password=False),
                args.sources, args.entries)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
