"""Write extracted incidents into the store: organisations, incidents, sources, evidence.

Services here take a session and keyword arguments and never commit: the caller owns the
transaction, so one document is one transaction and a failure leaves nothing half-written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, col, select

from app import revisions, search, taxonomy
from app.extract import Extracted
from app.extract.timeline import Event
from app.ingest.merge import (
    Link,
    Version,
    as_date,
    chosen_sources,
    compatible_kinds,
    facts_window,
    history,
    report_of,
    resolve,
    window,
    windows_overlap,
)
from app.models import (
    DATE_FIELDS,
    Incident,
    IncidentEvent,
    IncidentSource,
    Organization,
    Revision,
    Source,
    utcnow,
)
from app.text import match_key, nfkc, slugify, strip_legal_form

__all__ = ["DocumentIn", "SaveResult", "as_date", "bundled_hash", "content_hash", "fact_history", "merge_incidents",
           "merge_by_person", "recompute", "save_document", "split_source"]

# Service names too generic to tell one organisation's shop from another's.
_GENERIC_SERVICES = frozenset({"ecサイト", "通販サイト", "オンラインショップ", "オンラインストア",
                               "公式サイト", "ウェブサイト", "ホームページ", "会員サイト", "お届けサイト"})


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
    origin_id: int | None = None  # the registered source whose harvest brought it


@dataclass
class SaveResult:
    source_id: int | None = None
    unchanged: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: int = 0  # items that are not incidents (advisories, product bugs)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unique_slug(session: Session, model: type, base: str) -> str:
    base = base[:150] or "item"
    taken = set(session.exec(select(model.slug).where(col(model.slug).startswith(base))).all())
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def incident_slug_base(item: Extracted) -> str:
    when = item.disclosed_on or item.discovered_on
    name = item.organization_core or item.organization or item.service
    stem = slugify(name) if name else "unknown"
    return f"{when.isoformat() if when else 'undated'}-{stem}"


# ---- organisations ----


def _alias_hit(session: Session, spellings: list[str]) -> Organization | None:
    # Aliases are a JSON list; its text holds each spelling JSON-quoted (and \\u-escaped), so a
    # substring test on that text finds a whole spelling on SQLite and PostgreSQL alike.
    # It scans the organisations: fine for thousands; an alias table would index it.
    aliases = cast(Organization.aliases, String)
    hits = or_(*(aliases.contains(json.dumps(s), autoescape=True) for s in spellings))
    return session.exec(select(Organization).where(hits).order_by(col(Organization.id))).first()


def find_organization(session: Session, *, name: str, core: str | None = None) -> Organization | None:
    """The stored organisation of this name: by match key (legal form, width, spacing), else alias."""
    org = session.exec(select(Organization).where(Organization.match_key == match_key(core or name))).first()
    if org is not None:
        return org
    return _alias_hit(session, list(dict.fromkeys(s for s in (name, core) if s)))


def add_alias(org: Organization, name: str) -> None:
    """Keep every spelling; a fuller one (with its legal form) becomes the canonical name."""
    if name == org.name or name in org.aliases:
        return
    org.aliases = sorted({*org.aliases, name})
    if (match_key(name) == org.match_key and len(name) > len(org.name)
            and strip_legal_form(name) != name):
        org.aliases = sorted({*org.aliases, org.name} - {name})
        org.name = name
    org.updated_at = utcnow()


def new_organization(session: Session, *, name: str, core: str | None = None) -> Organization:
    core_name = core or strip_legal_form(name) or name
    org = Organization(name=name, core_name=core_name, match_key=match_key(core or name),
                       slug=unique_slug(session, Organization, slugify(core_name)), aliases=[])
    session.add(org)
    session.flush()
    return org


# ---- matching ----


def incident_window(incident: Incident) -> tuple[date, date] | None:
    return window([d for d in (getattr(incident, f) for f in DATE_FIELDS) if d is not None])


def same_incident(incident: Incident, item: Extracted) -> bool:
    """Whether a report describes this stored incident: compatible kind, overlapping dates."""
    return (compatible_kinds(incident.attack_type, item.attack_type)
            and windows_overlap(incident_window(incident), facts_window(item)))


def _service_key(service: str | None) -> str | None:
    key = match_key(service) if service else ""
    return key if len(key) >= 4 and key not in _GENERIC_SERVICES else None


def find_matches(session: Session, *, org: Organization | None, item: Extracted) -> list[Incident]:
    """Live incidents this report speaks of, oldest first.

    Through the organisation; and, for a name never seen before, through the service it ran
    (ワコムストア), which is how a second spelling of an organisation is learnt.
    """
    live = col(Incident.merged_into_id).is_(None)
    found: dict[int, Incident] = {}
    if org is not None:
        for inc in session.exec(select(Incident).where(Incident.organization_id == org.id, live)):
            found[inc.id] = inc
    key = _service_key(item.service)
    if org is None and key and item.service:
        raw = item.service
        for inc in session.exec(select(Incident).where(col(Incident.service).in_({raw, nfkc(raw)}), live)):
            found.setdefault(inc.id, inc)
    return sorted((i for i in found.values() if same_incident(i, item)), key=lambda i: i.id)


# ---- merging and precedence ----


def links_of(session: Session, incident_id: int) -> list[Link]:
    rows = session.exec(select(IncidentSource, Source.uri).join(Source, col(Source.id) == IncidentSource.source_id)
                        .where(IncidentSource.incident_id == incident_id)
                        .order_by(col(IncidentSource.id))).all()
    uris = {uri for _, uri in rows}
    latest = dict(session.exec(select(Source.uri, func.max(Source.id)).where(col(Source.uri).in_(uris))
                               .group_by(Source.uri)).all()) if uris else {}
    return [Link.of(source_id=link.source_id, uri=uri, facts=link.facts or {},
                    current=latest.get(uri) == link.source_id) for link, uri in rows]


def recompute(session: Session, incident: Incident, *, fresh: bool = False) -> bool:
    """Set the incident's facts from its reports by precedence; return whether anything changed.

    Each change is a parser revision, made by the source that won the fact. A field a person
    corrected is pinned: it keeps its value, and a parsed value that differs from the parser's
    last one is recorded unapplied, as a suggestion. ``fresh``: the incident was just created
    (its dates preset for matching), so every value it has is the parser's first.
    """
    links = links_of(session, incident.id)
    if not links:
        return False
    facts = resolve(links)
    winners = chosen_sources(links)
    pins = revisions.pinned(session, incident.id)
    parsed = revisions.parser_values(session, incident.id) if pins else {}
    changed = False
    for name, value in facts.items():
        if name == "attack_type" and value not in taxonomy.BY_KEY:
            value = "other"
        if isinstance(value, str) and name in ("organization", "organization_core", "service", "vendor"):
            value = value[:300]
        if name == "title" and value:
            value = str(value)[:500]
        current = getattr(incident, name)
        # Kind, items and supply chain are drawn from every report: the newest one changed them.
        made_by = winners.get(revisions.pin_group(name)) or links[-1].source_id
        if name not in revisions.CORRECTABLE:  # the title: every document has its own
            pass
        elif name in pins:
            if revisions.plain(value) != parsed.get(name, revisions.plain(current)):
                revisions.record(session, incident=incident, field=name, old=current, new=value,
                                 kind="parser", applied=False, source_id=made_by)
            continue
        elif current != value or (fresh and value not in (None, False, [])):
            revisions.record(session, incident=incident, field=name, old=None if fresh else current,
                             new=value, kind="parser", source_id=made_by)
        if current != value:
            setattr(incident, name, value)
            changed = True
    later = ppc_later(session, incident, links)
    if later != (incident.reported_to_ppc_later or []):
        incident.reported_to_ppc_later = later
        changed = True
    if changed:
        incident.updated_at = utcnow()
        session.add(incident)
    return changed


def ppc_later(session: Session, incident: Incident, links: list[Link]) -> list[str]:
    """The reports to the PPC after the incident's first (ISO dates, oldest first): every date a
    report's facts or the timeline's events give, from each source (a 第2報 tells the 確報)."""
    days = {d for link in links for d in (link.facts.reported_to_ppc_on, *link.facts.reported_to_ppc_later) if d}
    days |= set(session.exec(select(IncidentEvent.date).where(
        IncidentEvent.incident_id == incident.id, IncidentEvent.type == "reported_to_ppc",
        col(IncidentEvent.date).is_not(None))).all())
    first = incident.reported_to_ppc_on or min(days, default=None)
    return [d.isoformat() for d in sorted(days) if first is not None and d > first]


PARSER_MERGE = "one organisation, compatible kinds, overlapping dates"


def merge_incidents(session: Session, *, survivor: Incident, other: Incident, actor: str | None = None,
                    reason: str = PARSER_MERGE) -> None:
    """Fold ``other`` into ``survivor``: its sources and events move, its permalink redirects;
    a merge revision on both says who (none: the parser) and why."""
    if other.id == survivor.id:
        return
    have = {(link.source_id, link.segment_start) for link in
            session.exec(select(IncidentSource).where(IncidentSource.incident_id == survivor.id))}
    brought: list[int] = []
    for link in session.exec(select(IncidentSource).where(IncidentSource.incident_id == other.id)).all():
        if link.source_id not in brought:
            brought.append(link.source_id)
        if (link.source_id, link.segment_start) in have:
            session.delete(link)
        else:
            link.incident_id = survivor.id
            session.add(link)
    for event in session.exec(select(IncidentEvent).where(IncidentEvent.incident_id == other.id)).all():
        event.incident_id = survivor.id
        session.add(event)
    for earlier in session.exec(select(Incident).where(Incident.merged_into_id == other.id)).all():
        earlier.merged_into_id = survivor.id
        session.add(earlier)
    other.merged_into_id = survivor.id
    other.updated_at = utcnow()
    session.add(other)
    revisions.record(session, incident=survivor, field=None, old=other.slug, new=survivor.slug, kind="merge",
                     actor=actor, reason=reason)
    # On the merged-away incident, one merge revision per source it brought: a split of that
    # source gives the incident (and its permalink) back.
    for source_id in brought or [None]:
        revisions.record(session, incident=other, field=None, old=other.slug, new=survivor.slug, kind="merge",
                         actor=actor, reason=reason, source_id=source_id)
    session.flush()
    recompute(session, survivor)


class CurationError(ValueError):
    """A person's merge or split that cannot be done; ``status`` is the HTTP answer, and the
    message names the problem. Nothing has been changed when it is raised."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def merge_by_person(session: Session, *, incident: Incident, into: Incident, actor: str,
                    reason: str) -> Incident:
    """A person folds ``incident`` into ``into`` (both live); the old permalink redirects."""
    if incident.id == into.id:
        raise CurationError(422, f"into: {into.slug} is this incident; merge it into another one")
    merge_incidents(session, survivor=into, other=incident, actor=actor, reason=reason)
    session.flush()
    search.reindex_incidents(session, [into.id, incident.id])
    return into


