"""Export the store to JSON Lines or CSV, and import JSON Lines back.

The JSON Lines format is the store's own: one object per line, ``kind`` one of
``organization``, ``source``, ``incident``. An export imported into an empty database gives
the same incidents, sources and evidence. The bundled dataset uses the same format.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any

from sqlmodel import Session, col, select

from app import i18n, search, taxonomy
from app.incidents import delay_days
from app.ingest.store import as_date
from app.models import (
    COUNT_FIELDS,
    DATE_FIELDS,
    REVIEW_STATUSES,
    REVISION_KINDS,
    Incident,
    IncidentEvent,
    IncidentSource,
    Organization,
    Revision,
    Source,
)
from app.text import strip_invisible

FACTS = (
    "organization", "organization_core", "service", "attack_type", "supply_chain", "vendor",
    *DATE_FIELDS, *COUNT_FIELDS, *(f"{c}_qualifier" for c in COUNT_FIELDS),
    "leaked_items", "status", "title", "reported_to_ppc_later", "contact",
)

# Stable CSV columns, documented in the README; add at the end, never reorder.
CSV_COLUMNS = (
    "slug", "organization", "organization_core", "service", "attack_type", "attack_type_ja",
    "supply_chain", "vendor", "discovered_on", "disclosed_on", "delay_days", "exposure_from",
    "exposure_to", "containment_on", "reported_to_ppc_on", "reported_to_police_on",
    "records_max", "records_max_qualifier", "card_records", "card_records_qualifier",
    "personal_records", "personal_records_qualifier", "leaked_items", "status", "sources",
    "review_status", "reported_to_ppc_later", "ppc_verdict",
)


BATCH = 1_000  # incidents per query while exporting: memory stays flat in the number of rows


def _batches(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start:start + BATCH]


class RecordError(ValueError):
    """A line of an import file that cannot be read; the whole import is rolled back."""


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def export_records(session: Session, *, with_text: bool = True) -> Iterator[dict[str, Any]]:
    """Every organisation, source and incident as records, streamed: rows are read
    ``BATCH`` at a time, and an incident batch's links, events and revisions in one query each."""
    orgs: dict[int, str] = {}
    for org in session.exec(select(Organization).order_by(col(Organization.id)).execution_options(yield_per=BATCH)):
        orgs[org.id] = org.slug
        yield {"kind": "organization", "name": org.name, "core_name": org.core_name,
               "slug": org.slug, "match_key": org.match_key, "aliases": org.aliases}
    hashes: dict[int, str] = {}
    for src in session.exec(select(Source).order_by(col(Source.id)).execution_options(yield_per=BATCH)):
        hashes[src.id] = src.content_hash
        yield {"kind": "source", "content_hash": src.content_hash, "uri": src.uri,
               "title": src.title, "published_on": _plain(src.published_on),
               "fetched_at": _plain(src.fetched_at), "encoding": src.encoding,
               "format": src.format, "etag": src.etag, "last_modified": src.last_modified,
               "text": src.text if with_text else ""}
    slugs: dict[int, str] = {i: s for i, s in session.execute(select(Incident.id, Incident.slug))}
    ids = list(session.execute(select(Incident.id).order_by(col(Incident.id))).scalars())
    for batch in _batches(ids):
        incidents = session.exec(select(Incident).where(col(Incident.id).in_(batch)).order_by(col(Incident.id))).all()
        links, events, revisions = (_by_incident(session, model, batch)
                                    for model in (IncidentSource, IncidentEvent, Revision))
        for inc in incidents:
            yield _incident_record(inc, orgs=orgs, slugs=slugs, hashes=hashes, with_text=with_text,
                                   links=links.get(inc.id, []), events=events.get(inc.id, []),
                                   revisions=revisions.get(inc.id, []))


def _by_incident(session: Session, model: Any, ids: Sequence[int]) -> dict[int, list[Any]]:
    """The rows of ``model`` for these incidents, by incident, in id order (one query)."""
    grouped: dict[int, list[Any]] = {}
    for row in session.exec(select(model).where(col(model.incident_id).in_(ids)).order_by(col(model.id))):
        grouped.setdefault(row.incident_id, []).append(row)
    return grouped


def _incident_record(inc: Incident, *, orgs: dict[int, str], slugs: dict[int, str], hashes: dict[int, str],
                     with_text: bool, links: list[IncidentSource], events: list[IncidentEvent],
                     revisions: list[Revision]) -> dict[str, Any]:
    record = {"kind": "incident", "slug": inc.slug}
    record.update({name: _plain(getattr(inc, name)) for name in FACTS})
    record.update({
        "organization_slug": orgs.get(inc.organization_id),
        "merged_into": slugs.get(inc.merged_into_id),
        "created_at": _plain(inc.created_at), "updated_at": _plain(inc.updated_at),
        "sources": [{"content_hash": hashes[link.source_id],
                     "segment": [link.segment_start, link.segment_end],
                     "evidence": link.evidence if with_text else {},
                     "facts": link.facts} for link in links],
        "events": [{"type": e.type, "date": _plain(e.date),
                    "evidence": [e.evidence_start, e.evidence_end]
                    if with_text and e.evidence_start is not None else None,
                    "source": hashes.get(e.source_id)} for e in events],
        "review_status": inc.review_status,
        "revisions": [{"field": r.field, "old_value": r.old_value, "new_value": r.new_value,
                       "kind": r.kind, "applied": r.applied, "source": hashes.get(r.source_id),
                       "actor": r.actor, "reason": r.reason, "created_at": _plain(r.created_at)}
                      for r in revisions],
    })
    return record


