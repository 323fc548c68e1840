"""The `rouei` command: serve, ingest, parse, edit, review, history, merge, split, export, import, db, dataset."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.engine import Engine

from app.config import Settings, get_settings

cli = typer.Typer(help="Rouei (漏えい): Japanese data-breach incidents, each fact with its evidence.",
                  no_args_is_help=True, add_completion=False)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
dataset_cli = typer.Typer(help="The bundled dataset of the seed incidents.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
sources_cli = typer.Typer(help="The registry of sources `rouei refresh` and `rouei watch` harvest.",
                          no_args_is_help=True)
cli.add_typer(dataset_cli, name="dataset")
cli.add_typer(sources_cli, name="sources")
hooks_cli = typer.Typer(help="Webhooks: URLs told of each new incident that matches a filter.", no_args_is_help=True)
cli.add_typer(hooks_cli, name="hooks")

err = Console(stderr=True)


@contextmanager
def _store(*, migrate: bool = True) -> Iterator[Engine]:
    """The configured store, migrated to head; its connections are closed on the way out.

    A store that is locked, read-only or unreachable ends the command with one line that
    names it and says why, and exit status 1: no traceback for a fault that is not a bug.
    """
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from app.db import describe, make_engine, unavailable, upgrade

    engine = make_engine(get_settings().database_url)
    try:
        if migrate:
            upgrade(engine)
        yield engine
    except (DBAPIError, PoolTimeout) as exc:
        fault = unavailable(exc)
        if fault is None:
            raise
        err.print(f"rouei: database {engine.url.render_as_string()}: {fault.reason} ({describe(exc)})",
                  markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Serve the dashboard; migrates the store and loads the bundled data when it is empty."""
    import uvicorn

    from app.db import opened_immutable
    from app.seed import load_if_empty

    with _store() as engine:
        loaded = load_if_empty(engine) if get_settings().load_seed else 0
        if opened_immutable(engine):
            err.print(f"The folder of {engine.url.database} is read-only: serving it read-only; "
                      "uploads and edits answer 503 until it is writable.", highlight=False, soft_wrap=True)
    if loaded:
        err.print(f"Loaded {loaded} bundled incidents into the empty store.")
    err.print(f"Rouei on http://{host}:{port}/")
    uvicorn.run("app.web:create_app", factory=True, host=host, port=port, workers=workers,
                reload=reload, **proxy_options(get_settings()))


def proxy_options(settings: Settings) -> dict[str, object]:
    """uvicorn believes X-Forwarded-For (the client's address: its rate-limit identity) and
    X-Forwarded-Proto only from the configured proxies; with none, from nobody."""
    trusted = [p.strip() for p in (settings.trusted_proxies or "").split(",") if p.strip()]
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


@cli.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (searched recursively), http(s) URLs of pages, PDFs or RSS/Atom feeds.")],
    include: Annotated[list[str] | None, typer.Option(help="Glob of files to take inside folders (repeatable).")] = None,
    exclude: Annotated[list[str] | None, typer.Option(help="Glob of files to skip inside folders (repeatable).")] = None,
    per_host_delay: Annotated[float, typer.Option(min=0, help="Seconds between two requests to one host.")] = 1.0,
) -> None:
    """Read notices, find their incidents and merge them into the store; one document, one transaction.

    Exits non-zero only when nothing could be ingested.
    """
    from app.ingest.run import expand, feedback, run, summary_line, summary_table

    settings = get_settings()
    targets = expand(paths, include=tuple(include or ()), exclude=tuple(exclude or ()))
    with _store() as engine, feedback(err, len(targets)) as step:
        outcomes = run(engine, targets, settings=settings, per_host_interval=per_host_delay,
                       on_outcome=step)
    if any(o.status != "unchanged" for o in outcomes):
        err.print(summary_table(outcomes))
    err.print(summary_line(outcomes), highlight=False)
    if not outcomes or all(o.status == "failed" for o in outcomes):
        raise typer.Exit(1)


