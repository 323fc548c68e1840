"""Loopback load test: N concurrent clients for D seconds against `rouei serve --workers W`.

    .venv/bin/python bench/load_bench.py --engines sqlite postgresql \
        [--clients 200] [--duration 60] [--size 10000] [--workers 2] [--rate-limit 0]

For each engine it builds once (then reuses) a store of `--size` synthetic incidents with
`rouei synth` (`/tmp/rouei-bench/load-N.db`, PostgreSQL database `rouei_load_N`), starts
`rouei serve --workers W` on a free loopback port in its own process group (log in
`/tmp/rouei-bench/load-<engine>-N.log`), waits for `/healthz`, and runs `--clients` loops in
ONE asyncio process (an httpx.AsyncClient with one keep-alive connection per client), each
sending requests back to back until the deadline, over a fixed mix:

    home        /  and  /?page=N
    search      /?q=漏洩 … (Japanese words), with and without type= / year=, and type= alone
    permalink   /incidents/{slug}            (slugs sampled from the store)
    api_list    /api/incidents?q=…&type=…&limit=…
    api_detail  /api/incidents/{slug}
    api_facets  /api/facets?…

It prints requests, throughput, p50/p95/p99 latency overall and per kind, the count of each
status code and the errors: transport errors (timeouts, resets) and any status other than
200/301/304/429. It exits 1 when there is any error (a 429 is not one).

All clients come from 127.0.0.1, which the rate limiter takes for one client (with a budget
per worker: the limiter is in memory). By default the server runs with ROUEI_RATE_LIMIT=0
(off) so that the limiter does not answer most requests; `--rate-limit 60` shows 429s
appearing and nothing else. `--rev HEAD` serves a commit from a `git archive` copy (stores
of its own, `load-N_<sha>`), so work in progress in the checkout does not move the figures.
The server is stopped (SIGTERM, then SIGKILL, to its whole process group) on the way out,
also on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.taxonomy import ATTACK_TYPES  # noqa: E402

OK_STATUSES = {200, 301, 304, 429}
WORDS = ("漏洩", "カード", "ランサムウェア", "不正アクセス", "病院", "個人情報", "ｶｰﾄﾞ",
         "フィッシング", "誤送信", "ランサムウェア OR マルウェア", "漏洩 -ランサムウェア")
TYPES = tuple(t.key for t in ATTACK_TYPES)
YEARS = tuple(range(2016, 2025))
# kind -> share of the requests
MIX = {"home": 15, "search": 30, "permalink": 20, "api_list": 15, "api_detail": 10, "api_facets": 10}


def request_url(kind: str, rng: random.Random, slugs: list[str]) -> str:
    if kind == "home":
        return "/" if rng.random() < 0.7 else f"/?page={rng.randint(2, 20)}"
    if kind == "search":
        params: list[tuple[str, str]] = []
        roll = rng.random()
        if roll < 0.8:
            params.append(("q", rng.choice(WORDS)))
        if roll >= 0.5:
            params.append(("type", rng.choice(TYPES)))
        if rng.random() < 0.2:
            params.append(("year", str(rng.choice(YEARS))))
        return "/?" + urlencode(params)
    if kind == "permalink":
        return f"/incidents/{rng.choice(slugs)}"
    if kind == "api_list":
        params = [("limit", str(rng.choice((10, 25, 50))))]
        if rng.random() < 0.6:
            params.append(("q", rng.choice(WORDS)))
        if rng.random() < 0.5:
            params.append(("type", rng.choice(TYPES)))
        return "/api/incidents?" + urlencode(params)
    if kind == "api_detail":
        return f"/api/incidents/{rng.choice(slugs)}"
    if kind == "api_facets":
        roll = rng.random()
        if roll < 0.4:
            return "/api/facets?" + urlencode([("q", rng.choice(WORDS))])
        if roll < 0.8:
            return "/api/facets?" + urlencode([("type", rng.choice(TYPES))])
        return "/api/facets"
    raise ValueError(kind)


# ---------------------------------------------------------------- the store


def source_tree(rev: str | None, workdir: Path) -> tuple[Path, str]:
    """(where to run the app from, a tag for its stores): the working tree, or `git archive REV`.

    Other work in progress in the checkout (a migration half written) must not move the
    figures or break the store; --rev HEAD serves the last commit, from its own copy.
    """
    if rev is None:
        return ROOT, ""
    sha = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    dest = workdir / f"src-{sha[:12]}"
    if not (dest / "app").is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest, f"_{sha[:7]}"


def store_url(engine_name: str, size: int, workdir: Path, pg_url: str, tag: str) -> str:
    if engine_name == "sqlite":
        return f"sqlite:///{workdir / f'load-{size}{tag}.db'}"
    name = f"rouei_load_{size}{tag}"
    admin = create_engine(pg_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(pg_url).set(database=name).render_as_string(hide_password=False)


def count_incidents(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not conn.dialect.has_table(conn, "incident"):
                return 0
            return conn.execute(text("SELECT count(*) FROM incident")).scalar_one()
    finally:
        engine.dispose()


def build_store(engine_name: str, size: int, url: str, env: dict[str, str], src: Path) -> None:
    """`rouei synth --count size` into an empty store, once; a store of another size is refused."""
    have = count_incidents(url)
    if have == size:
        return
    if have:
        sys.exit(f"{url} holds {have} incidents, not {size}: remove it first")
    started = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/rouei"), "synth", "--count", str(size)],
                   env=env, cwd=src, check=True)
    if engine_name == "postgresql":
        engine = create_engine(url).execution_options(isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
        engine.dispose()
    print(f"  built {engine_name} {size:,} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def sample_slugs(url: str, n: int = 1000) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        slugs = list(conn.execute(text(
            "SELECT slug FROM incident WHERE merged_into_id IS NULL ORDER BY random() LIMIT :n"),
            {"n": n}).scalars())
    engine.dispose()
    return slugs


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`rouei serve` in its own process group; stop() takes the whole group down."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path, src: Path) -> None:
        self.port, self.log = port, log
        self.log_file = log.open("w")
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/rouei"), "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(workers)],
            env=env, cwd=src, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True)
        self.pgid = self.proc.pid  # start_new_session: the leader's pid is the group id

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"no /healthz within {timeout:.0f} s; see {self.log}")

    def pids(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == self.pgid:
                        found.append(int(entry.name))
                except OSError:
                    pass
        return found

    def stop(self) -> None:
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.pgid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(wait)
            except subprocess.TimeoutExpired:
                continue
            # the supervisor is gone; make sure no worker outlived it
            deadline = time.monotonic() + wait
            while self.pids() and time.monotonic() < deadline:
                time.sleep(0.1)
            if not self.pids():
                break
        self.log_file.close()


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes (and their waited-for children)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / tick


def backend_pids(database: str) -> list[int]:
    """PostgreSQL backends connected to this database (their title names it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {database} " in title:
                found.append(int(entry.name))
    return found


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


# ---------------------------------------------------------------- the clients


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    transport: Counter = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)


