"""The bundled dataset: the incidents of ../shared/seeds, facts only, loaded on first start.

It is reproducible: `rouei dataset build SEEDS_DIR` ingests the seed documents into a scratch
database with the parser, applies the reviewed corrections in ``app/data/seed_corrections.json``
and writes ``app/data/seed_incidents.jsonl`` without the documents' text or titles (the facts
carry over, the notices' sentences do not).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from app import revisions
from app.db import make_engine, session_scope, upgrade
from app.export import export_records, import_records, read_jsonl
from app.ingest.files import ingest_file
from app.ingest.store import as_date
from app.models import DATE_FIELDS, Incident, IncidentEvent, IncidentSource, Revision
from app.revisions import SEED_REVIEWER

DATA_DIR = Path(__file__).resolve().parent / "data"
BUNDLE = DATA_DIR / "seed_incidents.jsonl"
CORRECTIONS = DATA_DIR / "seed_corrections.json"


def store_is_empty(engine: Engine) -> bool:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Incident)).one() == 0


def load_bundled(engine: Engine, path: Path = BUNDLE) -> int:
    """Import the bundled dataset in one transaction; returns the number of incidents."""
    with path.open(encoding="utf-8") as stream, session_scope(engine) as session:
        return import_records(session, read_jsonl(stream))


def load_if_empty(engine: Engine) -> int:
    if not BUNDLE.exists() or not store_is_empty(engine):
        return 0
    return load_bundled(engine)


def _matches(inc: Incident, where: dict[str, Any]) -> bool:
    return all(str(getattr(inc, k, None)) == str(v) for k, v in where.items())


def apply_corrections(session: Session, corrections: list[dict[str, Any]]) -> list[str]:
    """Apply reviewed corrections: ``{"where": {...}, "set": {...}}`` or ``{"where": ..., "drop": true}``.

    A ``set`` is a correction revision (by ``SEED_REVIEWER``, its ``why`` the reason), so the
    fields it sets are pinned wherever the bundle is loaded: a later parse cannot undo them.
    A correction that matches nothing is reported, so a parser change cannot silently orphan it.
    """
    unmatched = []
    incidents = session.exec(select(Incident).order_by(col(Incident.id))).all()
    for fix in corrections:
        hits = [i for i in incidents if _matches(i, fix["where"])]
        if not hits:
            unmatched.append(json.dumps(fix["where"], ensure_ascii=False))
        for inc in hits:
            if fix.get("drop"):
                for model in (IncidentSource, IncidentEvent, Revision):
                    for row in session.exec(select(model).where(model.incident_id == inc.id)):
                        session.delete(row)
                session.delete(inc)
                continue
            changes = {name: as_date(value) if name in DATE_FIELDS else value
                       for name, value in fix.get("set", {}).items()}
            revisions.correct(session, incident=inc, changes=changes, actor=SEED_REVIEWER,
                              reason=fix.get("why") or "reviewed")
    session.flush()
    return unmatched


def _facts_only(record: dict[str, Any]) -> dict[str, Any]:
    """Drop what would carry the notices' sentences: text, titles, evidence offsets."""
    if record["kind"] == "source":
        record.update(text="", title=None, etag=None, last_modified=None)
    elif record["kind"] == "incident":
        record["title"] = None
        for link in record["sources"]:
            link["facts"] = {k: v for k, v in link["facts"].items() if k not in ("title", "rules")}
        # A person's revisions, not the parser's: each source's facts already say what it gave.
        record["revisions"] = [{k: v for k, v in r.items() if k != "created_at"}
                               for r in record["revisions"] if r["kind"] != "parser"]
    return record