@cli.command()
def parse(
    files: Annotated[list[str], typer.Argument(help="Documents to parse.")],
    json_lines: Annotated[bool, typer.Option("--json", help="One JSON line per file (the extraction contract).")] = False,
) -> None:
    """Print the incidents found in each file, as in ../shared/spec/extraction.md."""
    import json

    from app.extract import cli_lines

    any_ok = False
    for line, ok in cli_lines(files):
        any_ok = any_ok or ok
        if json_lines:
            typer.echo(line)
        else:
            row = json.loads(line)
            if "error" in row:
                typer.echo(f"{row['file']}: error: {row['error']}")
                continue
            typer.echo(f"{row['file']}: {len(row['incidents'])} item(s)")
            for inc in row["incidents"]:
                flag = "" if inc.get("is_incident") else " (not an incident)"
                typer.echo(f"  {inc.get('organization')} · {inc.get('attack_type')} · "
                           f"{inc.get('discovered_on')} → {inc.get('disclosed_on')} · "
                           f"{inc.get('records_max')}{flag}")
    if not any_ok:
        raise typer.Exit(1)


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@cli.command("export")
def export_(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="jsonl (the full store) or csv (one row per incident).")] = ExportFormat.jsonl,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; standard output by default.")] = None,
) -> None:
    """Write the store out: JSON Lines for `rouei import`, or CSV for spreadsheets."""
    from sqlmodel import Session

    from app.export import write_csv, write_jsonl

    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        with _store() as engine, Session(engine) as session:
            count = write_jsonl(session, out) if fmt is ExportFormat.jsonl else write_csv(session, out)
    finally:
        if output:
            out.close()
    err.print(f"Exported {count} incidents.")


