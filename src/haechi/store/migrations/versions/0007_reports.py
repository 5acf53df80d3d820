"""reports: generated documents, passport settings and signed passport publications

Revision ID: 0007_reports
Revises: 0001_foundation
Create Date: 2026-11-26 15:40:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0007_reports'
down_revision = '0001_foundation'
branch_labels = ('reports',)
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('report_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('variant', sa.String(length=32), nullable=False),
    sa.Column('lang', sa.String(length=4), nullable=True),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('checkpoint_seq', sa.Integer(), nullable=True),
    sa.Column('checkpoint_hash', sa.String(length=64), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('report_documents', schema=None) as batch_op:
        batch_op.create_index('ix_report_documents_org_created', ['org_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_documents_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_documents_system_id'), ['system_id'], unique=False)

    op.create_table('passport_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('fields', JSON, nullable=False),
    sa.Column('valid_days', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'system_id')
    )
    with op.batch_alter_table('passport_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passport_settings_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_passport_settings_system_id'), ['system_id'], unique=False)

    op.create_table('passport_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('document', JSON, nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'system_id', 'version')
    )
    with op.batch_alter_table('passport_publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passport_publications_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_passport_publications_system_id'), ['system_id'], unique=False)


def downgrade() -> None:
    op.drop_table('passport_publications')
    op.drop_table('passport_settings')
    op.drop_table('report_documents')
