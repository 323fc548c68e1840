"""The review queue: live incidents ordered by how much they need a person.

Four reasons, each with the facts it concerns and a weight (a fact the sources disagree on,
or a parsed value waiting beside a correction, needs a person more than a missing date):

- ``disagreement``: the current reports give different values of a fact
  (``merge.disagreements``; names compared as organisations are matched);
- ``suggestion``: a later parse differs from a corrected fact (``revisions.suggestions``);
- ``no_disclosure``: no disclosure date, so no delay and no legal check;
- ``uncertain``: what the parser could only hedge — a count qualified 可能性 or 調査中, a
  leak still under investigation, an attack type it could not tell (``other``).

An incident a person marked reviewed leaves the queue (unless the view asks for reviewed
ones); a disputed one stays. The queue takes the home page's filters (the same query
string), applied in SQL, and reads every candidate's facts in a few bulk queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app import revisions
from app.ingest.merge import Link, disagreements, history
from app.models import COUNT_FIELDS, Incident, IncidentSource, Revision, Source
from app.search import Filters
from app.search.service import text_clause

REASONS = ("disagreement", "suggestion", "no_disclosure", "uncertain")
WEIGHTS = {"disagreement": 4, "suggestion": 4, "no_disclosure": 2, "uncertain": 1}
HEDGED = ("可能性", "調査中")
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueItem:
    incident: Incident
    reasons: dict[str, list[str]]  # reason -> the facts it concerns (may be empty)

    @property
    def score(self) -> int:
        return sum(WEIGHTS[r] * max(1, len(fields)) for r, fields in self.reasons.items())


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]
    total: int
    counts: dict[str, int]  # incidents per reason, among the filtered ones
    page: int
    pages: int
    query_error: str | None = None
    reason: str = ""
    scores: dict[int, int] = field(default_factory=dict)


def _uncertain(row) -> list[str]:  # noqa: ANN001 - a result row
    out = [name for name in COUNT_FIELDS if getattr(row, f"{name}_qualifier") in HEDGED]
    if row.status == "investigating":
        out.append("status")
    if row.attack_type == "other":
        out.append("attack_type")
    return out


CHUNK = 500  # ids per IN list: far below either engine's limit on bound parameters

SEVERAL_SOURCES = (select(IncidentSource.incident_id).group_by(IncidentSource.incident_id)
                   .having(func.count(func.distinct(IncidentSource.source_id)) > 1))
UNAPPLIED = select(Revision.incident_id).where(col(Revision.applied).is_(False), Revision.kind == "parser").distinct()


def _chunks(ids: set[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def _disagreeing(session: Session, several: set[int]) -> dict[int, list[str]]:
    """For these incidents (two sources or more): the facts their reports disagree on."""
    rows = [row for chunk in _chunks(several) for row in session.exec(
        select(IncidentSource, Source.uri).join(Source, col(Source.id) == IncidentSource.source_id)
        .where(col(IncidentSource.incident_id).in_(chunk)).order_by(col(IncidentSource.id))).all()]
    uris = sorted({uri for _, uri in rows})
    latest = {uri: top for i in range(0, len(uris), CHUNK) for uri, top in session.exec(
        select(Source.uri, func.max(Source.id)).where(col(Source.uri).in_(uris[i:i + CHUNK])).group_by(Source.uri))}
    links: dict[int, list[Link]] = defaultdict(list)
    for link, uri in rows:
        links[link.incident_id].append(Link.of(source_id=link.source_id, uri=uri, facts=link.facts or {},
                                               current=latest.get(uri) == link.source_id))
    out = {}
    for incident_id, of in links.items():
        fields = sorted(disagreements(history(of)))
        if fields:
            out[incident_id] = fields
    return out


def _waiting(session: Session, candidates: set[int]) -> dict[int, list[str]]:
    """For these incidents (with a parsed value not taken): the fields still waiting."""
    out = {}
    for incident in (i for chunk in _chunks(candidates)
                     for i in session.exec(select(Incident).where(col(Incident.id).in_(chunk)))):
        fields = sorted({v.revision.field for v in revisions.suggestions(session, incident) if v.revision.field})
        if fields:
            out[incident.id] = fields
    return out


def review_queue(session: Session, filters: Filters, *, reason: str = "", page: int = 1,
                 page_size: int = PAGE_SIZE) -> Queue:
    clause, error = text_clause(session, filters.q)
    # Only the incidents that have some reason are read: the rest need no person.
    some_reason = or_(col(Incident.disclosed_on).is_(None), Incident.status == "investigating",
                      Incident.attack_type == "other",
                      *(col(getattr(Incident, f"{n}_qualifier")).in_(HEDGED) for n in COUNT_FIELDS),
                      col(Incident.id).in_(SEVERAL_SOURCES), col(Incident.id).in_(UNAPPLIED))
    query = select(Incident.id, Incident.disclosed_on, Incident.discovered_on, Incident.status, Incident.attack_type,
                   *(getattr(Incident, f"{n}_qualifier") for n in COUNT_FIELDS)).where(
        *filters.where(text=clause), some_reason)
    if filters.review != "reviewed":
        query = query.where(Incident.review_status != "reviewed")
    rows = {row.id: row for row in session.exec(query)}
    ids = set(rows)
    several = set(session.exec(SEVERAL_SOURCES).all()) & ids
    unapplied = set(session.exec(UNAPPLIED).all()) & ids
    found: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for incident_id, fields in _disagreeing(session, several).items():
        found[incident_id]["disagreement"] = fields
    for incident_id, fields in _waiting(session, unapplied).items():
        found[incident_id]["suggestion"] = fields
    for incident_id, row in rows.items():
        if row.disclosed_on is None:
            found[incident_id]["no_disclosure"] = ["disclosed_on"]
        if hedged := _uncertain(row):
            found[incident_id]["uncertain"] = hedged
    counts = {r: sum(1 for reasons in found.values() if r in reasons) for r in REASONS}
    chosen = {i: reasons for i, reasons in found.items() if not reason or reason in reasons}

    def score(incident_id: int) -> int:
        return sum(WEIGHTS[r] * max(1, len(fs)) for r, fs in chosen[incident_id].items())

    def when(incident_id: int) -> int:
        row = rows[incident_id]
        day = row.disclosed_on or row.discovered_on
        return day.toordinal() if day else 0

    ranked = sorted(chosen, key=lambda i: (-score(i), -when(i), -i))
    pages = max(1, -(-len(ranked) // page_size))
    page = min(max(1, page), pages)
    shown = ranked[(page - 1) * page_size:page * page_size]
    incidents = {i.id: i for i in session.exec(select(Incident).where(col(Incident.id).in_(shown)))} if shown else {}
    items = [QueueItem(incidents[i], {r: chosen[i][r] for r in REASONS if r in chosen[i]}) for i in shown]
    return Queue(items=items, total=len(ranked), counts=counts, page=page, pages=pages, query_error=error,
                 reason=reason, scores={i: score(i) for i in shown})