@cli.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A JSON Lines file from `rouei export --format jsonl`.", exists=True, dir_okay=False)],
) -> None:
    """Load an export into the store, in one transaction: all of it or nothing."""
    from app.db import session_scope
    from app.export import RecordError, import_records, read_jsonl

    try:
        with _store() as engine, file.open(encoding="utf-8") as stream, session_scope(engine) as session:
            count = import_records(session, read_jsonl(stream))
    except (RecordError, UnicodeDecodeError) as exc:
        err.print(f"[red]Import failed, nothing was changed:[/red] {exc}")
        raise typer.Exit(1) from exc
    err.print(f"Imported {count} incidents.")


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply the migrations up to REVISION (head by default)."""
    from app.db import upgrade

    with _store(migrate=False) as engine:
        upgrade(engine, revision)
    err.print(f"Database at {revision}.")


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision (base for empty).")]) -> None:
    """Revert the migrations down to REVISION."""
    from app.db import downgrade

    with _store(migrate=False) as engine:
        downgrade(engine, revision)
    err.print(f"Database at {revision}.")


@cli.command("synth")
def synth(
    count: Annotated[int, typer.Option(min=1, max=1_000_000, help="How many incidents to add.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 0,
) -> None:
    """Add COUNT synthetic incidents (invented organisations and notices) for benchmarks and demos."""
    from app.db import session_scope
    from app.synth import synthesize

    with _store() as engine, session_scope(engine) as session:
        added = synthesize(session, count=count, seed=seed)
    err.print(f"Added {added} synthetic incidents, indexed for search.")


@db_cli.command("reindex")
def db_reindex() -> None:
    """Rebuild the full-text search index from the tables (after an upgrade or a restore)."""
    from app.db import session_scope
    from app.search import reindex_all

    with _store() as engine, session_scope(engine) as session:
        count = reindex_all(session)
    err.print(f"Indexed {count} incidents for search.")


def _incident(session, slug: str):  # noqa: ANN001, ANN202 - a Session in, an Incident out
    from app.search import surviving_incident

    inc = surviving_incident(session, slug)
    if inc is None:
        err.print(f"rouei: no incident {slug}", markup=False, highlight=False)
        raise typer.Exit(1)
    return inc


@cli.command()
def edit(
    slug: Annotated[str, typer.Argument(help="The incident's permalink slug.")],
    set_: Annotated[list[str], typer.Option("--set", help="FIELD=VALUE to correct (repeatable); FIELD= clears it.")],
    reason: Annotated[str, typer.Option(help="Why: shown in the incident's history.")],
    by: Annotated[str, typer.Option(help="Who: shown in the incident's history.")] = "cli",
) -> None:
    """Correct facts of an incident, as PATCH /api/incidents/SLUG does: each field set is pinned,
    so no later parse overwrites it. All or nothing: an invalid value changes nothing."""
    import json

    from pydantic import ValidationError

    from app import revisions
    from app.db import session_scope

    given: dict[str, object] = {}
    for pair in set_:
        name, sep, value = pair.partition("=")
        if not sep:
            err.print(f"rouei: --set {pair}: write FIELD=VALUE", markup=False, highlight=False)
            raise typer.Exit(2)
        if name.strip() == "leaked_items" and value:
            given[name.strip()] = [v.strip() for v in value.split(",") if v.strip()]
        else:
            given[name.strip()] = None if value in ("", "null") else value
    try:
        patch = revisions.FactsPatch.model_validate({**given, "reason": reason, "actor": by})
    except ValidationError as exc:
        for e in exc.errors():
            err.print(f"rouei: {'.'.join(map(str, e['loc'])) or 'edit'}: {e['msg']}", markup=False, highlight=False)
        err.print("Nothing was changed.")
        raise typer.Exit(1) from None
    with _store() as engine, session_scope(engine) as session:
        inc = _incident(session, slug)
        made = revisions.correct(session, incident=inc, changes=patch.changes(), actor=patch.actor,
                                 reason=patch.reason)
        for rev in made:
            typer.echo(f"{inc.slug} {rev.field}: {json.dumps(rev.old_value, ensure_ascii=False)} → "
                       f"{json.dumps(rev.new_value, ensure_ascii=False)}")


@cli.command()
def review(
    slug: Annotated[str, typer.Argument(help="The incident's permalink slug.")],
    status: Annotated[str, typer.Argument(help="reviewed, disputed or unreviewed.")],
    reason: Annotated[str, typer.Option(help="Why: shown in the incident's history.")],
    by: Annotated[str, typer.Option(help="Who: shown in the incident's history.")] = "cli",
) -> None:
    """Mark an incident reviewed, disputed or unreviewed, as POST /api/incidents/SLUG/review does."""
    from pydantic import ValidationError

    from app import revisions
    from app.db import session_scope

    try:
        said = revisions.ReviewIn.model_validate({"status": status, "reason": reason, "actor": by})
    except ValidationError as exc:
        for e in exc.errors():
            err.print(f"rouei: {'.'.join(map(str, e['loc']))}: {e['msg']}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    with _store() as engine, session_scope(engine) as session:
        inc = _incident(session, slug)
        revisions.set_review(session, incident=inc, status=said.status, actor=said.actor, reason=said.reason)
        typer.echo(f"{inc.slug}: {said.status}")


@cli.command()
def history(slug: Annotated[str, typer.Argument(help="The incident's permalink slug.")]) -> None:
    """Every revision of an incident, newest first: what changed, from what, by whom or which
    source, and why; `(suggested)` marks a parsed value a corrected fact did not take."""
    import json

    from sqlmodel import Session

    from app import revisions

    with _store() as engine, Session(engine) as session:
        inc = _incident(session, slug)
        for view in revisions.history(session, inc):
            r = view.revision
            who = r.actor or view.source_uri or "parser"
            what = r.field or r.kind
            flag = "" if r.applied else " (suggested)"
            why = f" — {r.reason}" if r.reason else ""
            typer.echo(f"{r.created_at:%Y-%m-%d %H:%M} {r.kind:<10} {what}: "
                       f"{json.dumps(r.old_value, ensure_ascii=False)} → {json.dumps(r.new_value, ensure_ascii=False)}"
                       f"{flag} [{who}]{why}")


def _curate(action, model, data: dict[str, object]):  # noqa: ANN001, ANN202 - a function and its input model
    from pydantic import ValidationError

    from app.ingest.store import CurationError

    try:
        said = model.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors():
            err.print(f"rouei: {'.'.join(map(str, e['loc']))}: {e['msg']}", markup=False, highlight=False)
        err.print("Nothing was changed.")
        raise typer.Exit(1) from None
    try:
        return action(said)
    except CurationError as exc:
        err.print(f"rouei: {exc}", markup=False, highlight=False)
        err.print("Nothing was changed.")
        raise typer.Exit(1) from None


@cli.command()
def merge(
    slug: Annotated[str, typer.Argument(help="The incident to fold in; its permalink will redirect.")],
    into: Annotated[str, typer.Argument(help="The incident that stays.")],
    reason: Annotated[str, typer.Option(help="Why: shown in both incidents' history.")],
    by: Annotated[str, typer.Option(help="Who: shown in both incidents' history.")] = "cli",
) -> None:
    """Merge an incident into another, as POST /api/incidents/SLUG/merge does: its sources and
    events move, its permalink redirects. `rouei split` of a moved source undoes it."""
    from app import revisions
    from app.db import session_scope
    from app.ingest.store import merge_by_person

    with _store() as engine, session_scope(engine) as session:
        inc = _incident(session, slug)
        target = _incident(session, into)

        def act(said: revisions.MergeIn) -> None:
            merge_by_person(session, incident=inc, into=target, actor=said.actor, reason=said.reason)
            typer.echo(f"{inc.slug} → {target.slug}")

        _curate(act, revisions.MergeIn, {"into": target.slug, "reason": reason, "actor": by})


@cli.command()
def split(
    slug: Annotated[str, typer.Argument(help="The incident that holds the source.")],
    source: Annotated[str, typer.Option(help="The source to take out: its id, or its URI or path as stored.")],
    reason: Annotated[str, typer.Option(help="Why: shown in both incidents' history.")],
    by: Annotated[str, typer.Option(help="Who: shown in both incidents' history.")] = "cli",
) -> None:
    """Take one source out of an incident into an incident of its own, as POST
    /api/incidents/SLUG/split does: the incident it was merged from comes back, else a new one.
    Prints the new (or restored) permalink slug."""
    from sqlmodel import col, select

    from app import revisions
    from app.db import session_scope
    from app.ingest.store import split_source
    from app.models import IncidentSource, Source

    with _store() as engine, session_scope(engine) as session:
        inc = _incident(session, slug)
        held = session.exec(select(Source.id, Source.uri).join(IncidentSource, col(IncidentSource.source_id) == Source.id)
                            .where(IncidentSource.incident_id == inc.id)).all()
        ids = [i for i, uri in held if source in (str(i), uri)]
        if not ids:
            err.print(f"rouei: source: {source} is not a source of {inc.slug}; its sources are:", markup=False,
                      highlight=False)
            for i, uri in dict(held).items():
                err.print(f"  {i} {uri}", markup=False, highlight=False)
            raise typer.Exit(1)

        def act(said: revisions.SplitIn) -> None:
            made = split_source(session, incident=inc, source_id=said.source, actor=said.actor, reason=said.reason)
            typer.echo(made.slug)

        _curate(act, revisions.SplitIn, {"source": ids[0], "reason": reason, "actor": by})


@dataset_cli.command("build")
def dataset_build(
    seeds: Annotated[Path, typer.Argument(help="Folder of seed documents (../shared/seeds).", exists=True, file_okay=False)],
    labels: Annotated[Path | None, typer.Option(help="Folder of labelled documents with their URLs (../shared/corpus/real).",
                                                exists=True, file_okay=False)] = None,
) -> None:
    """Rebuild app/data/seed_incidents.jsonl from the seeds, the labelled documents (facts
    only, linked to their URLs), the reviewed corrections and the labels' reviewed values."""
    from app.seed import BUNDLE, build_bundle

    count, unmatched = build_bundle(seeds, labels=labels)
    for where in unmatched:
        err.print(f"[yellow]did not apply:[/yellow] {where}", markup=False, highlight=False)
    err.print(f"Wrote {count} incidents to {BUNDLE}.")


