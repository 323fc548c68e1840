"""Time and memory of one CSV export over HTTP: `rouei serve` (one worker) on an existing store,
`GET /incidents.csv[?query]` read to the end, the worker's RSS sampled every 20 ms.

    .venv/bin/python bench/export_bench.py --db /tmp/rouei-bench/home-100000.db \\
        [--query '' --query 'q=市'] [--src /tmp/rouei-bench/src-<sha>]

``--src`` serves another copy of the code (``git archive`` of a commit, as load_bench.py
makes), so a commit before and after can be measured on the same store; the store must be
at a revision that code knows (downgrade a copy first for an older one).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def sample(pid: int, into: list[float], done: threading.Event) -> None:
    while not done.is_set():
        into.append(rss_mb(pid))
        time.sleep(0.02)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--query", action="append", default=None)
    parser.add_argument("--src", type=Path, default=ROOT)
    args = parser.parse_args()
    url = args.db if "://" in args.db else f"sqlite:///{args.db}"
    port = free_port()
    env = {**os.environ, "ROUEI_DATABASE_URL": url, "ROUEI_LOAD_SEED": "false", "ROUEI_RATE_LIMIT": "0",
           "PYTHONPATH": str(args.src)}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "app.web:create_app", "--factory",
                               "--port", str(port), "--no-access-log", "--log-level", "warning"],
                              cwd=args.src, env=env, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        httpx.get(f"{base}/?q=漏洩", timeout=300)  # the warm-up's columns, and a first search
        time.sleep(2)
        print(f"code {args.src}, store {args.db}")
        for query in args.query or [""]:
            idle = rss_mb(server.pid)
            peak, done = [idle], threading.Event()

            sampler = threading.Thread(target=sample, args=(server.pid, peak, done))
            sampler.start()
            started = time.perf_counter()
            size, first = 0, None
            with httpx.stream("GET", f"{base}/incidents.csv?{query}", timeout=600,
                              headers={"Accept-Encoding": "identity"}) as response:
                for chunk in response.iter_bytes():
                    first = first or time.perf_counter() - started
                    size += len(chunk)
            elapsed = time.perf_counter() - started
            done.set()
            sampler.join()
            print(f"/incidents.csv?{query}: {size / 1e6:.1f} MB in {elapsed:.2f} s (first byte after "
                  f"{first or 0:.2f} s); worker RSS {idle:.0f} MB before, peak {max(peak):.0f} MB "
                  f"(+{max(peak) - idle:.0f} MB)", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
