"""The indexes' bench (#15): /orgs and /vendors at several store sizes, against reading every
incident into Python and grouping there.

    .venv/bin/python bench/index_bench.py --sizes 10000 50000 [--postgres URL] [--repeat 7]

Each size is a store of synthetic incidents (`app.synth`, seed 0): a SQLite file built once in
/tmp/rouei-bench (index-N.db), and, with --postgres, that database emptied and filled again
(it is written to: give it a scratch database). Per store: the median of --repeat calls of
the queries behind `org_index` and `vendor_index` (uncached; first page, default sort, and
page 50 by name), of the naive way (select every live incident, group in Python), and of the
whole page through a TestClient (a repeated view: served from the search stamp's cache).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from app import directory  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db import make_engine, session_scope, upgrade  # noqa: E402
from app.models import Incident  # noqa: E402
from app.synth import synthesize  # noqa: E402

STORES = Path("/tmp/rouei-bench")


def fill(url: str, size: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    if engine.dialect.name == "postgresql":
        with engine.begin() as c:
            tables = c.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                    "AND tablename NOT IN ('alembic_version', 'incident_search_state')")).scalars().all()
            c.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            c.execute(text("INSERT INTO incident_search_state (id, stamp) VALUES (1, 1) ON CONFLICT (id) DO NOTHING"))
    with session_scope(engine) as session:
        synthesize(session, count=size)
    engine.dispose()


def sqlite_store(size: int) -> str:
    STORES.mkdir(parents=True, exist_ok=True)
    path = STORES / f"index-{size}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        fill(url, size)
    return url


def naive(session: Session) -> int:
    """What the indexes would cost done in Python: every live incident read and grouped."""
    groups: dict[int, list] = defaultdict(list)
    for inc in session.exec(select(Incident).where(col(Incident.merged_into_id).is_(None))):
        groups[inc.organization_id].append(inc.records_max)
    return len(groups)


def median_ms(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(url: str, label: str, repeat: int) -> None:
    engine = make_engine(url)
    with Session(engine) as s:
        n = s.exec(select(Incident.id).where(col(Incident.merged_into_id).is_(None))).all()
        row = [label, f"{len(n):,}"]
        # The queries themselves (uncached), then what a repeated view costs (the stamp's cache).
        row.append(median_ms(lambda: directory._org_index(s, "repeat", 1, directory.PAGE_SIZE), repeat))
        row.append(median_ms(lambda: directory._org_index(s, "name", 50, directory.PAGE_SIZE), repeat))
        row.append(median_ms(lambda: directory._vendor_index(s, "victims", 1, directory.PAGE_SIZE), repeat))
        row.append(median_ms(lambda: naive(s), max(3, repeat // 2)))
    from app.web import create_app

    with TestClient(create_app(Settings(database_url=url, load_seed=False, rate_limit=0))) as client:
        client.get("/orgs")
        row.append(median_ms(lambda: client.get("/orgs"), repeat))
        row.append(median_ms(lambda: client.get("/vendors"), repeat))
    engine.dispose()
    print("| " + " | ".join(c if isinstance(c, str) else f"{c:.1f}" for c in row) + " |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--postgres")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print("| store | incidents | orgs query ms | orgs by name, page 50 ms | vendors query ms | "
          "naive Python ms | GET /orgs ms (cached) | GET /vendors ms (cached) |")
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        measure(sqlite_store(size), "SQLite", args.repeat)
        if args.postgres:
            fill(args.postgres, size)
            measure(args.postgres, "PostgreSQL", args.repeat)


if __name__ == "__main__":
    main()