def _harvest_line(h) -> str:  # noqa: ANN001 - app.ingest.harvest.Harvested
    if h.status == "ok":
        detail = f"{h.new_documents} new document(s)" + (f", {len(h.outcomes) - h.new_documents} other"
                                                         if len(h.outcomes) > h.new_documents else "")
    else:
        detail = h.reason
    return f"{h.status:<9} {h.url}" + (f": {detail}" if detail else "")


@cli.command()
def refresh(
    per_host_delay: Annotated[float, typer.Option(min=0, help="Seconds between two requests to one host.")] = 1.0,
) -> None:
    """One pass over the registered sources that are due (safe from cron).

    Each source is fetched with a conditional GET; only documents never stored before are
    fetched and ingested, each in its own transaction. A failing source is recorded and backed
    off; it never stops the others. Two passes never harvest one source at once. Exits
    non-zero only when every source tried failed.
    """
    from app.ingest.harvest import refresh as run_pass
    from app.ingest.run import plain_line

    settings = get_settings()
    with _store() as engine:
        result = run_pass(engine, settings, per_host_interval=per_host_delay,
                          on_outcome=lambda o: err.print(f"  {plain_line(o)}", markup=False, highlight=False,
                                                         soft_wrap=True),
                          on_source=lambda h: typer.echo(_harvest_line(h)))
    if result.locked:
        err.print("Another refresh is running on this database: nothing done.")
        return
    tried = [h for h in result.sources if h.status != "skipped"]
    if not tried:
        from app.ingest.harvest import next_due

        with _store() as engine:
            due = next_due(engine)
        if due is None:
            err.print("Nothing was due: no source is registered and enabled (`rouei sources add URL`).")
        elif due.year > 1:  # datetime.min: due now, but another pass has it
            err.print(f"Nothing was due. Next source due at {due:%Y-%m-%d %H:%M} UTC.", highlight=False)
    new = sum(h.new_documents for h in result.sources)
    failed = sum(h.status == "failed" for h in result.sources)
    hooks = f" Webhooks: {result.hooks.sent} sent, {result.hooks.failed} failed." if result.hooks and (
        result.hooks.sent or result.hooks.failed) else ""
    err.print(f"{len(tried)} source(s) harvested, {new} new document(s), {failed} failed.{hooks}", highlight=False)
    if result.all_failed:
        raise typer.Exit(1)


