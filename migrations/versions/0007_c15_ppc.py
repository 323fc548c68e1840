"""the PPC obligation and the contact desk (#15)

``incident.reported_to_ppc_later``: the reports to 個人情報保護委員会 after the first (ISO
dates; the last is taken as the 確報). ``incident.contact``: the desk for those affected
(name, phone, hours, url). ``incident.ppc_verdict``: the obligation's verdict (app.ppc:
not_required, on_time, late, unknown), the facet's column, kept by every flush of an incident.
An existing store is re-derived here: the later reports from the timeline's events, then every
verdict; the contact desk comes with the next parse of a source (``rouei ingest`` again).

Revision ID: 0007_c15_ppc
Revises: 0006_c14_sources
"""
from datetime import date
from types import SimpleNamespace

from alembic import op
import sqlalchemy as sa
import sqlmodel

from app import ppc


revision = "0007_c15_ppc"
down_revision = "0006_c14_sources"
branch_labels = None
depends_on = None

_BATCH = 2000
FACETS_INDEX = {
    "sqlite": "CREATE INDEX ix_incident_facets ON incident (attack_type, "
              "CAST(STRFTIME('%Y', disclosed_on) AS INTEGER), vendor, (card_records IS NULL){ppc}, merged_into_id)",
    "postgresql": "CREATE INDEX ix_incident_facets ON incident (attack_type, "
                  "(EXTRACT(year FROM disclosed_on)), vendor, (card_records IS NULL){ppc}, merged_into_id)",
}


def upgrade() -> None:
    # Plain ALTER TABLEs on both engines (a batch copy of incident on SQLite would lose the
    # expression indexes of migration 0003).
    op.add_column("incident", sa.Column("reported_to_ppc_later", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("incident", sa.Column("contact", sa.JSON(), nullable=True))
    op.add_column("incident", sa.Column("ppc_verdict", sqlmodel.sql.sqltypes.AutoString(length=20),
                                        nullable=False, server_default="unknown"))
    op.create_index(op.f("ix_incident_ppc_verdict"), "incident", ["ppc_verdict"], unique=False)
    # The covering index of the facet cells (0003) takes the new facet, in FACETS order.
    op.execute("DROP INDEX IF EXISTS ix_incident_facets")
    op.execute(FACETS_INDEX[op.get_bind().dialect.name].format(ppc=", ppc_verdict"))
    _rederive(op.get_bind())


def _rederive(bind: sa.engine.Connection) -> None:
    # Lightweight tables (no reflection: the expression indexes of 0003 would only warn).
    incident = sa.table(
        "incident", sa.column("id", sa.Integer), sa.column("attack_type", sa.String),
        sa.column("leaked_items", sa.JSON), sa.column("records_max", sa.BigInteger),
        sa.column("records_max_qualifier", sa.String), sa.column("card_records", sa.BigInteger),
        sa.column("discovered_on", sa.Date), sa.column("disclosed_on", sa.Date),
        sa.column("reported_to_ppc_on", sa.Date), sa.column("reported_to_ppc_later", sa.JSON),
        sa.column("ppc_verdict", sa.String))
    event = sa.table("incidentevent", sa.column("incident_id", sa.Integer), sa.column("type", sa.String),
                     sa.column("date", sa.Date))
    told: dict[int, set[date]] = {}
    for inc_id, day in bind.execute(sa.select(event.c.incident_id, event.c.date).where(
            event.c.type == "reported_to_ppc", event.c.date.is_not(None))):
        told.setdefault(inc_id, set()).add(day if isinstance(day, date) else date.fromisoformat(str(day)))
    cols = [incident.c[k] for k in ("id", "attack_type", "leaked_items", "records_max", "records_max_qualifier",
                                    "card_records", "discovered_on", "disclosed_on", "reported_to_ppc_on")]
    last = 0
    while True:
        rows = bind.execute(sa.select(*cols).where(incident.c.id > last).order_by(incident.c.id).limit(_BATCH)).all()
        if not rows:
            break
        for row in rows:
            facts = SimpleNamespace(**row._asdict())
            days = told.get(row.id, set())
            first = row.reported_to_ppc_on or min(days, default=None)
            later = [d.isoformat() for d in sorted(days) if first is not None and d > first]
            facts.reported_to_ppc_later = later
            verdict = ppc.verdict(facts)
            if later or verdict != "unknown":
                bind.execute(incident.update().where(incident.c.id == row.id)
                             .values(reported_to_ppc_later=later, ppc_verdict=verdict))
        last = rows[-1].id


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_incident_facets")
    op.execute(FACETS_INDEX[op.get_bind().dialect.name].format(ppc=""))
    op.drop_index(op.f("ix_incident_ppc_verdict"), table_name="incident")
    op.drop_column("incident", "ppc_verdict")  # SQLite 3.35+ drops a column in place
    op.drop_column("incident", "contact")
    op.drop_column("incident", "reported_to_ppc_later")
