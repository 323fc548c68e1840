"""Search benchmark over HTTP: 20 fixed queries with facet counts, Rouei against Datasette.

    .venv/bin/python bench/search_bench.py --sizes 1000 10000 100000 --engines sqlite postgresql

For each engine and size it builds once (then reuses) a store of synthetic incidents
(`app.synth`, seed 0: `/tmp/rouei-bench/search-N.db`, PostgreSQL database `rouei_bench_N`),
starts the app on a free loopback port (`python -m uvicorn app.web:create_app --factory`, one
worker, ROUEI_LOAD_SEED=false, ROUEI_RATE_LIMIT=0, no access log, in its own process group)
and times, with one keep-alive httpx client and one request at a time, what the home page's
search asks for: `GET /api/incidents?q=...&limit=25&facets=true` (the page, the total count
and the facet counts of the same search). Each query is sent once to warm up, then `--repeat`
times. The app caches counts and facets per search text, so these are warm figures; the
server is then restarted (empty cache) and each query sent once more: the "cold" figures.

For SQLite sizes it also builds `/tmp/rouei-bench/datasette-N.db`: one table
`incidents(id, attack_type, text)` holding the same live incidents and the same searchable
text as the ground truth (organisation names, leaked items, the sources' segments), with a
trigram FTS5 index (`sqlite-utils enable-fts --tokenize trigram --create-triggers`), serves it
with `datasette serve` and sends the same queries as
`/datasette-N/incidents.json?_search=...&_facet=attack_type&_size=25` (Datasette 0.65: the
JSON holds the rows, `filtered_table_rows_count` and `facet_results`).

Recall and precision of each side per query are measured against a ground truth the script
computes by scanning the NFKC, lower-cased text in Python. Each side's match set is computed
in-process (Rouei: `app.search.incident_filter`; Datasette: the FTS5 MATCH of `escape_fts(q)` it
runs, on the datasette file) and checked against the count that side returned over HTTP.

Results are saved as JSON next to the stores (`search-result-<engine>-<size>.json`);
`--report` prints the tables again from those files, with the engines side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import create_engine, func, text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from app.db import make_engine, upgrade  # noqa: E402
from app.models import Incident  # noqa: E402
from app.search import incident_filter, parse_query  # noqa: E402
from app.search.index import incident_texts as search_texts  # noqa: E402
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
CHUNK = 2000
LIVE = col(Incident.merged_into_id).is_(None)
WARM_UP = "ウォームアップ"  # a search none of QUERIES makes


# ---------------------------------------------------------------- stores


_ESCAPE_FTS = re.compile(r'\s+|(".*?")')


def datasette_escape_fts(query: str) -> str:
    """datasette.utils.escape_fts, as Datasette applies it to ?_search= by default."""
    if query.count('"') % 2:
        query += '"'
    bits = [b for b in _ESCAPE_FTS.split(query) if b and b != '""']
    return " ".join(f'"{b}"' if not b.startswith('"') else b for b in bits)


def pg_database_url(pg_url: str, size: int) -> str:
    return make_url(pg_url).set(database=f"rouei_bench_{size}").render_as_string(hide_password=False)


def pg_count(pg_url: str, size: int) -> int | None:
    """Incidents in rouei_bench_N, without creating or migrating anything (None: no such table)."""
    engine = create_engine(pg_database_url(pg_url, size))
    try:
        with engine.connect() as conn:
            if not conn.dialect.has_table(conn, "incident"):
                return None
            return conn.execute(text("SELECT count(*) FROM incident")).scalar_one()
    except Exception as exc:  # no such database, server down: say so and skip
        print(f"  PostgreSQL rouei_bench_{size}: {type(exc).__name__}: {str(exc).splitlines()[0]}",
              file=sys.stderr)
        return None
    finally:
        engine.dispose()


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
        url = pg_database_url(pg_url, size)
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


def incident_texts(session: Session) -> Iterator[tuple[int, str, str]]:
    """(id, attack type, searchable text) of every live incident, as the search indexes it."""
    rows = list(session.exec(select(Incident.id, Incident.attack_type).where(LIVE).order_by(Incident.id)))
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        texts = search_texts(session, [i for i, _a in chunk])
        for incident_id, attack_type in chunk:
            yield incident_id, attack_type, texts.get(incident_id, "")
        session.expunge_all()


def ground_truth(session: Session, sink: Callable[[int, str, str], None] | None = None) -> dict[str, set[int]]:
    truth: dict[str, set[int]] = {q: set() for q, _f in QUERIES}
    for incident_id, attack_type, body in incident_texts(session):
        if sink:
            sink(incident_id, attack_type, body)
        raw = nfkc(body).lower()
        for q, test in QUERIES:
            if test(raw):
                truth[q].add(incident_id)
    return truth


def datasette_rows(path: Path) -> int | None:
    """Rows of the datasette copy, or None when it is missing or unfinished."""
    if not path.exists():
        return None
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"incidents", "incidents_fts"} <= tables:
            return None
        return conn.execute("SELECT count(*) FROM incidents").fetchone()[0]


def truth_and_datasette_copy(session: Session, size: int, workdir: Path,
                             want_copy: bool) -> tuple[dict[str, set[int]], Path | None]:
    """The ground truth; and the datasette copy of the same texts (built once, then reused)."""
    live = session.exec(select(func.count()).select_from(Incident).where(LIVE)).one()
    path = workdir / f"datasette-{size}.db"
    if not want_copy or datasette_rows(path) == live:
        return ground_truth(session), (path if want_copy else None)

    import sqlite_utils

    started = time.perf_counter()
    partial = path.with_suffix(".db.part")
    partial.unlink(missing_ok=True)
    db = sqlite_utils.Database(partial)
    table = db.table("incidents")
    table.create({"id": int, "attack_type": str, "text": str}, pk="id")
    batch: list[dict] = []

    def sink(incident_id: int, attack_type: str, body: str) -> None:
        batch.append({"id": incident_id, "attack_type": attack_type, "text": body})
        if len(batch) >= CHUNK:
            table.insert_all(batch)
            batch.clear()

    truth = ground_truth(session, sink)
    table.insert_all(batch)
    # = sqlite-utils enable-fts datasette-N.db incidents text --tokenize trigram --create-triggers
    table.enable_fts(["text"], tokenize="trigram", create_triggers=True)
    db.close()
    partial.replace(path)
    print(f"  built {path.name} ({live:,} rows, trigram FTS5) in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return truth, path


def rouei_matches(session: Session, q: str) -> set[int]:
    return set(session.exec(select(Incident.id).where(LIVE, incident_filter(session, parse_query(q)))))


def datasette_matches(path: Path, q: str) -> set[int]:
    """What Datasette's ?_search= matches: rowid IN (FTS5 MATCH escape_fts(q))."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return {r[0] for r in conn.execute(
            "SELECT rowid FROM incidents WHERE rowid IN "
            "(SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?)", (datasette_escape_fts(q),))}


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server in its own process group; stop() takes the whole group down."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], port: int, health: str,
                 log: Path) -> None:
        self.name, self.port, self.health, self.log = name, port, health, log
        self.log_file = log.open("a")
        self.log_file.write(f"\n=== {time.strftime('%F %T')} {' '.join(argv)}\n")
        self.log_file.flush()
        self.proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=self.log_file,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.base = f"http://127.0.0.1:{port}"

    def wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base + self.health, timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not healthy after {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)  # start_new_session: pid = group id
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log_file.close()


