"""An incident's record: every change to its facts is a revision, and a person's word pins.

The parser's changes are revisions of kind ``parser`` (made by the source that won the fact);
a person's are of kind ``correction``. A corrected field is pinned: ``store.recompute`` never
overwrites it again, and a parsed value that differs from the parser's last one is kept as a
revision with ``applied`` false — a suggestion the incident page offers to keep or take.
Services take a session and keyword arguments and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlmodel import Session, col, select

from app import search, taxonomy
from app.models import (
    COUNT_FIELDS,
    DATE_FIELDS,
    REVIEW_STATUSES,
    Incident,
    Revision,
    Source,
    utcnow,
)

QUALIFIERS = tuple(f"{c}_qualifier" for c in COUNT_FIELDS)
# Facts a person may correct (PATCH /api/incidents/{slug}, `rouei edit`).
CORRECTABLE = (
    "organization", "organization_core", "service", "attack_type", "supply_chain", "vendor",
    *DATE_FIELDS, *COUNT_FIELDS, *QUALIFIERS, "leaked_items", "status",
)
# Who corrected the bundled dataset (app/data/seed_corrections.json).
SEED_REVIEWER = "seed review"


def plain(value: Any) -> Any:
    """A fact's value as its revision keeps it (JSON: dates in ISO form)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def pin_group(name: str) -> str:
    """A count and its qualifier are pinned together: 最大 belongs to its number."""
    return name.removesuffix("_qualifier") if name in QUALIFIERS else name


def record(session: Session, *, incident: Incident, field: str | None, old: Any, new: Any, kind: str,
           applied: bool = True, source_id: int | None = None, actor: str | None = None,
           reason: str | None = None) -> Revision:
    rev = Revision(incident_id=incident.id, field=field, old_value=plain(old), new_value=plain(new),
                   kind=kind, applied=applied, source_id=source_id, actor=actor, reason=reason)
    session.add(rev)
    return rev


def correct(session: Session, *, incident: Incident, changes: dict[str, Any], actor: str, reason: str,
            kind: str = "correction") -> list[Revision]:
    """Set facts as a person says they are, and pin them; values are already validated.

    A field set to the value it has is still recorded: the person's word pins it. A count
    set without its qualifier is exact, so its qualifier is cleared with it.
    """
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise ValueError(f"not a correctable fact: {', '.join(unknown)}")
    changes = dict(changes)
    for count in COUNT_FIELDS:
        qualifier = f"{count}_qualifier"
        if count in changes and qualifier not in changes and getattr(incident, qualifier) is not None:
            changes[qualifier] = None
    made = []
    for name, value in changes.items():
        if name == "leaked_items":
            value = list(value or [])
        made.append(record(session, incident=incident, field=name, old=getattr(incident, name), new=value,
                           kind=kind, actor=actor, reason=reason))
        setattr(incident, name, value)
    incident.updated_at = utcnow()
    session.add(incident)
    session.flush()
    search.reindex_incidents(session, [incident.id])
    return made


def set_review(session: Session, *, incident: Incident, status: str, actor: str, reason: str) -> Revision:
    """A person's word on the incident as a whole: reviewed, disputed or unreviewed."""
    rev = record(session, incident=incident, field="review_status", old=incident.review_status, new=status,
                 kind="review", actor=actor, reason=reason)
    incident.review_status = status
    incident.updated_at = utcnow()
    session.add(incident)
    session.flush()
    search.reindex_incidents(session, [incident.id])  # a new stamp: the ?review= counts follow
    return rev


def _of(session: Session, incident_id: int, *kinds: str) -> list[Revision]:
    return list(session.exec(select(Revision).where(Revision.incident_id == incident_id,
                                                    col(Revision.kind).in_(kinds))
                             .order_by(col(Revision.id))))


def pinned(session: Session, incident_id: int) -> set[str]:
    """Fields a person corrected, with the qualifiers of corrected counts (and the reverse)."""
    groups = {pin_group(r.field) for r in _of(session, incident_id, "correction") if r.field and r.applied}
    return {name for name in CORRECTABLE if pin_group(name) in groups}


def parser_values(session: Session, incident_id: int) -> dict[str, Any]:
    """Each pinned field's last parsed value (as a revision keeps it): the parser's latest
    revision of it, else what the field held before its first correction."""
    out: dict[str, Any] = {}
    for rev in _of(session, incident_id, "parser", "correction"):
        if rev.field is None:
            continue
        if rev.kind == "parser":
            out[rev.field] = rev.new_value
        else:
            out.setdefault(rev.field, rev.old_value)
    return out


@dataclass(frozen=True)
class RevisionView:
    """A revision as history shows it, with the document that made it."""

    revision: Revision
    source_uri: str | None


def _views(session: Session, revisions: Iterable[Revision]) -> list[RevisionView]:
    revisions = list(revisions)
    ids = {r.source_id for r in revisions if r.source_id}
    uris = dict(session.exec(select(Source.id, Source.uri).where(col(Source.id).in_(ids))).all()) if ids else {}
    return [RevisionView(r, uris.get(r.source_id)) for r in revisions]


def history(session: Session, incident: Incident) -> list[RevisionView]:
    """Every revision of the incident, newest first."""
    return _views(session, session.exec(select(Revision).where(Revision.incident_id == incident.id)
                                        .order_by(col(Revision.id).desc())))


