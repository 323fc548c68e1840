"""Ingest files and folders: each document decoded, parsed and stored in its own transaction."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from app import extract
from app.db import session_scope
from app.ingest.store import DocumentIn, SaveResult, content_hash, save_document

DOCUMENT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".md")


@dataclass
class Outcome:
    """What happened to one input: new, updated, unchanged or failed (with the reason)."""

    uri: str
    status: str
    reason: str = ""
    created: int = 0
    updated: int = 0


def iter_files(paths: Iterable[str], *, include: tuple[str, ...] = (),
               exclude: tuple[str, ...] = ()) -> Iterator[Path]:
    """Files given directly, and documents found recursively under folders, in sorted order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                name = str(child.relative_to(path))
                if include and not any(fnmatch.fnmatch(name, g) for g in include):
                    continue
                if not include and child.suffix.lower() not in DOCUMENT_SUFFIXES:
                    continue
                if any(fnmatch.fnmatch(name, g) for g in exclude):
                    continue
                yield child
        else:
            yield path


def ingest_bytes(engine: Engine, *, uri: str, data: bytes, filename: str | None = None) -> Outcome:
    """Decode, parse and store one document in one transaction."""
    digest = content_hash(data)
    try:
        decoded, found = extract.parse_bytes(data, filename=filename)
    except extract.DecodeError as exc:
        return Outcome(uri, "failed", str(exc))
    incidents = [item.to_contract() for item in found]
    titles = [i.get("title") for i in incidents if i.get("title")]
    doc = DocumentIn(uri=uri, text=decoded.text, content_hash=digest, encoding=decoded.encoding,
                     format=decoded.format, title=titles[0] if len(titles) == 1 else None)
    with session_scope(engine) as session:
        result: SaveResult = save_document(session, doc=doc, incidents=incidents)
    if result.unchanged:
        return Outcome(uri, "unchanged")
    if not result.created and not result.updated:
        return Outcome(uri, "new", "no incident found in the text")
    status = "new" if result.created else "updated"
    return Outcome(uri, status, created=len(result.created), updated=len(result.updated))


def ingest_file(engine: Engine, path: Path) -> Outcome:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Outcome(str(path), "failed", f"cannot read: {exc.strerror or exc}")
    return ingest_bytes(engine, uri=str(path), data=data, filename=path.name)
