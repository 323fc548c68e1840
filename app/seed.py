"""The bundled dataset: the incidents of ../shared/seeds and ../shared/corpus, facts only,
loaded on first start.

It is reproducible: `rouei dataset build SEEDS_DIR --labels LABELS_DIR` ingests the seed
documents and each labelled document (under the URL it was published at) into a scratch
database with the parser, applies the reviewed corrections in
``app/data/seed_corrections.json`` and the labels' reviewed values, and writes
``app/data/seed_incidents.jsonl`` without the documents' text or titles (the facts carry
over, the notices' sentences do not; an incident links to the original notice).
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
from app.ingest.pipeline import ingest_bytes
from app.ingest.store import as_date
from app.models import DATE_FIELDS, Incident, IncidentEvent, IncidentSource, Revision, Source
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
                _drop(session, inc)
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


def labelled_documents(labels_dir: Path) -> list[tuple[Path, str, bytes]]:
    """The labelled documents of a corpus folder that name where they were published: each
    label's file, its URL and the document's bytes (its ``text``, or its ``text_file``)."""
    out = []
    for path in sorted(labels_dir.glob("*.json")):
        label = json.loads(path.read_text(encoding="utf-8"))
        if not label.get("url"):
            continue
        data = ((path.parent / label["text_file"]).read_bytes() if label.get("text_file")
                else label["text"].encode("utf-8"))
        out.append((path, label["url"], data))
    return out


def _gold_incidents(label_path: Path) -> list[dict[str, Any]]:
    gold = json.loads(label_path.read_text(encoding="utf-8"))["gold"]
    return [g for g in gold.get("incidents", [gold]) if g.get("is_incident", True)]


def _label_keys(gold: dict[str, Any]) -> set[str]:
    from app.text import match_key

    return {match_key(str(o)) for f in ("organization_core", "organization") for o in _options(gold.get(f)) if o}


def _name_keys(*names: str | None) -> set[str]:
    from app.text import match_key

    return {match_key(n) for n in names if n}


def _overlap(a_keys: set[str], b_keys: set[str]) -> bool:
    """Whether one name holds the other (ワコム in 株式会社ワコムストア), keys compared."""
    return any(a in b or b in a for a in a_keys for b in b_keys if a and b)


def _reviewed_values(gold: dict[str, Any], inc: Incident) -> dict[str, Any]:
    """The label's values, to be pinned: each field the label gives one answer for, and each
    it allows several answers for whose incident's value is none of them (the first then)."""
    fixes = {}
    for name in CORRECTABLE:
        if name not in gold:
            continue
        options = _options(gold[name])
        have = getattr(inc, name)
        have = have.isoformat() if hasattr(have, "isoformat") else have
        if len(options) == 1 or have not in options:
            fixes[name] = options[0]
    return fixes


def apply_labels(session: Session, documents: list[tuple[Path, str, bytes]]) -> list[str]:
    """Give each labelled document's incidents the label's reviewed values (correction
    revisions, so they are pinned), and drop what the parser found there that the label says
    is no incident (an incident that only this document gave). Returns the labelled incidents
    no stored incident matched."""

    missed = []
    for label_path, url, _data in documents:
        source = session.exec(select(Source).where(Source.uri == url)).first()
        if source is None:
            missed += [f"{url}: not stored" for _ in _gold_incidents(label_path)]
            continue
        links = session.exec(select(IncidentSource).where(IncidentSource.source_id == source.id)).all()
        found = {link.incident_id: session.get(Incident, link.incident_id) for link in links}
        taken: set[int] = set()
        golds = _gold_incidents(label_path)
        for gold in golds:
            keys = _label_keys(gold)
            free = [(i, _name_keys(i.organization_core, i.organization)) for i in found.values() if i.id not in taken]
            inc = next((i for i, names in free if keys & names), None) or next(
                (i for i, names in free if _overlap(keys, names)), None)
            if inc is None and len(golds) == 1:  # a notice of one incident: the name told apart
                inc = next((i for i in found.values() if i.id not in taken), None)
            if inc is None:
                missed.append(f"{url}: {gold.get('organization')}")
                continue
            taken.add(inc.id)
            changes = {n: as_date(v) if n in DATE_FIELDS else v for n, v in _reviewed_values(gold, inc).items()}
            if changes:
                revisions.correct(session, incident=inc, changes=changes, actor=SEED_REVIEWER,
                                  reason=f"ラベルで確認 / as labelled: {url}")
        for inc in found.values():
            others = session.exec(select(IncidentSource).where(IncidentSource.incident_id == inc.id,
                                                               IncidentSource.source_id != source.id)).first()
            if inc.id not in taken and others is None:
                _drop(session, inc)
    session.flush()
    return missed


def _drop(session: Session, inc: Incident) -> None:
    """Delete an incident, with its links, events, revisions and the stubs merged into it."""
    for stub in session.exec(select(Incident).where(Incident.merged_into_id == inc.id)).all():
        _drop(session, stub)
    for model in (IncidentSource, IncidentEvent, Revision):
        for row in session.exec(select(model).where(model.incident_id == inc.id)):
            session.delete(row)
    session.flush()  # the rows that point at it go first
    session.delete(inc)
    session.flush()


def build_bundle(seed_dir: Path, *, labels: Path | None = None, corrections: Path = CORRECTIONS,
                 out: Path = BUNDLE) -> tuple[int, list[str]]:
    """Rebuild the bundled dataset from the seed documents and the labelled documents of
    ``labels``; returns (incidents, what did not apply: unmatched fixes, unmatched labels)."""
    fixes = json.loads(corrections.read_text(encoding="utf-8"))["corrections"] if corrections.exists() else []
    documents = labelled_documents(labels) if labels else []
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/build.db")
        upgrade(engine)
        for path in sorted(seed_dir.glob("*.txt")):
            ingest_file(engine, path)
        for label_path, url, data in documents:
            ingest_bytes(engine, uri=url, data=data, filename=label_path.with_suffix(".txt").name)
        with session_scope(engine) as session:
            unmatched = apply_corrections(session, fixes) + apply_labels(session, documents)
        with Session(engine) as session:
            records = [_facts_only(r) for r in export_records(session, with_text=True)]
        engine.dispose()
    # The bundle names a source by its file name and keeps the hash of its bytes: ingesting
    # the real file later, by any path, is the same document, whose text it then fills in
    # (store.save_document), never a second source.
    for rec in records:
        if rec["kind"] == "source":
            if "://" not in rec["uri"]:  # a labelled document keeps the URL it was published at
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

    groups: list[tuple[set[str], dict[str, list[Any]]]] = []
    for path in sorted(labels.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))["gold"]
        for g in gold.get("incidents", [gold]):
            if not g.get("is_incident", True):
                continue
            keys = _label_keys(g)
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

    groups = _gold_by_organisation(labels)
    records = [json.loads(line) for line in bundle.read_text(encoding="utf-8").splitlines()]
    proposals: list[dict[str, Any]] = []
    for rec in (r for r in records if r["kind"] == "incident"):
        names = _name_keys(rec.get("organization_core"), rec.get("organization"))
        fields = next((f for keys, f in groups if _overlap(names, keys)), None)
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