def _split_slug(session: Session, incident: Incident, facts: dict) -> str:
    when = as_date(facts.get("disclosed_on")) or as_date(facts.get("discovered_on"))
    name = facts.get("organization_core") or facts.get("organization") or facts.get("service")
    stem = slugify(str(name)) if name else (incident.slug.split("-", 3)[-1] if incident.slug else "unknown")
    return unique_slug(session, Incident, f"{when.isoformat() if when else 'undated'}-{stem or 'unknown'}")


def _merged_from(session: Session, incident: Incident, source_id: int) -> Incident | None:
    """The incident that brought this source when it was merged into ``incident``, if any."""
    rows = session.exec(select(Incident, Revision.id).join(Revision, col(Revision.incident_id) == Incident.id)
                        .where(Incident.merged_into_id == incident.id, Revision.kind == "merge",
                               Revision.source_id == source_id)
                        .order_by(col(Revision.id).desc())).all()
    return rows[0][0] if rows else None


def split_source(session: Session, *, incident: Incident, source_id: int, actor: str, reason: str) -> Incident:
    """A person takes one source (every passage of it) out of ``incident``: it becomes its own
    incident. When that source came in through a merge, the merged-away incident comes back
    with its own permalink (and the permalinks that had been merged into it); otherwise a new
    incident with a new permalink is made. Split revisions on both say who and why."""
    links = session.exec(select(IncidentSource).where(IncidentSource.incident_id == incident.id)
                         .order_by(col(IncidentSource.id))).all()
    moving = [link for link in links if link.source_id == source_id]
    if not moving:
        raise CurationError(422, f"source: {source_id} is not a source of {incident.slug}")
    if len({link.source_id for link in links}) < 2:
        raise CurationError(422, f"source: {source_id} is the only source of {incident.slug}; nothing would remain")
    revived = _merged_from(session, incident, source_id)
    if revived is not None:
        for earlier in session.exec(select(Incident).where(Incident.merged_into_id == incident.id)).all():
            last = session.exec(select(Revision).where(Revision.incident_id == earlier.id, Revision.kind == "merge")
                                .order_by(col(Revision.id).desc())).first()
            if earlier.id != revived.id and last is not None and last.new_value == revived.slug:
                earlier.merged_into_id = revived.id
                session.add(earlier)
        target, fresh = revived, False
        target.merged_into_id = None
        target.updated_at = utcnow()
    else:
        facts = moving[0].facts or {}
        name = facts.get("organization") or facts.get("organization_core")
        org = find_organization(session, name=str(name), core=facts.get("organization_core")) if name else None
        target = Incident(slug=_split_slug(session, incident, facts), leaked_items=[],
                          organization_id=org.id if org else incident.organization_id,
                          attack_type=facts.get("attack_type") if facts.get("attack_type") in taxonomy.BY_KEY
                          else "other")
        fresh = True
    session.add(target)
    session.flush()
    for link in moving:
        link.incident_id = target.id
        session.add(link)
    for event in session.exec(select(IncidentEvent).where(IncidentEvent.incident_id == incident.id,
                                                          IncidentEvent.source_id == source_id)).all():
        event.incident_id = target.id
        session.add(event)
    for inc in (incident, target):
        revisions.record(session, incident=inc, field=None, old=incident.slug, new=target.slug, kind="split",
                         actor=actor, reason=reason, source_id=source_id)
    session.flush()
    recompute(session, target, fresh=fresh)
    recompute(session, incident)
    incident.updated_at = utcnow()
    session.add(incident)
    session.flush()
    search.reindex_incidents(session, [incident.id, target.id])
    return target