@cli.command()
def watch(
    per_host_delay: Annotated[float, typer.Option(min=0, help="Seconds between two requests to one host.")] = 1.0,
    max_sleep: Annotated[float, typer.Option(min=1, help="Longest sleep between two passes, in seconds.")] = 300.0,
) -> None:
    """Harvest forever: a pass (as `rouei refresh`), then sleep until the next source is due,
    with jitter. SIGTERM or Ctrl-C stops it cleanly after the document being ingested."""
    import signal
    import threading

    from app.ingest.harvest import watch as run_watch
    from app.ingest.run import plain_line

    settings = get_settings()
    stop = threading.Event()

    def stopping(signum, _frame) -> None:  # noqa: ANN001 - a signal handler
        if not stop.is_set():
            err.print(f"{signal.Signals(signum).name}: stopping after the current document.")
        stop.set()

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)

    def after(result, wait: float) -> None:  # noqa: ANN001 - a PassResult
        if result.error:
            err.print(f"{result.error}; again in {wait:.0f} s", markup=False, highlight=False)
        elif result.locked:
            err.print("Another refresh is running on this database; waiting.")
        elif result.sources:
            new = sum(h.new_documents for h in result.sources)
            err.print(f"pass: {len(result.sources)} source(s), {new} new document(s); next in {wait:.0f} s",
                      highlight=False)

    with _store() as engine:
        passes = run_watch(engine, settings, stop=stop, per_host_interval=per_host_delay, max_sleep=max_sleep,
                           min_sleep=min(5.0, max_sleep), on_pass=after,
                           on_outcome=lambda o: err.print(f"  {plain_line(o)}", markup=False, highlight=False,
                                                          soft_wrap=True),
                           on_source=lambda h: typer.echo(_harvest_line(h)))
    err.print(f"Stopped after {passes} pass(es).")


class SourceKind(StrEnum):
    feed = "feed"
    listing = "listing"
    page = "page"


def _when(value) -> str:  # noqa: ANN001 - a datetime or None
    return f"{value:%Y-%m-%d %H:%M}" if value else "—"


