"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 09:08:00.386915
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organization',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('core_name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('match_key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_core_name'), ['core_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_match_key'), ['match_key'], unique=True)
        batch_op.create_index(batch_op.f('ix_organization_slug'), ['slug'], unique=True)

    op.create_table('source',
    sa.Column('uri', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('encoding', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('format', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('fetched_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('etag', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('last_modified', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_content_hash'), ['content_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_source_uri'), ['uri'], unique=False)

    op.create_table('incident',
    sa.Column('organization', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('organization_core', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('service', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('attack_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('supply_chain', sa.Boolean(), nullable=False),
    sa.Column('vendor', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('discovered_on', sa.Date(), nullable=True),
    sa.Column('disclosed_on', sa.Date(), nullable=True),
    sa.Column('exposure_from', sa.Date(), nullable=True),
    sa.Column('exposure_to', sa.Date(), nullable=True),
    sa.Column('containment_on', sa.Date(), nullable=True),
    sa.Column('reported_to_ppc_on', sa.Date(), nullable=True),
    sa.Column('reported_to_police_on', sa.Date(), nullable=True),
    sa.Column('records_max', sa.BigInteger(), nullable=True),
    sa.Column('records_max_qualifier', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('card_records', sa.BigInteger(), nullable=True),
    sa.Column('card_records_qualifier', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('personal_records', sa.BigInteger(), nullable=True),
    sa.Column('personal_records_qualifier', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('leaked_items', sa.JSON(), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['incident.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_attack_type'), ['attack_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_disclosed_on'), ['disclosed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_discovered_on'), ['discovered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_organization_core'), ['organization_core'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_records_max'), ['records_max'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_slug'), ['slug'], unique=True)
        batch_op.create_index(batch_op.f('ix_incident_vendor'), ['vendor'], unique=False)

    op.create_table('incidentevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('evidence_start', sa.Integer(), nullable=True),
    sa.Column('evidence_end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('incidentevent', schema=None) as batch_op:
        batch_op.create_index('ix_incidentevent_incident_date', ['incident_id', 'date'], unique=False)

    op.create_table('incidentsource',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('segment_start', sa.Integer(), nullable=False),
    sa.Column('segment_end', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('incident_id', 'source_id', 'segment_start')
    )
    with op.batch_alter_table('incidentsource', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidentsource_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidentsource_source_id'), ['source_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('incidentsource', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidentsource_source_id'))
        batch_op.drop_index(batch_op.f('ix_incidentsource_incident_id'))

    op.drop_table('incidentsource')
    with op.batch_alter_table('incidentevent', schema=None) as batch_op:
        batch_op.drop_index('ix_incidentevent_incident_date')

    op.drop_table('incidentevent')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_vendor'))
        batch_op.drop_index(batch_op.f('ix_incident_slug'))
        batch_op.drop_index(batch_op.f('ix_incident_records_max'))
        batch_op.drop_index(batch_op.f('ix_incident_organization_id'))
        batch_op.drop_index(batch_op.f('ix_incident_organization_core'))
        batch_op.drop_index(batch_op.f('ix_incident_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_incident_discovered_on'))
        batch_op.drop_index(batch_op.f('ix_incident_disclosed_on'))
        batch_op.drop_index(batch_op.f('ix_incident_attack_type'))

    op.drop_table('incident')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_uri'))
        batch_op.drop_index(batch_op.f('ix_source_content_hash'))

    op.drop_table('source')
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_slug'))
        batch_op.drop_index(batch_op.f('ix_organization_match_key'))
        batch_op.drop_index(batch_op.f('ix_organization_core_name'))

    op.drop_table('organization')
