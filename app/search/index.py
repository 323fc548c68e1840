"""Writing the search index, and the stamp that caches of search results are keyed by.

The index follows the tables like this: deleting an incident removes its rows (an SQLite
trigger, a PostgreSQL foreign key ON DELETE CASCADE); creating, merging or editing one needs an
explicit ``reindex_incident`` (tokens come from fugashi, in Python, so no trigger can make
them). ``reindex_all`` rebuilds everything. What a row holds is app.search.document; how each
engine stores it is its Engine's ``write``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import select, text
from sqlmodel import Session, col

from app import taxonomy
from app.models import Incident, IncidentSource, Organization, Source
from app.search.document import IndexDocument, index_document
from app.search.engine import engine_of

# What migration 0002 creates beside the models: FTS5 tables (and their shadow tables) on
# SQLite, incident_search on PostgreSQL. Autogenerate must leave them alone.
SEARCH_INDEX_TABLES = ("incident_fts", "incident_trigram", "incident_search")
# Expression indexes on incident that migration 0003 creates for the search page (their
# expressions differ per engine, so the models do not declare them).
SEARCH_PAGE_INDEXES = ("ix_incident_facets", "ix_incident_newest", "ix_incident_records",
                       "ix_incident_delay", "ix_incident_added")


def alembic_include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    """Alembic ``include_object`` hook: skip the search index's tables and their indexes."""
    if not reflected or compare_to is not None:
        return True
    if type_ == "index" and name in SEARCH_PAGE_INDEXES:
        return False
    owner = getattr(getattr(obj, "table", None), "name", None) if type_ != "table" else name
    return not str(owner or "").startswith(SEARCH_INDEX_TABLES)


# ---- the search stamp: what caches of search results are keyed by ----


def bump_stamp(session: Session) -> None:
    """Mark the search index and facet counts as changed (inside the caller's transaction)."""
    session.connection().execute(text(engine_of(session).bump_sql))


def search_stamp(session: Session) -> int | None:
    """The current stamp; read it before computing what is cached under it."""
    return session.connection().execute(
        text("SELECT stamp FROM incident_search_state WHERE id = 1")).scalar_one_or_none()


# ---- what an incident's document is made of ----


def incident_texts(session: Session, ids: list[int]) -> dict[int, str]:
    """The searchable text of each incident: names, items and its sources' segments."""
    return {i: " ".join([*names, *texts]) for i, (names, texts) in incident_parts(session, ids).items()}


def incident_parts(session: Session, ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    """(names, texts) of each incident, as ``index_document`` takes them."""
    if not ids:
        return {}
    rows = session.execute(select(Incident, Organization)
                        .outerjoin(Organization, col(Organization.id) == Incident.organization_id)
                        .where(col(Incident.id).in_(ids))).all()
    parts: dict[int, tuple[list[str], list[str]]] = {}
    for incident, org in rows:
        names = [incident.organization, incident.organization_core, incident.service,
                 incident.vendor]
        if org is not None:
            names += [org.name, org.core_name, *(org.aliases or [])]
        # The attack type's labels are searchable too: 不正アクセス or ransomware finds an
        # incident of that type even when only its facts were kept (the bundled dataset).
        kind = [taxonomy.label(incident.attack_type, "ja"), taxonomy.label(incident.attack_type, "en")]
        parts[incident.id] = ([n for n in dict.fromkeys(names) if n],
                              [", ".join(incident.leaked_items or []), *kind])
    segments = session.execute(
        select(IncidentSource.incident_id, IncidentSource.segment_start, IncidentSource.segment_end,
               Source.text)
        .join(Source, col(Source.id) == IncidentSource.source_id)
        .where(col(IncidentSource.incident_id).in_(ids))
        .order_by(col(IncidentSource.incident_id), col(IncidentSource.id))).all()
    for incident_id, start, end, source_text in segments:
        end = end if end and end > start else len(source_text)
        parts[incident_id][1].append(source_text[start:end])
    return parts


# ---- writing ----


def _write(session: Session, docs: dict[int, IndexDocument], deleted: Iterable[int] = ()) -> None:
    gone = [{"id": i} for i in (*docs, *deleted)]
    if gone:
        bump_stamp(session)
    engine_of(session).write(session.connection(), docs, gone)


def reindex_incidents(session: Session, incident_ids: Iterable[int]) -> None:
    """Bring the index rows of these incidents up to date (gone ones are removed)."""
    ids = list(dict.fromkeys(incident_ids))
    parts = incident_parts(session, ids)
    docs = {i: index_document(names, texts) for i, (names, texts) in parts.items()}
    _write(session, docs, deleted=[i for i in ids if i not in parts])


def reindex_incident(session: Session, incident_id: int) -> None:
    """Call after an incident is created, edited, merged into or given a new source.

    Does not commit: the caller's transaction covers the incident and its index row.
    """
    reindex_incidents(session, [incident_id])


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def reindex_all(session: Session, *, batch: int = 500) -> int:
    """Rebuild the whole index from the tables; returns the number of incidents indexed."""
    engine = engine_of(session)
    bump_stamp(session)
    engine.clear(session.connection())
    ids = list(session.execute(select(Incident.id).order_by(col(Incident.id))).scalars())
    for chunk in _chunks(ids, batch):
        parts = incident_parts(session, chunk)
        _write(session, {i: index_document(n, t) for i, (n, t) in parts.items()})
    engine.optimize(session.connection())
    return len(ids)