def write_jsonl(session: Session, out: IO[str], *, with_text: bool = True) -> int:
    count = 0
    for record in export_records(session, with_text=with_text):
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        count += record["kind"] == "incident"
    return count


def _dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def import_records(session: Session, records: Iterable[dict[str, Any]]) -> int:
    """Upsert organisations (by match key), sources (by content hash), incidents (by slug).

    Does not commit; a bad line raises ``RecordError`` and the caller rolls back.
    """
    orgs: dict[str, int] = {}
    sources: dict[str, int] = {}
    pending_merges: list[tuple[Incident, str]] = []
    imported: list[int] = []
    count = 0
    for n, rec in enumerate(records, 1):
        kind = rec.get("kind") if isinstance(rec, dict) else None
        try:
            if kind == "organization":
                org = session.exec(select(Organization).where(
                    Organization.match_key == rec["match_key"])).first() or Organization(
                    name=rec["name"], core_name=rec["core_name"], slug=rec["slug"],
                    match_key=rec["match_key"])
                org.aliases = list(rec.get("aliases") or [])
                session.add(org)
                session.flush()
                orgs[rec["slug"]] = org.id
            elif kind == "source":
                src = session.exec(select(Source).where(
                    Source.content_hash == rec["content_hash"])).first()
                if src is None:
                    src = Source(uri=rec["uri"], content_hash=rec["content_hash"],
                                 title=rec.get("title"), published_on=as_date(rec.get("published_on")),
                                 encoding=rec.get("encoding"), format=rec.get("format"),
                                 etag=rec.get("etag"), last_modified=rec.get("last_modified"),
                                 text=rec.get("text") or "")
                    if rec.get("fetched_at"):
                        src.fetched_at = _dt(rec["fetched_at"])
                    session.add(src)
                    session.flush()
                sources[rec["content_hash"]] = src.id
            elif kind == "incident":
                inc = _import_incident(session, rec, orgs=orgs, sources=sources)
                imported.append(inc.id)
                if rec.get("merged_into"):
                    pending_merges.append((inc, rec["merged_into"]))
                count += 1
            else:
                raise RecordError(f"unknown kind {kind!r}")
        except (KeyError, TypeError, ValueError) as exc:
            raise RecordError(f"line {n}: {exc}") from exc
    for inc, target in pending_merges:
        survivor = session.exec(select(Incident).where(Incident.slug == target)).first()
        inc.merged_into_id = survivor.id if survivor else None
        session.add(inc)
    session.flush()
    search.reindex_incidents(session, imported)
    return count


def _import_incident(session: Session, rec: dict[str, Any], *, orgs: dict[str, int],
                     sources: dict[str, int]) -> Incident:
    inc = session.exec(select(Incident).where(Incident.slug == rec["slug"])).first()
    if inc is None:
        inc = Incident(slug=rec["slug"])
    for name in FACTS:
        value = rec.get(name)
        if name in DATE_FIELDS:
            value = as_date(value)
        elif name == "leaked_items":
            value = list(value or [])
        elif name == "reported_to_ppc_later":
            value = sorted({d.isoformat() for x in value or [] if (d := as_date(x))})
        elif name == "contact":
            value = {k: (str(value[k])[:300] if value.get(k) is not None else None)
                     for k in ("name", "phone", "hours", "url")} if isinstance(value, dict) else None
        elif name == "supply_chain":
            value = bool(value)
        elif name == "attack_type" and value not in taxonomy.BY_KEY:
            value = "other"
        setattr(inc, name, value)
    status = rec.get("review_status") or "unreviewed"
    if status not in REVIEW_STATUSES:
        raise ValueError(f"unknown review status {status!r}")
    inc.review_status = status
    inc.organization_id = orgs.get(rec.get("organization_slug") or "")
    if rec.get("created_at"):
        inc.created_at = _dt(rec["created_at"])
    if rec.get("updated_at"):
        inc.updated_at = _dt(rec["updated_at"])
    session.add(inc)
    session.flush()
    for link in rec.get("sources") or []:
        source_id = sources[link["content_hash"]]
        start, end = link.get("segment") or [0, 0]
        exists = session.exec(select(IncidentSource).where(
            IncidentSource.incident_id == inc.id, IncidentSource.source_id == source_id,
            IncidentSource.segment_start == start)).first()
        if exists is None:
            session.add(IncidentSource(incident_id=inc.id, source_id=source_id,
                                       segment_start=start, segment_end=end,
                                       evidence=link.get("evidence") or {},
                                       facts=link.get("facts") or {}))
    if not session.exec(select(Revision).where(Revision.incident_id == inc.id)).first():
        for rev in rec.get("revisions") or []:
            if rev["kind"] not in REVISION_KINDS:
                raise ValueError(f"unknown revision kind {rev['kind']!r}")
            made = Revision(incident_id=inc.id, field=rev.get("field"), old_value=rev.get("old_value"),
                            new_value=rev.get("new_value"), kind=rev["kind"], applied=bool(rev.get("applied", True)),
                            source_id=sources.get(rev.get("source") or ""), actor=rev.get("actor"),
                            reason=rev.get("reason"))
            if rev.get("created_at"):
                made.created_at = _dt(rev["created_at"])
            session.add(made)
    if not session.exec(select(IncidentEvent).where(IncidentEvent.incident_id == inc.id)).first():
        for event in rec.get("events") or []:
            span = event.get("evidence") or [None, None]
            session.add(IncidentEvent(incident_id=inc.id, type=event["type"],
                                      date=as_date(event.get("date")),
                                      source_id=sources.get(event.get("source") or ""),
                                      evidence_start=span[0], evidence_end=span[1]))
    return inc


