"""Write extracted incidents into the store: organisations, incidents, sources, evidence.

Services here take a session and keyword arguments and never commit: the caller owns the
transaction, so one document is one transaction and a failure leaves nothing half-written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app import taxonomy
from app.models import (
    COUNT_FIELDS,
    DATE_FIELDS,
    Incident,
    IncidentEvent,
    IncidentSource,
    Organization,
    Source,
    utcnow,
)
from app.text import match_key, slugify, strip_legal_form

# Two reports of one organisation are the same incident when their dates lie this close.
SAME_INCIDENT_DAYS = 180


@dataclass(frozen=True)
class DocumentIn:
    """A decoded document ready to be stored."""

    uri: str
    text: str
    content_hash: str
    encoding: str | None = None
    format: str | None = None
    title: str | None = None
    published_on: date | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class SaveResult:
    source_id: int | None = None
    unchanged: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: int = 0  # items that are not incidents (advisories, product bugs)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def upsert_organization(session: Session, *, name: str, core: str | None = None) -> Organization:
    key = match_key(core or name)
    org = session.exec(select(Organization).where(Organization.match_key == key)).first()
    if org is None:
        core_name = core or strip_legal_form(name) or name
        org = Organization(name=name, core_name=core_name, match_key=key,
                           slug=unique_slug(session, Organization, slugify(core_name)), aliases=[])
        session.add(org)
        session.flush()
        return org
    # A fuller name (with its legal form) becomes canonical; every spelling is kept as an alias.
    names = {org.name, *org.aliases}
    if name not in names:
        org.aliases = sorted({*org.aliases, name})
        if len(name) > len(org.name) and strip_legal_form(name) != name:
            org.aliases = sorted({*org.aliases, org.name} - {name})
            org.name = name
        org.updated_at = utcnow()
        session.add(org)
    return org


def unique_slug(session: Session, model: type, base: str) -> str:
    base = base[:150] or "item"
    taken = set(session.exec(select(model.slug).where(col(model.slug).startswith(base))).all())
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def incident_slug_base(facts: dict[str, Any]) -> str:
    when = as_date(facts.get("disclosed_on")) or as_date(facts.get("discovered_on"))
    name = facts.get("organization_core") or facts.get("organization") or facts.get("service")
    stem = slugify(name) if name else "unknown"
    return f"{when.isoformat() if when else 'undated'}-{stem}"


def _anchor_dates(facts: dict[str, Any]) -> list[date]:
    return [d for d in (as_date(facts.get(f)) for f in DATE_FIELDS) if d is not None]


def _incident_dates(incident: Incident) -> list[date]:
    return [d for d in (getattr(incident, f) for f in DATE_FIELDS) if d is not None]


def same_incident(incident: Incident, facts: dict[str, Any]) -> bool:
    """Whether an extracted report describes this stored incident of the same organisation."""
    kind = facts.get("attack_type") or "other"
    if "other" not in (kind, incident.attack_type) and kind != incident.attack_type:
        return False
    mine, theirs = _incident_dates(incident), _anchor_dates(facts)
    if not mine or not theirs:
        return True  # same organisation and kind, nothing to tell them apart
    return any(abs((a - b).days) <= SAME_INCIDENT_DAYS for a in mine for b in theirs)


def find_match(session: Session, *, org: Organization, facts: dict[str, Any]) -> Incident | None:
    query = select(Incident).where(Incident.organization_id == org.id,
                                   col(Incident.merged_into_id).is_(None))
    for incident in session.exec(query.order_by(col(Incident.id))):
        if same_incident(incident, facts):
            return incident
    return None


def apply_facts(incident: Incident, facts: dict[str, Any]) -> bool:
    """Fill what the stored incident does not know yet; return whether anything changed.

    Earlier facts win here: every source's own version is kept on IncidentSource.facts, so
    disagreements stay visible. Ingest's merge precedence refines this.
    """
    changed = False
    for name in ("organization", "organization_core", "service", "vendor", "status", "title"):
        if getattr(incident, name) is None and facts.get(name):
            setattr(incident, name, str(facts[name])[:300])
            changed = True
    kind = facts.get("attack_type")
    if kind in taxonomy.BY_KEY and incident.attack_type == "other" and kind != "other":
        incident.attack_type = kind
        changed = True
    if facts.get("supply_chain") and not incident.supply_chain:
        incident.supply_chain = True
        changed = True
    for name in DATE_FIELDS:
        value = as_date(facts.get(name))
        if value is not None and getattr(incident, name) is None:
            setattr(incident, name, value)
            changed = True
    for name in COUNT_FIELDS:
        value = facts.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and getattr(incident, name) is None:
            setattr(incident, name, value)
            setattr(incident, f"{name}_qualifier", facts.get(f"{name}_qualifier"))
            changed = True
    items = [str(i) for i in facts.get("leaked_items") or []]
    merged = list(dict.fromkeys([*incident.leaked_items, *items]))
    if merged != incident.leaked_items:
        incident.leaked_items = merged
        changed = True
    return changed


def new_incident(session: Session, *, org: Organization | None, facts: dict[str, Any]) -> Incident:
    incident = Incident(slug=unique_slug(session, Incident, incident_slug_base(facts)),
                        organization_id=org.id if org else None, leaked_items=[])
    apply_facts(incident, facts)
    session.add(incident)
    session.flush()
    return incident


def add_events(session: Session, *, incident: Incident, source_id: int | None,
               events: list[dict[str, Any]]) -> None:
    for event in events:
        if event.get("type") not in taxonomy.EVENT_TYPES:
            continue
        span = event.get("evidence") or [None, None]
        session.add(IncidentEvent(incident_id=incident.id, source_id=source_id, type=event["type"],
                                  date=as_date(event.get("date")),
                                  evidence_start=span[0], evidence_end=span[1]))


def save_document(session: Session, *, doc: DocumentIn, incidents: list[dict[str, Any]]) -> SaveResult:
    """Store one document and merge the incidents extracted from it. Does not commit."""
    existing = session.exec(select(Source).where(Source.content_hash == doc.content_hash)).first()
    if existing is not None:
        return SaveResult(source_id=existing.id, unchanged=True)
    source = Source(uri=doc.uri, title=doc.title, published_on=doc.published_on, text=doc.text,
                    content_hash=doc.content_hash, encoding=doc.encoding, format=doc.format,
                    etag=doc.etag, last_modified=doc.last_modified)
    session.add(source)
    session.flush()
    result = SaveResult(source_id=source.id)
    for facts in incidents:
        if not facts.get("is_incident", True):
            result.skipped += 1
            continue
        name = facts.get("organization") or facts.get("organization_core")
        org = upsert_organization(session, name=name, core=facts.get("organization_core")) if name else None
        incident = find_match(session, org=org, facts=facts) if org else None
        if incident is None:
            incident = new_incident(session, org=org, facts=facts)
            result.created.append(incident.slug)
        elif apply_facts(incident, facts):
            incident.updated_at = utcnow()
            session.add(incident)
            result.updated.append(incident.slug)
        else:
            result.updated.append(incident.slug)
        segment = facts.get("segment") or [0, len(doc.text)]
        link = select(IncidentSource).where(IncidentSource.incident_id == incident.id,
                                            IncidentSource.source_id == source.id,
                                            IncidentSource.segment_start == segment[0])
        if session.exec(link).first() is not None:
            continue  # the same passage reported the same incident twice
        session.add(IncidentSource(incident_id=incident.id, source_id=source.id,
                                   segment_start=segment[0], segment_end=segment[1],
                                   evidence=facts.get("evidence") or {},
                                   facts={k: v for k, v in facts.items() if k not in ("evidence", "events")}))
        add_events(session, incident=incident, source_id=source.id, events=facts.get("events") or [])
        session.flush()
    return result
