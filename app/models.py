"""The store: SQLModel tables and the public models the API returns.

One family per entity (full-stack-fastapi-template): ``IncidentBase`` holds the facts,
``Incident`` is the table row, ``IncidentPublic`` what leaves the server. Counts keep their
qualifier (最大 / 約 / 以上 / 可能性 / 調査中) beside the number; an unknown count is NULL,
never zero.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text, UniqueConstraint, event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel

from app import ppc


def utcnow() -> datetime:
    return datetime.now(UTC)


# Fact fields shared by an extracted incident, the table row and the public model.
DATE_FIELDS = (
    "discovered_on", "disclosed_on", "exposure_from", "exposure_to", "containment_on",
    "reported_to_ppc_on", "reported_to_police_on",
)
COUNT_FIELDS = ("records_max", "card_records", "personal_records")

# What made a revision (app.revisions), and what a person may say of an incident as a whole.
REVISION_KINDS = ("parser", "correction", "merge", "split", "import", "review")
REVIEW_STATUSES = ("unreviewed", "reviewed", "disputed")


class OrganizationBase(SQLModel):
    name: str = Field(max_length=300, description="Canonical name, legal form kept (株式会社ワコム)")
    core_name: str = Field(max_length=300, index=True, description="Name without legal form (ワコム)")
    slug: str = Field(max_length=120, unique=True, index=True)


class Organization(OrganizationBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # Width-, spacing- and legal-form-insensitive key used to match reports of one organisation.
    match_key: str = Field(max_length=300, unique=True, index=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class IncidentBase(SQLModel):
    organization: str | None = Field(default=None, max_length=300)
    organization_core: str | None = Field(default=None, max_length=300, index=True)
    service: str | None = Field(default=None, max_length=300)
    attack_type: str = Field(default="other", max_length=40, index=True)
    supply_chain: bool = Field(default=False)
    vendor: str | None = Field(default=None, max_length=300, index=True)
    discovered_on: date | None = Field(default=None, index=True)
    disclosed_on: date | None = Field(default=None, index=True)
    exposure_from: date | None = None
    exposure_to: date | None = None
    containment_on: date | None = None
    reported_to_ppc_on: date | None = None
    reported_to_police_on: date | None = None
    records_max: int | None = Field(default=None, index=True, sa_type=BigInteger)
    records_max_qualifier: str | None = Field(default=None, max_length=10)
    card_records: int | None = Field(default=None, sa_type=BigInteger)
    card_records_qualifier: str | None = Field(default=None, max_length=10)
    personal_records: int | None = Field(default=None, sa_type=BigInteger)
    personal_records_qualifier: str | None = Field(default=None, max_length=10)
    status: str | None = Field(default=None, max_length=20)
    title: str | None = Field(default=None, max_length=500)
    review_status: str = Field(default="unreviewed", max_length=20,
                               description="unreviewed, reviewed or disputed (a person's word)")


class Incident(IncidentBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=160, unique=True, index=True, description="Permanent permalink key")
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    leaked_items: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Reports to the PPC after the first (ISO dates, oldest first): the last is taken as the 確報.
    reported_to_ppc_later: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The contact desk for those affected (name, phone, hours, url; each null when not given).
    contact: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The PPC obligation's verdict (app.ppc): derived from the facts on every flush, the facet's column.
    ppc_verdict: str = Field(default="unknown", max_length=20, index=True)
    # Set when this incident was merged into another: its permalink then redirects there.
    merged_into_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SourceBase(SQLModel):
    uri: str = Field(max_length=2000, index=True, description="URL or path the document came from")
    title: str | None = Field(default=None, max_length=500)
    published_on: date | None = None
    encoding: str | None = Field(default=None, max_length=40)
    format: str | None = Field(default=None, max_length=20)


class Source(SourceBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # The registered source (HarvestSource) whose harvest brought this document, if any.
    origin_id: int | None = Field(default=None, foreign_key="harvest_source.id", index=True)
    content_hash: str = Field(max_length=64, unique=True, index=True, description="sha256 of the raw bytes")
    fetched_at: datetime = Field(default_factory=utcnow)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    etag: str | None = Field(default=None, max_length=300)
    last_modified: str | None = Field(default=None, max_length=100)


SOURCE_KINDS = ("feed", "listing", "page")


class HarvestSource(SQLModel, table=True):
    """A registered source Rouei harvests on a schedule (app.ingest.harvest): an RSS/Atom feed,
    a listing page of notice links (followed by ``link_pattern``) or a single page, with the
    state of its last fetch (conditional-GET validators, health, backoff)."""

    __tablename__ = "harvest_source"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000, unique=True, index=True)
    kind: str = Field(default="page", max_length=10, description="feed, listing or page")
    name: str | None = Field(default=None, max_length=300)
    interval_seconds: int = Field(default=6 * 3600)
    link_pattern: str | None = Field(default=None, max_length=500,
                                     description="Regular expression a listing's links must match")
    etag: str | None = Field(default=None, max_length=300)
    last_modified: str | None = Field(default=None, max_length=100)
    last_fetched_at: datetime | None = None
    last_status: str | None = Field(default=None, max_length=20, description="ok, unchanged or failed")
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_new_at: datetime | None = Field(default=None, description="When it last gave a new document")
    failures: int = Field(default=0, description="Consecutive failed fetches")
    next_due_at: datetime | None = Field(default=None, description="None: due now")
    enabled: bool = Field(default=True)
    added_at: datetime = Field(default_factory=utcnow)


class Webhook(SQLModel, table=True):
    """A URL told of each new incident that matches a filter (app.webhooks): a POST of a small
    JSON signed with HMAC-SHA256 of ``secret``. ``since_id``: incidents above it are new to it."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    filter: str = Field(default="", max_length=2000, description="A list's query string (type=ransomware&year=2024)")
    secret: str = Field(max_length=200)
    enabled: bool = Field(default=True)
    since_id: int = Field(default=0)
    failures: int = Field(default=0, description="Consecutive failed deliveries")
    last_delivered_at: datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    added_at: datetime = Field(default_factory=utcnow)


