"""Files and folders: each document decoded, parsed and stored in its own transaction."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy.engine import Engine

from app.ingest.documents import to_text
from app.ingest.pipeline import Decoder, Outcome, ingest_bytes

__all__ = ["DOCUMENT_SUFFIXES", "Outcome", "ingest_bytes", "ingest_file", "iter_files"]

DOCUMENT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".md", ".pdf")


def _matches(rel: str, globs: tuple[str, ...]) -> bool:
    # A glob matches the path under the folder (sub/*.txt) or the bare name (*.pdf).
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in globs)


def iter_files(paths: Iterable[str], *, include: tuple[str, ...] = (),
               exclude: tuple[str, ...] = ()) -> Iterator[Path]:
    """Files given directly, and documents found recursively under folders, in sorted order.

    Inside a folder, ``include`` globs replace the default suffixes; ``exclude`` globs win over
    both. Hidden files and folders (.git, .DS_Store) are skipped.
    """
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path
            continue
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            rel = child.relative_to(path).as_posix()
            if any(part.startswith(".") for part in rel.split("/")):
                continue
            if include and not _matches(rel, include):
                continue
            if not include and child.suffix.lower() not in DOCUMENT_SUFFIXES:
                continue
            if exclude and _matches(rel, exclude):
                continue
            yield child


def ingest_file(engine: Engine, path: Path, *, decode: Decoder = to_text) -> Outcome:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Outcome(str(path), "failed", f"cannot read: {exc.strerror or exc}")
    return ingest_bytes(engine, uri=str(path), data=data, filename=path.name, decode=decode)
