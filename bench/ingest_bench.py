"""Ingest throughput: 1,000 synthetic notices into a fresh store, on SQLite and PostgreSQL.

    .venv/bin/python bench/ingest_bench.py [--count 1000] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]

Each document goes through the whole pipeline that `rouei ingest` runs — decode, parse,
match and merge, one transaction per document — against a new SQLite file and, when a
PostgreSQL URL is given (or ROUEI_BENCH_POSTGRES_URL is set), a scratch database created for
the run and dropped after it. One notice in ten is a news item about an organisation already
stored, so the merge path (match, precedence, history) is measured too. It prints documents
per second for the first pass, for a second pass of the same documents (all unchanged: the
content-hash check), and for parsing alone, so the store's share can be read off.

`--merge N` adds a pass (SQLite) where one organisation's notice is followed by N news items
about it, each a new source of the same incident: the time per document of the first and last
ten shows whether a merge costs more as the incident gains sources.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.db import make_engine, normalize_url, upgrade  # noqa: E402
from app.extract import parse_text  # noqa: E402
from app.ingest.pipeline import ingest_bytes  # noqa: E402
from tests.fixtures.ingest.synthetic import notice, notice_day, org_name  # noqa: E402


def news(i: int) -> str:
    """A news item about organisation i, two days after its notice: merged, not a new incident."""
    day = notice_day(i) + timedelta(days=2)
    return (f"{day:%Y.%m.%d}\n\n{org_name(i)}、個人情報流出の可能性\n\n"
            f"{org_name(i)}は{day.month}月{day.day}日、不正アクセスにより顧客の個人情報が流出した可能性があると発表した。\n")


def documents(count: int) -> list[tuple[str, bytes]]:
    docs = []
    for i in range(count):
        if i % 10 == 9:
            docs.append((f"bench:news/{i}", news(i - 9).encode()))
        else:
            docs.append((f"bench:notice/{i}", notice(i).encode()))
    return docs


def follow_ups(n: int) -> list[tuple[str, bytes]]:
    """One notice, then ``n`` news items about the same organisation, each worded differently."""
    docs = [("bench:merge/notice", notice(0).encode())]
    for k in range(n):
        docs.append((f"bench:merge/news/{k}", (news(0) + f"続報{k}: 同社は調査を続けている。\n" * 3).encode()))
    return docs


def merge_pass(url: str, n: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    times = []
    for uri, data in follow_ups(n):
        started = time.perf_counter()
        ingest_bytes(engine, uri=uri, data=data, filename=uri.rsplit("/", 1)[-1] + ".txt")
        times.append(time.perf_counter() - started)
    with engine.connect() as conn:
        incidents = conn.execute(text("SELECT count(*) FROM incident WHERE merged_into_id IS NULL")).scalar()
        links = conn.execute(text("SELECT count(*) FROM incidentsource")).scalar()
    engine.dispose()
    first, last = times[1:11], times[-10:]
    print(f"{'merge':<11} {n} news items into one incident ({incidents} incident(s), {links} links): "
          f"{sum(first) / len(first) * 1000:.0f} ms a document for the first ten, "
          f"{sum(last) / len(last) * 1000:.0f} ms for the last ten")


def timed_pass(engine, docs) -> tuple[float, dict[str, int]]:
    seen: dict[str, int] = {}
    started = time.perf_counter()
    for uri, data in docs:
        status = ingest_bytes(engine, uri=uri, data=data, filename=uri.rsplit("/", 1)[-1] + ".txt").status
        seen[status] = seen.get(status, 0) + 1
    return time.perf_counter() - started, seen


def bench_store(label: str, url: str, docs) -> None:
    engine = make_engine(url)
    upgrade(engine)
    first, statuses = timed_pass(engine, docs)
    second, again = timed_pass(engine, docs)
    with engine.connect() as conn:
        incidents = conn.execute(text("SELECT count(*) FROM incident WHERE merged_into_id IS NULL")).scalar()
    engine.dispose()
    n = len(docs)
    print(f"{label:<11} first pass {n / first:7.1f} docs/s ({first:5.1f} s) {statuses} · "
          f"{incidents} incidents · unchanged pass {n / second:7.1f} docs/s {again}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--merge", type=int, default=0, help="also N news items merged into one incident")
    ap.add_argument("--postgres", default=os.environ.get("ROUEI_BENCH_POSTGRES_URL", ""),
                    help="PostgreSQL server URL; a scratch database is created on it.")
    args = ap.parse_args()
    docs = documents(args.count)
    print(f"python {platform.python_version()} · {platform.machine()} · {args.count} documents, "
          f"{sum(len(d) for _, d in docs) / 1e6:.2f} MB")

    parse_text(docs[0][1].decode())  # warm up: dictionary, regexes
    started = time.perf_counter()
    for _, data in docs:
        parse_text(data.decode())
    parse_only = time.perf_counter() - started
    print(f"{'parse only':<11} {len(docs) / parse_only:7.1f} docs/s")

    with tempfile.TemporaryDirectory() as tmp:
        bench_store("SQLite", f"sqlite:///{tmp}/bench.db", docs)
        if args.merge:
            merge_pass(f"sqlite:///{tmp}/merge.db", args.merge)

    if args.postgres:
        admin = make_engine(args.postgres).execution_options(isolation_level="AUTOCOMMIT")
        name = f"rouei_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(normalize_url(args.postgres)).set(database=name).render_as_string(hide_password=False)
            bench_store("PostgreSQL", url, docs)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        print("PostgreSQL  skipped (give --postgres or set ROUEI_BENCH_POSTGRES_URL)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