def rouei_server(url: str, workdir: Path, tag: str) -> Server:
    # `rouei serve` has no switch for the access log (it would cost a line per request), so
    # the same app factory is started with uvicorn directly: one process, one worker.
    port = free_port()
    env = {**os.environ, "ROUEI_DATABASE_URL": url, "ROUEI_LOAD_SEED": "false",
           "ROUEI_RATE_LIMIT": "0", "PYTHONUNBUFFERED": "1"}
    env.pop("ROUEI_REDIS_URL", None)
    argv = [sys.executable, "-m", "uvicorn", "app.web:create_app", "--factory", "--host", "127.0.0.1",
            "--port", str(port), "--workers", "1", "--no-access-log", "--log-level", "warning"]
    return Server("rouei", argv, env, port, "/healthz", workdir / f"search-server-{tag}.log")


def datasette_server(path: Path, workdir: Path) -> Server:
    port = free_port()
    argv = [str(BIN / "datasette"), "serve", str(path), "--host", "127.0.0.1", "--port", str(port),
            "--setting", "sql_time_limit_ms", "10000", "--setting", "facet_time_limit_ms", "10000",
            "--setting", "default_page_size", str(PAGE), "--setting", "suggest_facets", "off"]
    return Server("datasette", argv, dict(os.environ), port, "/-/versions.json",
                  workdir / f"search-server-datasette-{path.stem}.log")


# ---------------------------------------------------------------- measuring