def read_jsonl(stream: IO[str]) -> Iterator[dict[str, Any]]:
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordError(f"line {n}: not JSON ({exc.msg})") from exc


# What a spreadsheet reads as the start of a formula, and the full-width forms, which some
# spreadsheets fold to the ASCII ones.
FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula: one that begins with = + - @, a tab
    or a CR, also behind spaces or invisible characters, is prefixed with an apostrophe."""
    if cell[:1].isalnum():  # most cells (names, dates, counts): no control or sign to look behind
        return cell
    head = strip_invisible(cell)
    if head[:1] in ("\t", "\r") or head.lstrip()[:1] in FORMULA_START:
        return "'" + cell
    return cell


def csv_row(inc: Any, source_uris: list[str]) -> list[str]:
    """One incident's cells: ``inc`` an Incident or a row of the incident table."""
    mapping = getattr(inc, "_mapping", None)
    if mapping is not None:
        row = dict(mapping)
        values: dict[str, Any] = {name: row.get(name) for name in CSV_COLUMNS}
    else:
        values = {name: getattr(inc, name, None) for name in CSV_COLUMNS}
    values.update(attack_type_ja=i18n.attack_label(inc.attack_type, "ja"),
                  delay_days=delay_days(inc.discovered_on, inc.disclosed_on),
                  leaked_items="|".join(inc.leaked_items), sources=" ".join(source_uris),
                  reported_to_ppc_later="|".join(inc.reported_to_ppc_later or []),
                  supply_chain="true" if inc.supply_chain else "false")
    return [neutralise("" if values[c] is None else str(_plain(values[c]))) for c in CSV_COLUMNS]


def _source_uris(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    """Each incident's source URIs, in the order they were linked, without repeats: one query
    for the batch, the sources' text never read."""
    uris: dict[int, list[str]] = {}
    rows = session.execute(
        select(IncidentSource.incident_id, Source.uri)
        .join(Source, col(Source.id) == IncidentSource.source_id)
        .where(col(IncidentSource.incident_id).in_(ids))
        .order_by(col(IncidentSource.incident_id), col(IncidentSource.id)))
    for incident_id, uri in rows:
        listed = uris.setdefault(incident_id, [])
        if uri not in listed:
            listed.append(uri)
    return uris


def _csv_batches(session: Session, ids: Sequence[int] | None) -> Iterator[tuple[str, int]]:
    """(text, rows in it): the BOM and header, then a batch of ``BATCH`` incidents at a time."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    buf.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    yield buf.getvalue(), 0
    if ids is None:
        ids = list(session.execute(select(Incident.id).where(col(Incident.merged_into_id).is_(None))
                                   .order_by(col(Incident.id))).scalars())
    table = Incident.__table__
    for batch in _batches(ids):
        buf.seek(0)
        buf.truncate()
        rows = {r.id: r for r in session.execute(table.select().where(table.c.id.in_(batch)))}
        uris = _source_uris(session, batch)
        found = [i for i in batch if i in rows]
        writer.writerows(csv_row(rows[i], uris.get(i, [])) for i in found)
        yield buf.getvalue(), len(found)


def csv_chunks(session: Session, ids: Sequence[int] | None = None) -> Iterator[str]:
    """The CSV of these incidents (every live one when None) in their order, streamed: the
    rows read ``BATCH`` at a time, each batch's source URIs joined in one query."""
    for chunk, _ in _csv_batches(session, ids):
        yield chunk


def write_csv(session: Session, out: IO[str], ids: Sequence[int] | None = None) -> int:
    """UTF-8 CSV with a BOM (so Excel in Japan opens it), one row per incident."""
    count = 0
    for chunk, rows in _csv_batches(session, ids):
        out.write(chunk)
        count += rows
    return count


def csv_text(session: Session, ids: Sequence[int] | None = None) -> str:
    buf = io.StringIO()
    write_csv(session, buf, ids)
    return buf.getvalue()