async def client_loop(client: httpx.AsyncClient, seed: int, slugs: list[str], deadline: float,
                      results: Results) -> None:
    rng = random.Random(seed)  # noqa: S311 - a request mix, not a secret
    kinds, weights = list(MIX), list(MIX.values())
    while time.perf_counter() < deadline:
        kind = rng.choices(kinds, weights)[0]
        url = request_url(kind, rng, slugs)
        started = time.perf_counter()
        try:
            response = await client.get(url)
            status = response.status_code
        except httpx.HTTPError as exc:
            results.transport[f"{kind}: {type(exc).__name__}"] += 1
            results.statuses[kind]["transport"] += 1
            if len(results.error_samples) < 20:
                cause = exc.__cause__ or exc.__context__
                results.error_samples.append(
                    f"{url} -> {type(exc).__name__}: {exc} ({cause!r}) after "
                    f"{time.perf_counter() - started:.1f} s, {deadline - time.perf_counter():.0f} s "
                    f"before the deadline")
            await asyncio.sleep(0.1)  # a dead server must not turn this loop into a spin
            continue
        results.latencies[kind].append((time.perf_counter() - started) * 1000)
        results.statuses[kind][status] += 1
        if status not in OK_STATUSES and len(results.error_samples) < 20:
            results.error_samples.append(f"{url} -> {status}: {response.text[:200]}")


