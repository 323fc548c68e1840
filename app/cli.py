"""The `rouei` command: serve, ingest, parse, edit, review, history, export, import, db, dataset."""

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
cli.add_typer(dataset_cli, name="dataset")

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


@dataset_cli.command("build")
def dataset_build(
    seeds: Annotated[Path, typer.Argument(help="Folder of seed documents (../shared/seeds).", exists=True, file_okay=False)],
) -> None:
    """Rebuild app/data/seed_incidents.jsonl from the seeds and the reviewed corrections."""
    from app.seed import BUNDLE, build_bundle

    count, unmatched = build_bundle(seeds)
    for where in unmatched:
        err.print(f"[yellow]correction matched nothing:[/yellow] {where}")
    err.print(f"Wrote {count} incidents to {BUNDLE}.")


def main() -> None:
    cli()