def rouei_request(client: httpx.Client, base: str, q: str) -> tuple[float, int, int]:
    """(ms, count, sum of the attack-type facet counts) of one search page."""
    started = time.perf_counter()
    r = client.get(base + "/api/incidents", params={"q": q, "limit": PAGE, "facets": "true"})
    ms = (time.perf_counter() - started) * 1000
    if r.status_code != 200:
        raise RuntimeError(f"rouei q={q!r}: HTTP {r.status_code} {r.text[:300]}")
    body = r.json()
    if body.get("query_error"):
        raise RuntimeError(f"rouei q={q!r}: query_error {body['query_error']}")
    return ms, body["count"], sum(f["count"] for f in body["facets"]["attack_type"])


def datasette_request(client: httpx.Client, base: str, name: str, q: str) -> tuple[float, int | None, int]:
    started = time.perf_counter()
    r = client.get(f"{base}/{name}/incidents.json",
                   params={"_search": q, "_facet": "attack_type", "_size": PAGE})
    ms = (time.perf_counter() - started) * 1000
    if r.status_code != 200:
        raise RuntimeError(f"datasette q={q!r}: HTTP {r.status_code} {r.text[:300]}")
    body = r.json()
    if body.get("facets_timed_out"):
        raise RuntimeError(f"datasette q={q!r}: facets timed out {body['facets_timed_out']}")
    facet = body.get("facet_results", {}).get("attack_type", {})
    return ms, body.get("filtered_table_rows_count"), sum(v["count"] for v in facet.get("results", []))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def scores(found: set[int], truth: set[int]) -> tuple[float, float]:
    hit = len(found & truth)
    return (hit / len(truth) if truth else 1.0), (hit / len(found) if found else 1.0)