def fact_history(session: Session, incident: Incident) -> dict[str, list[Version]]:
    """Each fact as every source gave it, oldest report first (see merge.history_line)."""
    return history(links_of(session, incident.id))


# ---- documents ----


def _place(session: Session, item: Extracted) -> tuple[Incident, bool]:
    """The incident this report belongs to (merging any it bridges), and whether it is new."""
    name = item.organization or item.organization_core
    org = find_organization(session, name=name, core=item.organization_core) if name else None
    matches = find_matches(session, org=org, item=item)
    if org is None and matches and name and matches[0].organization_id:
        org = session.get(Organization, matches[0].organization_id)  # learnt through the service
        if org is not None:
            add_alias(org, name)
            if item.organization_core and item.organization_core != name:
                add_alias(org, item.organization_core)
            session.add(org)
    elif org is not None:
        add_alias(org, name)
        session.add(org)
    elif name:
        org = new_organization(session, name=name, core=item.organization_core)
    if matches:
        survivor = matches[0]
        for other in matches[1:]:
            merge_incidents(session, survivor=survivor, other=other)
        return survivor, False
    incident = Incident(slug=unique_slug(session, Incident, incident_slug_base(item)),
                        organization_id=org.id if org else None, leaked_items=[],
                        attack_type=item.attack_type or "other")
    # Enough facts for the next report of this document to be matched before recompute runs.
    for name_ in DATE_FIELDS:
        setattr(incident, name_, getattr(item, name_))
    session.add(incident)
    session.flush()
    return incident, True


