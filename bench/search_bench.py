"""Search benchmark: 20 fixed queries with facet counts, at 1k / 10k / 100k synthetic incidents.

    .venv/bin/python bench/search_bench.py --sizes 1000 10000 --engines sqlite postgresql

For each engine and size it builds (once, then reuses) a database of synthetic incidents
(`app.synth`, seed 0), then times one search page per query — the count, the top 25 in the
default order (names first and relevance where the query is selective, then newest) and the
attack-type facet counts — and, apart, the snippets for those 25. It also computes a ground
truth per query by scanning the text in Python, and reports each side's recall.

"datasette" is the query Datasette would run on the same data with a trigram FTS5 index
(`sqlite-utils enable-fts --tokenize trigram`, Datasette's default `escape_fts` of the search
text): the SQL on the same SQLite file, not Datasette over HTTP.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from app.db import make_engine, upgrade  # noqa: E402
from app.fts import incident_filter, parse_query, rank_order, snippets  # noqa: E402
from app.models import Incident  # noqa: E402
from app.synth import synthesize  # noqa: E402
from app.text import nfkc  # noqa: E402

LEAK = ("漏洩", "漏えい", "ろうえい")


def has(*needles: str) -> Callable[[str], bool]:
    return lambda raw: any(n in raw for n in needles)


# (query, ground truth over the NFKC lower-cased text of an incident)
QUERIES: list[tuple[str, Callable[[str], bool]]] = [
    ("漏洩", has(*LEAK)),
    ("漏えい", has(*LEAK)),
    ("ろうえい", has(*LEAK)),
    ("カード", has("カード")),
    ("ｶｰﾄﾞ", has("カード")),
    ("クレジットカード", has("クレジットカード")),
    ("ランサムウェア", has("ランサムウェア")),
    ("マルウェア", has("マルウェア")),
    ("不正アクセス", has("不正アクセス")),
    ('"不正ログイン"', has("不正ログイン")),
    ("EC", has("ec")),
    ("病院", has("病院")),
    ("個人情報", has("個人情報")),
    ("再発防止", has("再発防止")),
    ("誤送信", has("誤送信")),
    ("フィッシング", has("フィッシング")),
    ("ランサムウェア OR マルウェア", has("ランサムウェア", "マルウェア")),
    ("漏洩 -ランサムウェア", lambda raw: has(*LEAK)(raw) and "ランサムウェア" not in raw),
    ("ペイリンク", has("ペイリンク")),
    ("市", has("市")),
]
PAGE = 25


def newest():
    return func.coalesce(Incident.disclosed_on, Incident.discovered_on)


def search_page(session: Session, q: str) -> tuple[int, list[int], dict[str, int]]:
    """What `search.find_incidents` does with app.fts wired in: count, one page, facets."""
    parsed = parse_query(q)
    where = [col(Incident.merged_into_id).is_(None), incident_filter(session, parsed)]
    total = session.exec(select(func.count()).select_from(Incident).where(*where)).one()
    order = [o for o in (rank_order(session, parsed),) if o is not None]
    ids = list(session.exec(select(Incident.id).where(*where).order_by(
        *order, newest().desc().nulls_last(), col(Incident.id).desc()).limit(PAGE)))
    facets = dict(session.exec(select(Incident.attack_type, func.count()).where(*where)
                               .group_by(Incident.attack_type)).all())
    return total, ids, facets


_ESCAPE_FTS = re.compile(r'\s+|(".*?")')


def datasette_escape_fts(query: str) -> str:
    """datasette.utils.escape_fts, as Datasette applies it to ?_search= by default."""
    if query.count('"') % 2:
        query += '"'
    bits = [b for b in _ESCAPE_FTS.split(query) if b and b != '""']
    return " ".join(f'"{b}"' if not b.startswith('"') else b for b in bits)


def datasette_page(session: Session, q: str) -> tuple[int, list[int], dict[str, int]]:
    match = text("incident.id IN (SELECT rowid FROM incident_trigram "
                 "WHERE incident_trigram MATCH :q)").bindparams(q=datasette_escape_fts(q))
    where = [col(Incident.merged_into_id).is_(None), match]
    total = session.exec(select(func.count()).select_from(Incident).where(*where)).one()
    ids = list(session.exec(select(Incident.id).where(*where)
                            .order_by(col(Incident.id).desc()).limit(PAGE)))
    facets = dict(session.exec(select(Incident.attack_type, func.count()).where(*where)
                               .group_by(Incident.attack_type)).all())
    return total, ids, facets


def matching_ids(session: Session, page: Callable, q: str) -> set[int]:
    parsed = parse_query(q) if page is search_page else None
    if page is search_page:
        where = incident_filter(session, parsed)
    else:
        where = text("incident.id IN (SELECT rowid FROM incident_trigram "
                     "WHERE incident_trigram MATCH :q)").bindparams(q=datasette_escape_fts(q))
    return set(session.exec(select(Incident.id).where(where)))


def database(engine_name: str, size: int, workdir: Path, pg_url: str) -> Engine:
    if engine_name == "sqlite":
        url = f"sqlite:///{workdir / f'search-{size}.db'}"
    else:
        admin = make_engine(pg_url).execution_options(isolation_level="AUTOCOMMIT")
        name = f"rouei_bench_{size}"
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        have = session.exec(select(func.count()).select_from(Incident)).one()
        if have != size:
            if have:
                sys.exit(f"{url} holds {have} incidents, not {size}: remove it first")
            started = time.perf_counter()
            synthesize(session, count=size, seed=0)
            session.commit()
            print(f"  built {engine_name} {size:,} in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    if engine_name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return engine


def ground_truth(session: Session) -> dict[str, set[int]]:
    from app.fts import _incident_texts

    ids = list(session.exec(select(Incident.id)))
    truth: dict[str, set[int]] = {q: set() for q, _f in QUERIES}
    for start in range(0, len(ids), 2000):
        for incident_id, body in _incident_texts(session, ids[start:start + 2000]).items():
            raw = nfkc(body).lower()
            for q, test in QUERIES:
                if test(raw):
                    truth[q].add(incident_id)
    return truth


CLOCK = time.perf_counter


def timed(fn: Callable, *args, repeat: int) -> tuple[list[float], object]:
    fn(*args)  # warm
    times, result = [], None
    for _ in range(repeat):
        started = CLOCK()
        result = fn(*args)
        times.append((CLOCK() - started) * 1000)
    return times, result


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def run(engine_name: str, size: int, args: argparse.Namespace) -> None:
    engine = database(engine_name, size, args.workdir, args.pg_url)
    sides = [("rouei", search_page)] + ([("datasette", datasette_page)] if engine_name == "sqlite" else [])
    with Session(engine) as session:
        truth = ground_truth(session)
        print(f"\n### {engine_name}, {size:,} incidents\n")
        header = "| query | truth | " + " | ".join(
            f"{s} ms p50 | {s} recall" for s, _p in sides) + " | snippets ms |"
        print(header)
        print("|" + "---|" * (header.count("|") - 1))
        all_times: dict[str, list[float]] = {s: [] for s, _p in sides}
        snippet_times: list[float] = []
        for q, _test in QUERIES:
            cells = [q.replace("|", "\\|"), str(len(truth[q]))]
            for side, page in sides:
                times, result = timed(page, session, q, repeat=args.repeat)
                all_times[side] += times
                found = matching_ids(session, page, q)
                recall = len(found & truth[q]) / len(truth[q]) if truth[q] else 1.0
                cells += [f"{statistics.median(times):.1f}", f"{recall:.2f}"]
                if side == "rouei":
                    ids = result[1]
                    st, _r = timed(snippets, session, q, ids, repeat=max(1, args.repeat // 2))
                    snippet_times += st
            cells.append(f"{statistics.median(snippet_times[-max(1, args.repeat // 2):]):.1f}")
            print("| " + " | ".join(cells) + " |")
        print()
        for side, times in all_times.items():
            print(f"- {side}: search + facets p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms")
        print(f"- rouei snippets (25 per page): p50 {pct(snippet_times, 50):.1f} ms, "
              f"p95 {pct(snippet_times, 95):.1f} ms")
        sys.stdout.flush()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/rouei-bench"))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cpu", action="store_true",
                        help="time with this process's CPU time, not wall time: steadier on a "
                             "busy machine, but only meaningful for SQLite (in-process)")
    args = parser.parse_args()
    if args.cpu:
        global CLOCK
        CLOCK = time.process_time
    args.workdir.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        for engine_name in args.engines:
            run(engine_name, size, args)


if __name__ == "__main__":
    main()
