"""CPU per response, and where it goes, for a few URLs served in-process.

    .venv/bin/python bench/profile_requests.py --db /tmp/rouei-bench/home-100000.db \\
        [--urls / /?q=カード] [--repeat 50] [--no-page-cache] [--top 25]

Builds the app (``create_app``, no server, no rate limit) on an existing store, waits for the
start-up warm-up, sends each URL once (not counted: the view's first computation under the
stamp), then sends the URLs ``--repeat`` times each under cProfile and prints the process CPU
time per response and the functions with the most own time. ``--no-page-cache`` gives the
response cache (app.web.cache) no room, so every request renders: the cost of a view's first
request after a write. A store made by an older revision is upgraded by ``create_app``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import anyio.to_thread  # noqa: E402
import httpx  # noqa: E402

from app.config import Settings  # noqa: E402

HOME = ("/", "/?lang=en", "/?type=web_skimming&year=2022", "/?q=カード", "/?page=3")


async def _inline(func, *args, **_kwargs):  # noqa: ANN001, ANN202
    return func(*args)


async def drive(app, args: argparse.Namespace, headers: dict[str, str]) -> tuple[float, float, cProfile.Profile]:  # noqa: ANN001
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport,
                                                                   base_url="http://localhost") as client:
        for thread in threading.enumerate():
            if thread.name == "rouei-warm":
                thread.join()
        for path in args.urls:
            (await client.get(path, headers=headers)).raise_for_status()
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(args.repeat):
            for path in args.urls:
                await client.get(path, headers=headers)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.repeat):
            for path in args.urls:
                await client.get(path, headers=headers)
        profile.disable()
    return cpu, wall, profile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a SQLite file or a database URL")
    parser.add_argument("--urls", nargs="+", default=list(HOME))
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--no-page-cache", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", help="pstats order: tottime or cumulative")
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip, as browsers do")
    args = parser.parse_args()
    url = args.db if "://" in args.db else f"sqlite:///{args.db}"
    from app.web import create_app

    # Sync routes run here, not in worker threads, so that the profile sees them.
    anyio.to_thread.run_sync = _inline
    app = create_app(Settings(database_url=url, load_seed=False, rate_limit=0))
    if args.no_page_cache:
        for middleware in app.user_middleware:
            if middleware.cls.__name__ == "ResponseCache":
                middleware.kwargs["max_bytes"] = 0
    headers = {"Accept-Encoding": "gzip" if args.gzip else "identity"}
    cpu, wall, profile = asyncio.run(drive(app, args, headers))
    n = args.repeat * len(args.urls)
    print(f"{n} responses ({', '.join(args.urls)}), page cache {'off' if args.no_page_cache else 'on'}: "
          f"{cpu / n * 1000:.2f} ms CPU, {wall / n * 1000:.2f} ms wall per response "
          f"(in-process httpx client included; measured without the profiler, which then runs a second pass)")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