def add_events(session: Session, *, incident: Incident, source_id: int | None, events: list[Event]) -> None:
    for event in events:
        if event.type not in taxonomy.EVENT_TYPES:
            continue
        session.add(IncidentEvent(incident_id=incident.id, source_id=source_id, type=event.type, date=event.date,
                                  evidence_start=event.evidence[0], evidence_end=event.evidence[1]))


def bundled_hash(uri: str) -> str:
    """The made-up hash a bundle built before #13 gave the seed document of this name."""
    name = uri.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return hashlib.sha256(f"bundled:seeds/{name}".encode()).hexdigest()


def stored_source(session: Session, doc: DocumentIn) -> Source | None:
    """The stored source of these bytes, whatever path, URL or upload reached them before.

    A store loaded from a bundle built before #13 knows a seed by a made-up hash of its file
    name: such a facts-only source takes the real hash when its file comes.
    """
    found = session.exec(select(Source).where(Source.content_hash == doc.content_hash)).first()
    if found is not None:
        return found
    legacy = session.exec(select(Source).where(Source.content_hash == bundled_hash(doc.uri),
                                               Source.text == "")).first()
    if legacy is not None:
        legacy.content_hash = doc.content_hash
        session.add(legacy)
    return legacy


def fill_text(session: Session, *, source: Source, doc: DocumentIn, incidents: list[Extracted]) -> None:
    """A facts-only source (the bundled dataset's) meets its document: it keeps the text, the
    title and each report's evidence offsets. Facts stay as they are: same bytes, same report."""
    source.text = doc.text
    source.title = source.title or doc.title
    source.encoding = source.encoding or doc.encoding
    source.format = source.format or doc.format
    session.add(source)
    links = {link.segment_start: link for link in
             session.exec(select(IncidentSource).where(IncidentSource.source_id == source.id))}
    for item in incidents:
        link = links.get(item.segment[0])
        if link is None or link.evidence:
            continue
        link.evidence = item.evidence_json()
        session.add(link)
        spans = {(e.type, e.date): e.evidence for e in item.events}
        for event in session.exec(select(IncidentEvent).where(
                IncidentEvent.incident_id == link.incident_id, IncidentEvent.source_id == source.id,
                col(IncidentEvent.evidence_start).is_(None))):
            span = spans.get((event.type, event.date))
            if span:
                event.evidence_start, event.evidence_end = span
                session.add(event)
    session.flush()
    search.reindex_incidents(session, sorted({link.incident_id for link in links.values()}))


