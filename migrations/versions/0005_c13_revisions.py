"""revisions and review status (#13, corrections with a history)

Every change to an incident's facts becomes a ``revision`` row (parser, correction, merge,
split, import, review); a correction pins its field. ``incident.review_status`` holds a
person's word on the incident as a whole: unreviewed, reviewed or disputed.

Revision ID: 0005_c13_revisions
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0005_c13_revisions"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("old_value", sa.JSON(), nullable=True),
        sa.Column("new_value", sa.JSON(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.create_index("ix_revision_incident_field", ["incident_id", "field"], unique=False)
        batch_op.create_index(batch_op.f("ix_revision_source_id"), ["source_id"], unique=False)
    # A plain ALTER TABLE on both engines: a batch copy of incident on SQLite would lose the
    # expression indexes of migration 0003.
    op.add_column("incident", sa.Column("review_status", sqlmodel.sql.sqltypes.AutoString(length=20),
                                        nullable=False, server_default="unreviewed"))


def downgrade() -> None:
    op.drop_column("incident", "review_status")  # SQLite 3.35+ drops a column in place
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_source_id"))
        batch_op.drop_index("ix_revision_incident_field")
    op.drop_table("revision")