async def run_clients(base: str, clients: int, duration: float, slugs: list[str], timeout: float,
                      seed: int) -> tuple[Results, float]:
    # One httpx client, so one keep-alive connection, per simulated client: 200 clients are 200
    # connections at most. One shared pool of 200 would do the same but hits an httpcore 1.0.9
    # race under load (encode/httpcore#1110: the pool closes an idle connection it has just
    # handed to a waiting request, seen as ReadError(ClosedResourceError)). Idle connections
    # are dropped after 4 s, before uvicorn's keep-alive timeout (5 s) could close them under
    # a request. Plain HTTP on loopback: no CA bundle to load 200 times (verify=False).
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=4)
    results = Results()
    async with contextlib.AsyncExitStack() as stack:
        pool = [await stack.enter_async_context(httpx.AsyncClient(
            base_url=base, limits=limits, timeout=timeout, verify=False)) for _ in range(clients)]
        # warm each worker's templates, caches and pools; not counted
        warm = random.Random(seed - 1)  # noqa: S311
        await asyncio.gather(*(pool[i % clients].get(request_url(k, warm, slugs))
                               for i, k in enumerate(k for k in MIX for _ in range(4))),
                             return_exceptions=True)
        started = time.perf_counter()
        deadline = started + duration
        await asyncio.gather(*(client_loop(client, seed + i, slugs, deadline, results)
                               for i, client in enumerate(pool)))
        elapsed = time.perf_counter() - started
    return results, elapsed


# ---------------------------------------------------------------- the report


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def fmt_statuses(counter: Counter) -> str:
    return ", ".join(f"{k}: {v:,}" for k, v in sorted(counter.items(), key=lambda kv: str(kv[0])))


