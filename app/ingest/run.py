"""A whole `rouei ingest` run: targets in, outcomes out, a progress bar or plain lines, a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.engine import Engine

from app.config import Settings
from app.db import unavailable
from app.ingest.documents import to_text
from app.ingest.fetch import Fetcher
from app.ingest.files import ingest_file, iter_files
from app.ingest.pipeline import Decoder, Outcome, one_line
from app.ingest.urls import ingest_url, is_url

STATUSES = ("new", "updated", "unchanged", "failed")
Target = tuple[str, str]  # ("file", path) | ("url", url)


def expand(paths: list[str], *, include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> list[Target]:
    """Every document to read: URLs as given, folders walked (include/exclude globs apply)."""
    out: list[Target] = []
    for raw in paths:
        if is_url(raw):
            out.append(("url", raw))
        else:
            out.extend(("file", str(p)) for p in iter_files([raw], include=include, exclude=exclude))
    return out


def run(engine: Engine, targets: list[Target], *, settings: Settings, per_host_interval: float = 1.0,
        on_outcome: Callable[[Outcome], None] = lambda o: None) -> list[Outcome]:
    """Ingest each target in its own transaction; one bad document never stops the run."""
    outcomes: list[Outcome] = []
    fetcher: Fetcher | None = None
    decode = decoder(settings)
    try:
        for kind, where in targets:
            if kind == "file":
                found: Iterator[Outcome] = iter([ingest_file(engine, Path(where), decode=decode)])
            else:
                fetcher = fetcher or Fetcher(timeout=settings.fetch_timeout, max_bytes=settings.fetch_max_bytes,
                                             allow_private=settings.allow_private_fetch,
                                             per_host_interval=per_host_interval)
                found = ingest_url(engine, fetcher, where, decode=decode)
            try:
                for outcome in found:
                    outcomes.append(outcome)
                    on_outcome(outcome)
            except Exception as exc:
                # A bug met by one target fails that target; an unavailable store stops the run.
                if unavailable(exc) is not None:
                    raise
                outcome = Outcome(where, "failed", f"cannot ingest: {one_line(exc)}")
                outcomes.append(outcome)
                on_outcome(outcome)
    finally:
        if fetcher is not None:
            fetcher.close()
    return outcomes


def decoder(settings: Settings) -> Decoder:
    """How documents are decoded under these settings: here, or (ROUEI_DECODE_ISOLATED) in a
    child process held to CPU-time and memory limits."""
    if not settings.decode_isolated:
        return to_text
    from app.extract import limits
    from app.ingest.isolate import shared

    child = shared()
    # The limits as they stand now (a test may lower them), for this child's documents.
    child.cpu_seconds, child.memory_bytes = limits.MAX_DECODE_CPU_SECONDS, limits.MAX_DECODE_MEMORY_BYTES
    return child.decode


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    seen = Counter(o.status for o in outcomes)
    return {s: seen.get(s, 0) for s in STATUSES}


def summary_line(outcomes: list[Outcome]) -> str:
    return ", ".join(f"{n} {s}" for s, n in counts(outcomes).items())


def summary_table(outcomes: list[Outcome]) -> Table:
    """Every document that changed something or failed; unchanged ones are only counted."""
    table = Table(title="Ingest", title_justify="left")
    table.add_column("document", overflow="fold")
    table.add_column("result")
    table.add_column("incidents new / updated", justify="right")
    table.add_column("reason", overflow="fold")
    style = {"new": "green", "updated": "cyan", "failed": "red", "unchanged": "dim"}
    for o in outcomes:
        if o.status == "unchanged":
            continue
        table.add_row(o.uri, f"[{style[o.status]}]{o.status}[/]", f"{o.created} / {o.updated}", o.reason)
    return table


def plain_line(o: Outcome) -> str:
    detail = f" ({o.created} new, {o.updated} updated incidents)" if o.created or o.updated else ""
    reason = f": {o.reason}" if o.reason else ""
    return f"{o.status:<9} {o.uri}{detail}{reason}"


@contextmanager
def feedback(console: Console, total: int) -> Iterator[Callable[[Outcome], None]]:
    """A progress bar on a terminal; one plain line per document otherwise (logs, CI, pipes)."""
    if not console.is_terminal:
        yield lambda o: console.print(plain_line(o), markup=False, highlight=False, soft_wrap=True)
        return
    with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console, transient=True) as bar:
        task = bar.add_task("", total=total)

        def step(o: Outcome) -> None:
            # A feed turns one target into many documents: the bar grows as they come.
            done = bar.tasks[0].completed + 1
            bar.update(task, completed=done, total=max(bar.tasks[0].total or 0, done),
                       description=o.uri[-60:])
            if o.status == "failed":
                bar.console.print(f"[red]failed[/] {o.uri}: {o.reason}", highlight=False)

        yield step