def save_document(session: Session, *, doc: DocumentIn, incidents: list[Extracted]) -> SaveResult:
    """Store one document and merge the incidents extracted from it. Does not commit.

    Bytes already stored are the same document however they came: nothing is added.
    """
    existing = stored_source(session, doc)
    if existing is not None:
        if not existing.text and doc.text:
            fill_text(session, source=existing, doc=doc, incidents=incidents)
        return SaveResult(source_id=existing.id, unchanged=True)
    source = Source(uri=doc.uri, title=doc.title, published_on=doc.published_on, text=doc.text,
                    content_hash=doc.content_hash, encoding=doc.encoding, format=doc.format,
                    etag=doc.etag, last_modified=doc.last_modified, origin_id=doc.origin_id)
    session.add(source)
    session.flush()
    result = SaveResult(source_id=source.id)
    touched: list[int] = []
    for item in incidents:
        if not item.is_incident:
            result.skipped += 1
            continue
        report = report_of(item, published_on=doc.published_on)
        incident, created = _place(session, item)
        touched.append(incident.id)
        (result.created if created else result.updated).append(incident.slug)
        segment = item.segment
        link = select(IncidentSource).where(IncidentSource.incident_id == incident.id,
                                            IncidentSource.source_id == source.id,
                                            IncidentSource.segment_start == segment[0])
        if session.exec(link).first() is not None:
            continue  # the same passage reported the same incident twice
        kept = item.facts_json()
        kept["report"] = report.as_json()
        session.add(IncidentSource(incident_id=incident.id, source_id=source.id,
                                   segment_start=segment[0], segment_end=segment[1],
                                   evidence=item.evidence_json(), facts=kept))
        add_events(session, incident=incident, source_id=source.id, events=item.events)
        session.flush()
        recompute(session, incident, fresh=created)
    # The search index is part of the same transaction: a failed document leaves no trace there.
    search.reindex_incidents(session, touched)
    result.created = list(dict.fromkeys(result.created))
    result.updated = [s for s in dict.fromkeys(result.updated) if s not in result.created]
    return result