def server_errors(log: Path) -> list[str]:
    """The distinct exception lines that end the tracebacks in the server log, and its warnings
    (a 503 is logged as one) with the request path left out."""
    found: Counter = Counter()
    lines = log.read_text(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("WARNING:"):
            found[re.sub(r" for [A-Z]+ \S+: ", " for …: ", line)[:240]] += 1
        if line.startswith("Traceback"):
            for nxt in lines[i + 1:]:
                if nxt and not nxt.startswith((" ", "\t", "Traceback", "The above exception",
                                               "During handling")):
                    found[nxt[:240]] += 1
                    break
    return [f"{n} × {msg}" for msg, n in found.most_common(10)]


def report(engine_name: str, args: argparse.Namespace, results: Results, elapsed: float,
           cpu: dict[str, float], log: Path, server_died: bool) -> int:
    every = [v for vals in results.latencies.values() for v in vals]
    statuses: Counter = Counter()
    for c in results.statuses.values():
        statuses.update(c)
    attempts = sum(statuses.values())
    answered = attempts - statuses["transport"]
    errors = sum(n for s, n in statuses.items() if s not in OK_STATUSES) + server_died
    limit = "off" if args.rate_limit == 0 else f"{args.rate_limit}/min"
    print(f"\n### {engine_name}, {args.size:,} incidents, {args.clients} clients × "
          f"{args.duration:.0f} s, {args.workers} workers, rate limit {limit}\n")
    print(f"- {answered:,} responses in {elapsed:.1f} s (from the start to the last response): "
          f"**{answered / elapsed:,.1f} req/s**; latency p50 {pct(every, 50):,.0f} ms, "
          f"p95 {pct(every, 95):,.0f} ms, p99 {pct(every, 99):,.0f} ms")
    print(f"- statuses: {fmt_statuses(statuses)}")
    print(f"- errors: {errors:,}" + (f" ({dict(results.transport)})" if results.transport else "")
          + (" — THE SERVER EXITED DURING THE RUN" if server_died else ""))
    cores = f"{os.cpu_count()} CPUs"
    print(f"- CPU seconds over the run: server {cpu['server']:.0f}"
          + (f", PostgreSQL backends {cpu['postgres']:.0f}" if "postgres" in cpu else "")
          + f", load generator {cpu['client']:.0f}; machine {cpu['machine']:.0%} busy of {cores}")
    if answered:
        app_ms = (cpu["server"] + cpu.get("postgres", 0)) / answered * 1000
        print(f"- CPU per response (server + database): {app_ms:.0f} ms, so at most "
              f"~{(os.cpu_count() or 1) * 1000 / app_ms:,.0f} req/s on this machine's CPUs "
              f"with nothing else running")
    print()
    print("| kind | requests | req/s | p50 ms | p95 ms | p99 ms | statuses |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for kind in [*MIX, "all"]:
        lat = every if kind == "all" else results.latencies.get(kind, [])
        st = statuses if kind == "all" else results.statuses.get(kind, Counter())
        n = sum(st.values())
        print(f"| {kind} | {n:,} | {n / elapsed:,.1f} | {pct(lat, 50):,.0f} | {pct(lat, 95):,.0f} "
              f"| {pct(lat, 99):,.0f} | {fmt_statuses(st)} |")
    if results.error_samples:
        print("\nfirst errors:")
        for line in results.error_samples:
            print(f"  {line}")
    tracebacks = server_errors(log)
    if tracebacks:
        print(f"\nserver exceptions (from {log}):")
        for line in tracebacks:
            print(f"  {line}")
    sys.stdout.flush()
    return errors


def run(engine_name: str, args: argparse.Namespace) -> int:
    src, tag = source_tree(args.rev, args.workdir)
    url = store_url(engine_name, args.size, args.workdir, args.pg_url, tag)
    env = {**os.environ, "ROUEI_DATABASE_URL": url, "ROUEI_LOAD_SEED": "false",
           "ROUEI_RATE_LIMIT": str(args.rate_limit)}
    env.pop("ROUEI_REDIS_URL", None)  # in-memory limiter, one per worker
    if src != ROOT:
        env["PYTHONPATH"] = str(src)  # ahead of the editable install of the working tree
    build_store(engine_name, args.size, url, env, src)
    slugs = sample_slugs(url)
    port = args.port or free_port()
    log = args.workdir / f"load-{engine_name}-{args.size}{tag}.log"
    database = make_url(url).database if engine_name == "postgresql" else None
    server = Server(env, port, args.workers, log, src)
    try:
        server.wait_healthy()
        pids = server.pids()
        busy0, all0 = machine_busy()
        server0, client0 = cpu_seconds(pids), time.process_time()
        pg0 = {pid: cpu_seconds([pid]) for pid in backend_pids(database)} if database else {}
        results, elapsed = asyncio.run(run_clients(f"http://127.0.0.1:{port}", args.clients,
                                                   args.duration, slugs, args.timeout, args.seed))
        busy1, all1 = machine_busy()
        cpu = {"server": cpu_seconds(pids) - server0, "client": time.process_time() - client0,
               "machine": (busy1 - busy0) / max(1, all1 - all0)}
        if database:  # backends opened during the run count from their start
            cpu["postgres"] = sum(cpu_seconds([pid]) - pg0.get(pid, 0) for pid in backend_pids(database))
        server_died = server.proc.poll() is not None
    finally:
        server.stop()
    return report(engine_name, args, results, elapsed, cpu, log, server_died)


def interrupted(_signum, _frame) -> None:  # noqa: ANN001
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--size", type=int, default=10000, help="synthetic incidents in the store")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--rate-limit", type=int, default=0,
                        help="ROUEI_RATE_LIMIT for the server (requests per minute per client "
                             "address, per worker); 0, the default here, turns it off; "
                             "600 is the shipped default")
    parser.add_argument("--rev", help="serve this commit (git archive into the workdir, stores of "
                                      "its own) instead of the working tree")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a request fails")
    parser.add_argument("--port", type=int, default=0, help="server port (a free one by default)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the request mix")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="any database of the server, to create rouei_load_N in")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/rouei-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    # SIGTERM to this script stops the server too (the finally in run()).
    signal.signal(signal.SIGTERM, interrupted)
    try:
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        loop = "uvloop"
    except ImportError:
        loop = "asyncio"
    load = os.getloadavg()
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {load[0]:.1f}; one {loop} process with httpx {httpx.__version__} "
          f"for the clients; mix {MIX}")
    errors = 0
    for engine_name in args.engines:
        errors += run(engine_name, args)
    return 1 if errors else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the server is already stopped (finally in run())
        sys.exit(130)