def suggestions(session: Session, incident: Incident) -> list[RevisionView]:
    """Parsed values a pinned field did not take, newer than its last correction and still
    different from the value that stands; the newest of each field, newest first."""
    last_fix: dict[str, int] = {}
    latest: dict[str, Revision] = {}
    for rev in _of(session, incident.id, "parser", "correction"):
        if rev.field is None:
            continue
        if rev.kind == "correction":
            last_fix[rev.field] = rev.id
        else:
            latest[rev.field] = rev
    waiting = [rev for name, rev in latest.items()
               if not rev.applied and rev.id > last_fix.get(name, 0)
               and rev.new_value != plain(getattr(incident, name, None))]
    return _views(session, sorted(waiting, key=lambda r: r.id, reverse=True))


def facts_state(session: Session, incident: Incident) -> dict[str, RevisionView]:
    """Each corrected fact's standing correction (who, why, when); a fact absent is the parser's."""
    fixes = [r for r in _of(session, incident.id, "correction") if r.field and r.applied]
    latest = {r.field: r for r in fixes}
    return dict(zip(latest, _views(session, latest.values()), strict=True))


# ---- what a person may send ----


def _no_nul(value: str | None) -> str | None:
    """A NUL cannot be stored (PostgreSQL refuses it in text): refused, named, nothing changed."""
    if value is not None and "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


Clean = AfterValidator(_no_nul)
# What the schema says of the same rule, so that a client (and schemathesis) knows it.
NO_NUL = Field(json_schema_extra={"pattern": "^[^\\u0000]*$"})
Name = Annotated[str | None, Field(max_length=300), Clean, NO_NUL]
Count = Annotated[int | None, Field(ge=0, le=10**15)]
Qualifier = Literal["最大", "約", "以上", "可能性", "調査中"] | None
Reason = Annotated[str, Field(min_length=1, max_length=2000, description="Why: shown in the history"), Clean, NO_NUL]
Actor = Annotated[str, Field(min_length=1, max_length=200, description="Who: shown in the history"), Clean, NO_NUL]
DEFAULT_ACTOR = "admin"


class FactsPatch(BaseModel):
    """Facts to correct, each optional (null clears a fact), and the reason, required.

    A field sent is corrected and pinned; a field not sent is left alone. Unknown fields are
    refused, so a typo cannot be taken for a correction.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"discovered_on": "2022-11-20", "reason": "第2報 dates the discovery to 20 November"},
        {"records_max": 9416, "records_max_qualifier": None, "reason": "the final report's count"},
    ], "anyOf": [{"required": [name]} for name in CORRECTABLE]})  # at least one fact

    reason: Reason
    actor: Actor = DEFAULT_ACTOR
    organization: Name = None
    organization_core: Name = None
    service: Name = None
    # Set, never cleared: a null is refused (the schema says so by giving no null type).
    attack_type: str = Field(default=None, description="A key of the taxonomy (web_skimming, ransomware, …)",
                             json_schema_extra={"enum": list(taxonomy.BY_KEY)})
    supply_chain: bool = None  # type: ignore[assignment]
    vendor: Name = None
    discovered_on: date | None = None
    disclosed_on: date | None = None
    exposure_from: date | None = None
    exposure_to: date | None = None
    containment_on: date | None = None
    reported_to_ppc_on: date | None = None
    reported_to_police_on: date | None = None
    records_max: Count = None
    records_max_qualifier: Qualifier = None
    card_records: Count = None
    card_records_qualifier: Qualifier = None
    personal_records: Count = None
    personal_records_qualifier: Qualifier = None
    leaked_items: list[Annotated[str, Field(max_length=200), Clean, NO_NUL]] | None = Field(default=None, max_length=100)
    status: Annotated[str | None, Field(max_length=20), Clean, NO_NUL] = None

    @field_validator("attack_type")
    @classmethod
    def _known_type(cls, value: str | None) -> str | None:
        if value is not None and value not in taxonomy.BY_KEY:
            raise ValueError(f"unknown attack type; one of: {', '.join(taxonomy.BY_KEY)}")
        return value

    @model_validator(mode="after")
    def _some_fact(self) -> FactsPatch:
        given = self.changes()
        if not given:
            raise ValueError(f"name at least one fact to correct: {', '.join(CORRECTABLE)}")
        for name in ("attack_type", "supply_chain"):
            if name in given and given[name] is None:
                raise ValueError(f"{name} cannot be cleared, only set")
        return self

    def changes(self) -> dict[str, Any]:
        """The facts sent (null included), without reason and actor."""
        return {name: getattr(self, name) for name in CORRECTABLE if name in self.model_fields_set}


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"status": "reviewed", "reason": "checked against the organisation's notice"}]})

    status: Literal[REVIEW_STATUSES]  # type: ignore[valid-type]
    reason: Reason
    actor: Actor = DEFAULT_ACTOR


Slug = Annotated[str, Field(min_length=1, max_length=160, description="An incident's permalink key"), Clean, NO_NUL]


class MergeIn(BaseModel):
    """Fold this incident into another: its sources and events move there, its permalink
    redirects to the other's, and both histories get a merge revision."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"into": "2024-01-22-tsubaki-shoji", "reason": "第2報 is the same breach", "actor": "hanako"}]})

    into: Slug
    reason: Reason
    actor: Actor = DEFAULT_ACTOR


class SplitIn(BaseModel):
    """Take one source out of this incident: it becomes an incident of its own (the one it
    came from, if it came in through a merge), with its own permalink."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"source": 12, "reason": "this notice is about another breach", "actor": "hanako"}]})

    source: Annotated[int, Field(ge=1, le=2**31 - 1, description="The source's id (`sources[].id` of the incident)")]
    reason: Reason
    actor: Actor = DEFAULT_ACTOR