@sources_cli.command("add")
def sources_add(
    url: Annotated[str, typer.Argument(help="The feed's, listing's or page's http(s) URL.")],
    kind: Annotated[SourceKind | None, typer.Option(help="feed (RSS/Atom), listing (a page of notice links) or page; guessed when left out.")] = None,
    name: Annotated[str | None, typer.Option(help="A label for people.")] = None,
    every: Annotated[str, typer.Option(help="How often: 30m, 6h, 1d, 2h30m (at least 1m).")] = "6h",
    links: Annotated[str | None, typer.Option(help="A listing's regular expression: the links (absolute URLs) it follows.")] = None,
) -> None:
    """Register a source (or change the one of this URL); `rouei refresh` harvests it when due."""
    from app.db import session_scope
    from app.ingest.harvest import SourceError, add_source, format_interval

    try:
        with _store() as engine, session_scope(engine) as session:
            src = add_source(session, url, kind=kind.value if kind else None, name=name, every=every, links=links)
            line = (f"source {src.id}: {src.url} ({src.kind}, every {format_interval(src.interval_seconds)}"
                    + (f", links {src.link_pattern}" if src.link_pattern else "") + ")")
    except SourceError as exc:
        err.print(f"rouei: {exc}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    typer.echo(line)


@sources_cli.command("list")
def sources_list(
    json_lines: Annotated[bool, typer.Option("--json", help="One JSON line per source.")] = False,
) -> None:
    """Every registered source with its health: last fetched, last new document, failures,
    documents and incidents it gave."""
    import json

    from rich.table import Table
    from sqlmodel import Session

    from app.ingest.harvest import format_interval, health

    with _store() as engine, Session(engine) as session:
        rows = health(session)
    if json_lines:
        for h in rows:
            s = h.source
            typer.echo(json.dumps({"id": s.id, "url": s.url, "kind": s.kind, "name": s.name, "state": h.state,
                                   "every": format_interval(s.interval_seconds), "links": s.link_pattern,
                                   "last_fetched_at": s.last_fetched_at.isoformat() if s.last_fetched_at else None,
                                   "last_status": s.last_status, "last_error": s.last_error,
                                   "last_new_at": s.last_new_at.isoformat() if s.last_new_at else None,
                                   "failures": s.failures, "documents": h.documents, "incidents": h.incidents,
                                   "next_due_at": s.next_due_at.isoformat() if s.next_due_at else None,
                                   "enabled": s.enabled}, ensure_ascii=False))
        return
    if not rows:
        err.print("No sources yet: `rouei sources add URL` registers one.")
        return
    table = Table(title="Sources", title_justify="left")
    for column in ("id", "source", "kind", "every", "health", "last fetched (UTC)", "last new (UTC)", "failures",
                   "documents", "incidents", "next due (UTC)"):
        table.add_column(column, overflow="fold", justify="right" if column in (
            "id", "failures", "documents", "incidents") else "left")
    style = {"ok": "green", "failing": "red", "disabled": "dim", "new": "cyan"}
    for h in rows:
        s = h.source
        label = f"{s.name}\n{s.url}" if s.name else s.url
        state = f"[{style[h.state]}]{h.state}[/]" + (f"\n{s.last_error}" if s.last_error else "")
        table.add_row(str(s.id), label, s.kind, format_interval(s.interval_seconds), state,
                      _when(s.last_fetched_at), _when(s.last_new_at), str(s.failures), str(h.documents),
                      str(h.incidents), _when(s.next_due_at) if s.next_due_at else "now")
    out = Console()
    if not out.is_terminal:  # a pipe or a log: one row a line, not folded at 80 columns
        out = Console(width=240)
    out.print(table)


@sources_cli.command("remove")
def sources_remove(
    source: Annotated[str, typer.Argument(help="The source's URL or number (see `rouei sources list`).")],
) -> None:
    """Forget a source. The documents and incidents it gave stay."""
    from app.db import session_scope
    from app.ingest.harvest import find_source, remove_source

    with _store() as engine, session_scope(engine) as session:
        src = find_source(session, source)
        if src is None:
            err.print(f"rouei: no source {source}", markup=False, highlight=False)
            raise typer.Exit(1)
        url = src.url
        remove_source(session, src)
    typer.echo(f"removed {url}")


def _switch(source: str, enabled: bool) -> None:
    from app.db import session_scope
    from app.ingest.harvest import find_source

    with _store() as engine, session_scope(engine) as session:
        src = find_source(session, source)
        if src is None:
            err.print(f"rouei: no source {source}", markup=False, highlight=False)
            raise typer.Exit(1)
        if enabled and not src.enabled:
            src.next_due_at, src.failures = None, 0  # due at the next pass
        src.enabled = enabled
        session.add(src)
        url = src.url
    typer.echo(f"{'enabled' if enabled else 'disabled'} {url}")


@sources_cli.command("disable")
def sources_disable(source: Annotated[str, typer.Argument(help="The source's URL or number.")]) -> None:
    """Stop harvesting a source; it stays listed with what it gave."""
    _switch(source, False)


@sources_cli.command("enable")
def sources_enable(source: Annotated[str, typer.Argument(help="The source's URL or number.")]) -> None:
    """Harvest a disabled source again, from the next pass."""
    _switch(source, True)


@sources_cli.command("check")
def sources_check(
    url: Annotated[str, typer.Argument(help="A URL, registered or not.")],
    kind: Annotated[SourceKind | None, typer.Option(help="As for `sources add`; a registered source's own by default.")] = None,
    links: Annotated[str | None, typer.Option(help="As for `sources add`.")] = None,
) -> None:
    """Fetch a source once and show what a refresh would ingest from it; writes nothing."""
    from app.ingest.fetch import Fetcher
    from app.ingest.harvest import SourceError, check_source

    settings = get_settings()
    try:
        with _store() as engine, Fetcher(timeout=settings.fetch_timeout, max_bytes=settings.fetch_max_bytes,
                                         allow_private=settings.allow_private_fetch) as fetcher:
            found = check_source(engine, fetcher, url, kind=kind.value if kind else None, links=links)
    except SourceError as exc:
        err.print(f"rouei: {exc}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    if found.error:
        err.print(f"rouei: {found.url} ({found.kind}): {found.error}", markup=False, highlight=False)
        raise typer.Exit(1)
    fresh = [e for e, known in found.entries if not known]
    typer.echo(f"{found.url} ({found.kind}, HTTP {found.status}): {len(found.entries)} document(s), "
               f"{len(fresh)} new")
    for entry, known in found.entries:
        mark = "stored" if known else "new   "
        title = f"  {entry.title}" if entry.title else ""
        typer.echo(f"  {mark} {entry.url}{title}")
    for line in found.incidents:
        typer.echo(f"    incident: {line}")


@hooks_cli.command("add")
def hooks_add(
    url: Annotated[str, typer.Argument(help="The http(s) URL to POST to.")],
    filter_: Annotated[str, typer.Option("--filter", help="A list's query string: type=ransomware&year=2024 (all incidents when empty).")] = "",
    secret: Annotated[str | None, typer.Option(help="The HMAC secret; a random one is made when left out.")] = None,
) -> None:
    """Register a webhook: after each `rouei refresh` or `watch` pass it is sent each incident
    first seen since, that matches the filter (signed: X-Rouei-Signature)."""
    from app.db import session_scope
    from app.webhooks import HookError, add_hook

    try:
        with _store() as engine, session_scope(engine) as session:
            hook = add_hook(session, url, filter_query=filter_, secret=secret)
            line = f"webhook {hook.id}: {hook.url} ({hook.filter or 'every incident'}); secret {hook.secret}"
    except HookError as exc:
        err.print(f"rouei: {exc}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    typer.echo(line)


@hooks_cli.command("list")
def hooks_list() -> None:
    """Every webhook, its filter and how its deliveries go."""
    from sqlmodel import Session, col, func, select

    from app.models import Webhook, WebhookDelivery

    with _store() as engine, Session(engine) as session:
        hooks = session.exec(select(Webhook).order_by(col(Webhook.id))).all()
        counts = {(h, s): n for h, s, n in session.exec(
            select(WebhookDelivery.webhook_id, WebhookDelivery.status, func.count())
            .group_by(WebhookDelivery.webhook_id, WebhookDelivery.status)).all()}
    if not hooks:
        err.print("No webhooks: `rouei hooks add URL --filter 'type=ransomware'` registers one.")
    for h in hooks:
        state = "enabled" if h.enabled else "disabled"
        typer.echo(f"{h.id} {h.url} [{h.filter or 'every incident'}] {state}; delivered "
                   f"{counts.get((h.id, 'delivered'), 0)}, pending {counts.get((h.id, 'pending'), 0)}, "
                   f"failed {counts.get((h.id, 'failed'), 0)}" + (f"; last error: {h.last_error}" if h.last_error else ""))


@hooks_cli.command("remove")
def hooks_remove(hook_id: Annotated[int, typer.Argument(help="The webhook's number.")]) -> None:
    """Forget a webhook and its queued deliveries."""
    from sqlmodel import delete

    from app.db import session_scope
    from app.models import Webhook, WebhookDelivery

    with _store() as engine, session_scope(engine) as session:
        hook = session.get(Webhook, hook_id)
        if hook is None:
            err.print(f"rouei: no webhook {hook_id}", markup=False, highlight=False)
            raise typer.Exit(1)
        session.exec(delete(WebhookDelivery).where(WebhookDelivery.webhook_id == hook_id))
        session.delete(hook)
    typer.echo(f"removed webhook {hook_id}")


def main() -> None:
    cli()
