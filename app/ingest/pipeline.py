"""One document in: decode, parse, merge into the store, in one transaction.

``ingest_bytes`` is the single entry point for files, fetched pages and uploads, so
``POST /api/documents`` (``ingest_upload``) runs exactly what ``rouei ingest`` runs.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

from app import extract
from app.db import session_scope, unavailable
from app.extract import Decoded
from app.ingest.documents import to_text
from app.ingest.store import DocumentIn, SaveResult, content_hash, save_document
from app.models import Source

# Another writer may create the same organisation or source between our read and our write
# (two `rouei ingest` at once): the document is then retried from the start, once or twice.
# A store that cannot take writes now (locked past the busy timeout, read-only, unreachable)
# is not the document's fault: that error is raised, for the caller to stop and say so.
RETRIES = 3

# How bytes become text: ``to_text`` here, or ``app.ingest.isolate`` in a limited child process.
Decoder = Callable[..., Decoded]

log = logging.getLogger(__name__)


def one_line(exc: BaseException) -> str:
    """An exception as one short line for a person: its kind and the start of its message."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


@dataclass
class Outcome:
    """What happened to one input: new, updated, unchanged or failed (with the reason)."""

    uri: str
    status: str
    reason: str = ""
    created: int = 0
    updated: int = 0


def already_stored(engine: Engine, digest: str) -> bool:
    """Stored with its text; a facts-only source (the bundled dataset's) still wants it."""
    with Session(engine) as session:
        return session.exec(select(Source.id).where(Source.content_hash == digest,
                                                    Source.text != "")).first() is not None


def ingest_bytes(engine: Engine, *, uri: str, data: bytes, filename: str | None = None,
                 content_type: str | None = None, published_on: date | None = None,
                 etag: str | None = None, last_modified: str | None = None,
                 origin_id: int | None = None, decode: Decoder = to_text) -> Outcome:
    """Decode, parse and store one document in one transaction.

    Raises the database's error when the store is unavailable (``app.db.unavailable``).
    """
    digest = content_hash(data)
    if already_stored(engine, digest):  # a re-run skips decoding and parsing altogether
        return Outcome(uri, "unchanged")
    try:
        decoded = decode(data, filename=filename, content_type=content_type)
        incidents = extract.parse_text(decoded.text)
    except extract.DecodeError as exc:
        return Outcome(uri, "failed", str(exc))
    except Exception as exc:  # noqa: BLE001 - a hostile document fails alone, never the run
        log.warning("cannot read %s: %s", uri, one_line(exc))
        return Outcome(uri, "failed", f"cannot read the document: {one_line(exc)}")
    titles = [i.title for i in incidents if i.title]
    doc = DocumentIn(uri=uri, text=decoded.text, content_hash=digest, encoding=decoded.encoding,
                     format=decoded.format, title=titles[0][:500] if len(titles) == 1 else None,
                     published_on=published_on, etag=etag, last_modified=last_modified, origin_id=origin_id)
    for attempt in range(RETRIES):
        try:
            with session_scope(engine) as session:
                result: SaveResult = save_document(session, doc=doc, incidents=incidents)
            break
        except (IntegrityError, OperationalError) as exc:
            if unavailable(exc):
                raise
            if attempt == RETRIES - 1:
                return Outcome(uri, "failed", f"store: {exc.orig or exc}"[:300])
    if result.unchanged:
        return Outcome(uri, "unchanged")
    if not result.created and not result.updated:
        return Outcome(uri, "new", "no incident found in the text")
    status = "new" if result.created else "updated"
    return Outcome(uri, status, created=len(result.created), updated=len(result.updated))


def ingest_upload(engine: Engine, *, filename: str, data: bytes, max_bytes: int,
                  content_type: str | None = None, decode: Decoder = to_text) -> Outcome:
    """An uploaded notice (POST /api/documents): size-capped, named by its hash."""
    name = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"
    uri = f"upload:{hashlib.sha256(data).hexdigest()[:16]}/{name}"
    if len(data) > max_bytes:
        return Outcome(uri, "failed", f"too large: {len(data)} bytes > {max_bytes}")
    return ingest_bytes(engine, uri=uri, data=data, filename=name, content_type=content_type,
                        decode=decode)
