"""registered sources harvested on a schedule (#14, stays current)

``harvest_source`` is the registry: a feed, a listing page or a page, its interval, the
conditional-GET validators of its last fetch, its health (last fetched, last status and
error, last new document, consecutive failures, next due) and whether it is enabled.
``source.origin_id`` names the registered source whose harvest brought a document.
``webhook`` and ``webhook_delivery``: URLs told of new incidents matching a filter, and the
queue of deliveries (retried with backoff). ``ix_incident_added`` serves the list's ``?sort=added`` (newest first seen) in order.

Revision ID: 0006_c14_sources
Revises: 0005_c13_revisions
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0006_c14_sources"
down_revision = "0005_c13_revisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "harvest_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("link_pattern", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("etag", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("last_modified", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("last_fetched_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_new_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("added_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("harvest_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_harvest_source_url"), ["url"], unique=True)
    # Plain ALTER TABLEs on both engines (a batch copy of source would be a whole-table rewrite).
    if op.get_bind().dialect.name == "sqlite":  # SQLite takes a column's REFERENCES, not ADD CONSTRAINT
        op.execute("ALTER TABLE source ADD COLUMN origin_id INTEGER REFERENCES harvest_source (id)")
    else:
        op.add_column("source", sa.Column("origin_id", sa.Integer(), sa.ForeignKey("harvest_source.id"),
                                          nullable=True))
    op.create_index(op.f("ix_source_origin_id"), "source", ["origin_id"], unique=False)
    op.create_table(
        "webhook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("filter", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("secret", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("since_id", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_delivered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("added_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("delivered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.ForeignKeyConstraint(["webhook_id"], ["webhook.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("webhook_id", "incident_id"),
    )
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_delivery_webhook_id"), ["webhook_id"], unique=False)
    op.create_index("ix_incident_added", "incident",
                    [sa.text("created_at DESC"), sa.text("id DESC"), "merged_into_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_incident_added", table_name="incident")
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_delivery_webhook_id"))
    op.drop_table("webhook_delivery")
    op.drop_table("webhook")
    op.drop_index(op.f("ix_source_origin_id"), table_name="source")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a column that references another table in place.
        with op.batch_alter_table("source", schema=None) as batch_op:
            batch_op.drop_column("origin_id")
    else:
        op.drop_column("source", "origin_id")
    with op.batch_alter_table("harvest_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_harvest_source_url"))
    op.drop_table("harvest_source")