def git_state() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    dirty = git("status", "--porcelain", "--", "app", "migrations")
    return git("rev-parse", "--short", "HEAD") + (" (app/ modified)" if dirty else "")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(engine_name: str, size: int, args: argparse.Namespace) -> dict | None:
    if engine_name == "postgresql":
        have = pg_count(args.pg_url, size)
        if have != size:
            print(f"\n### postgresql, {size:,} incidents: skipped (rouei_bench_{size} holds "
                  f"{'no incident table' if have is None else f'{have:,} incidents'}, not {size:,}; "
                  "it is not touched)\n")
            return None
    engine = database(engine_name, size, args.workdir, args.pg_url)
    url = engine.url.render_as_string(hide_password=False)
    with_ds = engine_name == "sqlite" and not args.no_datasette
    result: dict = {"engine": engine_name, "size": size, "repeat": args.repeat, "git": git_state(),
                    "started": time.strftime("%F %T"), "load_start": load(), "queries": {}}
    with Session(engine) as session:
        started = time.perf_counter()
        truth, ds_path = truth_and_datasette_copy(session, size, args.workdir, with_ds)
        print(f"  ground truth {engine_name} {size:,}: {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
        rouei_sets = {q: rouei_matches(session, q) for q, _t in QUERIES}
    engine.dispose()
    ds_sets = {q: datasette_matches(ds_path, q) for q, _t in QUERIES} if ds_path else {}
    parsed_seen: dict = {}
    for q, _t in QUERIES:
        parsed = parse_query(q)
        first = parsed_seen.setdefault(parsed, q)
        rouei_recall, rouei_precision = scores(rouei_sets[q], truth[q])
        result["queries"][q] = {"truth": len(truth[q]), "rouei_matches": len(rouei_sets[q]),
                                "rouei_recall": rouei_recall, "rouei_precision": rouei_precision,
                                "same_search_as": None if first == q else first, "problems": []}
        if ds_path:
            ds_recall, ds_precision = scores(ds_sets[q], truth[q])
            result["queries"][q].update(ds_matches=len(ds_sets[q]), ds_recall=ds_recall,
                                        ds_precision=ds_precision)

    tag = f"{engine_name}-{size}"
    servers: list[Server] = []
    try:
        servers.append(rouei_server(url, args.workdir, tag))
        if ds_path:
            servers.append(datasette_server(ds_path, args.workdir))
        for s in servers:
            s.wait_healthy()
        with httpx.Client(timeout=120) as client:
            for q, _t in QUERIES:
                row = result["queries"][q]
                for side, server in zip(("rouei", "ds"), servers, strict=False):
                    times = []
                    for i in range(1 + args.repeat):
                        if side == "rouei":
                            ms, count, facet_sum = rouei_request(client, server.base, q)
                            expected = row["rouei_matches"]
                        else:
                            ms, count, facet_sum = datasette_request(client, server.base, ds_path.stem, q)
                            expected = row["ds_matches"]
                        if i:
                            times.append(ms)
                        if i == 0:
                            row[f"{side}_count"] = count
                            if count != expected:
                                row["problems"].append(f"{side}: HTTP count {count} != in-process "
                                                       f"match set {expected}")
                            if count is not None and facet_sum != count:
                                row["problems"].append(f"{side}: attack-type facets sum to "
                                                       f"{facet_sum}, count {count}")
                    row[f"{side}_ms"] = times
            # The app caches each search text's counts and facets: restart for an empty cache.
            servers[0].stop()
            for rnd in range(args.cold_rounds):
                servers[0] = rouei_server(url, args.workdir, tag)
                servers[0].wait_healthy()
                # one search that is none of the 20 (so it fills none of their cache entries):
                # the first connection and lazy set-up are not charged to the first query
                rouei_request(client, servers[0].base, WARM_UP)
                for q, _t in QUERIES:
                    ms, _c, _f = rouei_request(client, servers[0].base, q)
                    result["queries"][q].setdefault("cold_ms", []).append(ms)
                if rnd + 1 < args.cold_rounds:
                    servers[0].stop()
    finally:
        for s in servers:
            s.stop()
    result["load_end"] = load()
    out = args.workdir / f"search-result-{tag}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print_run(result)
    return result


# ---------------------------------------------------------------- reporting


def md(q: str) -> str:
    return q.replace("|", "\\|")


def p50(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}" if values else "–"


def summary(result: dict) -> dict[str, float]:
    qs = result["queries"].values()
    rouei = [t for r in qs for t in r["rouei_ms"]]
    cold = [statistics.median(r["cold_ms"]) for r in qs if not r["same_search_as"]]
    out = {"p50": pct(rouei, 50), "p95": pct(rouei, 95), "n": len(rouei),
           "cold_p50": pct(cold, 50), "cold_p95": pct(cold, 95), "cold_n": len(cold),
           "cold_max": max(cold)}
    ds = [t for r in qs for t in r.get("ds_ms", [])]
    if ds:
        out.update(ds_p50=pct(ds, 50), ds_p95=pct(ds, 95), ds_n=len(ds))
    return out


def print_run(result: dict) -> None:
    ds = "ds_ms" in next(iter(result["queries"].values()))
    print(f"\n### {result['engine']}, {result['size']:,} incidents (HTTP, {result['repeat']} timed "
          f"requests per query after 1 warm-up; git {result['git']}; load average "
          f"{result['load_start']} → {result['load_end']})\n")
    cols = ["query", "truth", "rouei p50 ms", "cold ms", "rouei recall", "rouei precision"]
    if ds:
        cols += ["datasette p50 ms", "datasette recall", "datasette precision"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for q, r in result["queries"].items():
        cold = p50(r["cold_ms"]) + ("†" if r["same_search_as"] else "")
        cells = [md(q), str(r["truth"]), p50(r["rouei_ms"]), cold, f"{r['rouei_recall']:.2f}",
                 f"{r['rouei_precision']:.2f}"]
        if ds:
            cells += [p50(r["ds_ms"]), f"{r['ds_recall']:.2f}", f"{r['ds_precision']:.2f}"]
        print("| " + " | ".join(cells) + " |")
    shared = [f"{q} = {r['same_search_as']}" for q, r in result["queries"].items() if r["same_search_as"]]
    if shared:
        print(f"\n† the same search as an earlier query once normalised ({'; '.join(shared)}): "
              "after the restart its counts and facets come from that query's cache entry; left "
              "out of the cold figures.")
    s = summary(result)
    print(f"\n- rouei {result['engine']} {result['size']:,}: search + facets p50 {s['p50']:.1f} ms, "
          f"p95 {s['p95']:.1f} ms ({s['n']} requests); cold (first request after a restart) "
          f"p50 {s['cold_p50']:.1f} ms, p95 {s['cold_p95']:.1f} ms, max {s['cold_max']:.1f} ms "
          f"({s['cold_n']} searches)")
    if ds:
        worse = [q for q, r in result["queries"].items() if r["rouei_recall"] < r["ds_recall"]]
        zero = sum(1 for r in result["queries"].values() if r["truth"] and r["ds_recall"] == 0)
        print(f"- datasette {result['size']:,}: p50 {s['ds_p50']:.1f} ms, p95 {s['ds_p95']:.1f} ms "
              f"({s['ds_n']} requests); ratio rouei/datasette p50 {s['p50'] / s['ds_p50']:.2f}, "
              f"p95 {s['p95'] / s['ds_p95']:.2f} (cold p95 / datasette p95 "
              f"{s['cold_p95'] / s['ds_p95']:.2f})")
        print(f"- recall: rouei ≥ datasette on {20 - len(worse)}/20 queries"
              + (f" (below on {', '.join(worse)})" if worse else "")
              + f"; datasette finds nothing on {zero} queries that have matches")
    problems = [f"{q}: {p}" for q, r in result["queries"].items() for p in r["problems"]]
    for p in problems:
        print(f"- PROBLEM {p}")
    sys.stdout.flush()


def print_side_by_side(results: list[dict]) -> None:
    """One table per size with every engine that ran: SQLite rouei, Datasette, PostgreSQL rouei."""
    by_size: dict[int, dict[str, dict]] = {}
    for r in results:
        by_size.setdefault(r["size"], {})[r["engine"]] = r
    for size, engines in sorted(by_size.items()):
        sq, pg = engines.get("sqlite"), engines.get("postgresql")
        if not (sq and pg):
            continue
        ds = "ds_ms" in next(iter(sq["queries"].values()))
        print(f"\n### {size:,} incidents, side by side (ms: p50 of the warm requests; cold: first "
              f"request after a restart)\n")
        cols = ["query", "truth", "SQLite", "SQLite cold"] + (["Datasette"] if ds else []) + \
            ["PostgreSQL", "PG cold", "rouei recall"] + (["Datasette recall"] if ds else [])
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for q, r in sq["queries"].items():
            g = pg["queries"][q]
            mark = "†" if r["same_search_as"] else ""
            cells = [md(q), str(r["truth"]), p50(r["rouei_ms"]), p50(r["cold_ms"]) + mark]
            cells += [p50(r["ds_ms"])] if ds else []
            recall = f"{r['rouei_recall']:.2f}" + ("" if g["rouei_recall"] == r["rouei_recall"]
                                                   else f" / PG {g['rouei_recall']:.2f}")
            cells += [p50(g["rouei_ms"]), p50(g["cold_ms"]) + mark, recall]
            cells += [f"{r['ds_recall']:.2f}"] if ds else []
            print("| " + " | ".join(cells) + " |")
        s, p = summary(sq), summary(pg)
        print(f"\n- SQLite: p50 {s['p50']:.1f} / p95 {s['p95']:.1f} ms, cold p50 {s['cold_p50']:.1f} / "
              f"p95 {s['cold_p95']:.1f} ms (load {sq['load_start']})")
        if ds:
            print(f"- Datasette: p50 {s['ds_p50']:.1f} / p95 {s['ds_p95']:.1f} ms")
        print(f"- PostgreSQL: p50 {p['p50']:.1f} / p95 {p['p95']:.1f} ms, cold p50 {p['cold_p50']:.1f} / "
              f"p95 {p['cold_p95']:.1f} ms (load {pg['load_start']}); PG/SQLite p95 "
              f"{p['p95'] / s['p95']:.2f}, cold p95 {p['cold_p95'] / s['cold_p95']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/rouei-bench"))
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per query and side")
    parser.add_argument("--cold-rounds", type=int, default=1,
                        help="server restarts for the cold figures (median per query)")
    parser.add_argument("--no-datasette", action="store_true", help="time Rouei only")
    parser.add_argument("--report", action="store_true",
                        help="print the tables from the saved results of --sizes/--engines; run nothing")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if not args.report and not args.no_datasette and "sqlite" in args.engines:
        from datasette.utils import escape_fts

        wrong = [q for q, _t in QUERIES if escape_fts(q) != datasette_escape_fts(q)]
        if wrong:
            sys.exit(f"datasette_escape_fts differs from the installed Datasette's on {wrong}")
    # SIGTERM ends the run like Ctrl-C does: through the finally blocks that stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"SQLite {sqlite3.sqlite_version}; load average {load()}")
    results = []
    for size in args.sizes:
        for engine_name in args.engines:
            if args.report:
                saved = args.workdir / f"search-result-{engine_name}-{size}.json"
                if saved.exists():
                    results.append(json.loads(saved.read_text()))
                    print_run(results[-1])
            elif (result := run(engine_name, size, args)) is not None:
                results.append(result)
    print_side_by_side(results)


if __name__ == "__main__":
    main()
