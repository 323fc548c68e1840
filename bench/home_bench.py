"""Home page bench: the HTML's size and the time to render it, at several store sizes.

    .venv/bin/python bench/home_bench.py --sizes 10000 100000 [--repeat 5]

For each size it builds once (then reuses) a SQLite store of synthetic incidents (`app.synth`,
seed 0: `/tmp/rouei-bench/home-N.db`), builds the app in-process (`create_app`, no server,
ROUEI_LOAD_SEED off, no rate limit) and asks, through one TestClient, for the home page in
both languages, a filtered view and a search. The first request of each URL is "cold" (the
search columns and caches of a new stamp are built inside it; the start-up warm-up is waited
for first); then each URL is asked `--repeat` times and the median is "warm". Sizes are the
bytes of the HTML body, of which "charts" is the figures' data-figure attributes.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from app.config import Settings  # noqa: E402
from app.db import make_engine, session_scope, upgrade  # noqa: E402
from app.synth import synthesize  # noqa: E402

STORES = Path("/tmp/rouei-bench")
URLS = ("/", "/?lang=en", "/?type=web_skimming&year=2022", "/?q=カード")
FIGURE = re.compile(r"""data-figure=("[^"]*"|'[^']*')""")


def store(size: int) -> str:
    """A SQLite store of ``size`` synthetic incidents, built once."""
    STORES.mkdir(parents=True, exist_ok=True)
    path = STORES / f"home-{size}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        started = time.perf_counter()
        engine = make_engine(url)
        upgrade(engine)
        with session_scope(engine) as session:
            synthesize(session, count=size)
        engine.dispose()
        print(f"built {path} in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def measure(size: int, repeat: int) -> None:
    settings = Settings(database_url=store(size), load_seed=False, rate_limit=0)
    from app.web import create_app

    with TestClient(create_app(settings)) as client:
        time.sleep(0.5)
        for thread in __import__("threading").enumerate():  # the start-up warm-up
            if thread.name == "rouei-warm":
                thread.join()
        print(f"\n{size:,} incidents")
        print(f"{'url':34} {'HTML KB':>8} {'charts KB':>9} {'cold ms':>8} {'warm ms':>8}")
        for url in URLS:
            started = time.perf_counter()
            response = client.get(url)
            cold = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            warm = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(url).raise_for_status()
                warm.append((time.perf_counter() - started) * 1000)
            body = response.content
            charts = sum(len(m.group().encode()) for m in FIGURE.finditer(response.text))
            print(f"{url:34} {len(body) / 1024:8.1f} {charts / 1024:9.1f} {cold:8.0f} "
                  f"{statistics.median(warm):8.0f}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for size in args.sizes:
        measure(size, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