class WebhookDelivery(SQLModel, table=True):
    """One incident to tell one webhook: retried with backoff until delivered or given up."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (UniqueConstraint("webhook_id", "incident_id"),)

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = Field(foreign_key="webhook.id", index=True)
    incident_id: int = Field(foreign_key="incident.id")
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow)
    delivered_at: datetime | None = None
    status: str = Field(default="pending", max_length=20, description="pending, delivered or failed (given up)")
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)


class IncidentSource(SQLModel, table=True):
    """Which document supports which incident, and where in it each fact stands."""

    __table_args__ = (UniqueConstraint("incident_id", "source_id", "segment_start"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    segment_start: int = 0
    segment_end: int = 0
    # field -> [start, end] character offsets into Source.text
    evidence: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The facts as this source gave them, so disagreements and revisions can be shown.
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class IncidentEvent(SQLModel, table=True):
    """One step of an incident's timeline as a source tells it."""

    __table_args__ = (Index("ix_incidentevent_incident_date", "incident_id", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id")
    source_id: int | None = Field(default=None, foreign_key="source.id")
    type: str = Field(max_length=40)
    date: dt.date | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None


class Revision(SQLModel, table=True):
    """One change to an incident's facts: what, from what to what, made by which source or
    person, why and when. The revisions are the incident's record (app.revisions).

    A correction pins its field: later parses never overwrite it, and a parsed value that
    differs is kept here with ``applied`` false, as a suggestion for a person.
    """

    __table_args__ = (Index("ix_revision_incident_field", "incident_id", "field"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id")
    field: str | None = Field(default=None, max_length=40, description="None for merge, split")
    old_value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    new_value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    kind: str = Field(max_length=20)
    applied: bool = Field(default=True)
    source_id: int | None = Field(default=None, foreign_key="source.id", index=True)
    actor: str | None = Field(default=None, max_length=200)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)


# ---- public models (what the API returns) ----


class EventPublic(SQLModel):
    type: str
    date: dt.date | None
    evidence: list[int] | None = None


class SourcePublic(SourceBase):
    id: int
    fetched_at: datetime
    content_hash: str


class ContactPublic(SQLModel):
    name: str | None = None
    phone: str | None = None
    hours: str | None = None
    url: str | None = None


class IncidentPublic(IncidentBase):
    slug: str
    leaked_items: list[str] = []
    reported_to_ppc_later: list[date] = Field(
        default=[], description="Reports to the PPC after the first, oldest first: the last is taken as the 確報")
    contact: ContactPublic | None = Field(default=None, description="The contact desk for those affected, when given")
    ppc_verdict: str = Field(default="unknown", description="The PPC obligation: not_required, on_time, late or unknown")
    created_at: datetime
    updated_at: datetime


@event.listens_for(OrmSession, "before_flush")
def _derive_ppc_verdict(session: OrmSession, _context: Any, _instances: Any) -> None:
    """Every incident written is judged again (app.ppc), so the stored verdict never lags its
    facts: a parse, a correction, a merge, an import."""
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Incident):
            value = ppc.verdict(obj)
            if obj.ppc_verdict != value:
                obj.ppc_verdict = value