def build_bundle(seed_dir: Path, *, corrections: Path = CORRECTIONS, out: Path = BUNDLE) -> tuple[int, list[str]]:
    """Rebuild the bundled dataset from the seed documents; returns (incidents, unmatched fixes)."""
    fixes = json.loads(corrections.read_text(encoding="utf-8"))["corrections"] if corrections.exists() else []
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/build.db")
        upgrade(engine)
        for path in sorted(seed_dir.glob("*.txt")):
            ingest_file(engine, path)
        with session_scope(engine) as session:
            unmatched = apply_corrections(session, fixes)
        with Session(engine) as session:
            records = [_facts_only(r) for r in export_records(session, with_text=True)]
        engine.dispose()
    # The bundle names a source by its file name and keeps the hash of its bytes: ingesting
    # the real file later, by any path, is the same document, whose text it then fills in
    # (store.save_document), never a second source.
    for rec in records:
        if rec["kind"] == "source":
            rec["uri"] = "seeds/" + Path(rec["uri"]).name
            rec["fetched_at"] = None
    for rec in records:
        if rec["kind"] == "incident":
            rec.pop("created_at", None)
            rec.pop("updated_at", None)
            for link in rec["sources"]:
                link["evidence"] = {}
            for event in rec["events"]:
                event["evidence"] = None
    count = 0
    with out.open("w", encoding="utf-8") as stream:
        for rec in records:
            stream.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
            count += rec["kind"] == "incident"
    return count, unmatched


# Fields a reviewer may correct in the bundle, compared with the labels of the seeds.
CORRECTABLE = (
    "organization_core", "service", "attack_type", "supply_chain", "vendor", "discovered_on",
    "disclosed_on", "exposure_from", "exposure_to", "records_max", "card_records",
    "personal_records", "reported_to_ppc_on", "reported_to_police_on",
)


def _options(value: Any) -> list[Any]:
    return value["any_of"] if isinstance(value, dict) and "any_of" in value else [value]


def _gold_by_organisation(labels: Path) -> list[tuple[set[str], dict[str, list[Any]]]]:
    """Labelled incidents grouped by organisation across documents: name keys → field → values."""
    from app.text import match_key

    groups: list[tuple[set[str], dict[str, list[Any]]]] = []
    for path in sorted(labels.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))["gold"]
        for g in gold.get("incidents", [gold]):
            if not g.get("is_incident", True):
                continue
            keys = {match_key(str(o)) for f in ("organization_core", "organization")
                    for o in _options(g.get(f)) if o}
            group = next((grp for grp in groups if grp[0] & keys), None)
            if group is None:
                group = (set(), {})
                groups.append(group)
            group[0].update(keys)
            for name in CORRECTABLE:
                if name in g and len(_options(g[name])) == 1:
                    group[1].setdefault(name, []).append(g[name])
    return groups


def propose_corrections(bundle: Path, labels: Path) -> list[dict[str, Any]]:
    """Compare the bundle with labelled truth and propose corrections for a person to review.

    Only unambiguous labels are used: a field labelled with several acceptable answers, or
    with different values by different documents, is left alone; a date one document leaves
    null and another gives is taken from the one that gives it. An incident the labels do
    not know is proposed for dropping.
    """
    from app.text import match_key

    groups = _gold_by_organisation(labels)
    records = [json.loads(line) for line in bundle.read_text(encoding="utf-8").splitlines()]
    proposals: list[dict[str, Any]] = []
    for rec in (r for r in records if r["kind"] == "incident"):
        names = {match_key(n) for n in (rec.get("organization_core"), rec.get("organization")) if n}
        fields = next((f for keys, f in groups
                       if any(a in b or b in a for a in names for b in keys if a and b)), None)
        where = {"slug": rec["slug"]}
        if fields is None:
            proposals.append({"where": where, "drop": True, "why": "not an incident in the labels"})
            continue
        fixes = {}
        for name, values in fields.items():
            known = list(dict.fromkeys(json.dumps(v) for v in values if v is not None))
            if len(known) > 1:
                continue
            truth = json.loads(known[0]) if known else None
            if truth != rec.get(name) and not (truth is None and rec.get(name) in (None, False)):
                fixes[name] = truth
        if fixes:
            proposals.append({"where": where, "set": fixes, "why": "differs from the reviewed label"})
    return proposals
