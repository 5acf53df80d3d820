"""transparency kit: notices, label settings, decisions, labelled outputs, deliveries, receipts, review requests, posting

Revision ID: 0005_transparency
Revises: 0001_foundation
Create Date: 2026-11-26 15:11:01.820739
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0005_transparency'
down_revision = '0001_foundation'
branch_labels = ('transparency',)
depends_on = None


def upgrade() -> None:
    op.create_table('transparency_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('duty', sa.String(length=40), nullable=False),
    sa.Column('decision', sa.String(length=200), nullable=False),
    sa.Column('reasons', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('citation', sa.String(length=300), nullable=True),
    sa.Column('verdict_digest', sa.String(length=64), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=320), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('transparency_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transparency_decisions_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_transparency_decisions_sys', ['org_id', 'system', 'created_at'], unique=False)

    op.create_table('transparency_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('channel', sa.String(length=24), nullable=False),
    sa.Column('notice_version', sa.Integer(), nullable=True),
    sa.Column('session_hash', sa.String(length=64), nullable=True),
    sa.Column('route', sa.String(length=300), nullable=True),
    sa.Column('source', sa.String(length=24), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('transparency_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transparency_deliveries_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_transparency_deliveries_sys', ['org_id', 'system', 'delivered_at'], unique=False)

    op.create_table('transparency_label_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system', sa.String(length=64), nullable=False),
    sa.Column('settings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=320), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'system')
    )
    with op.batch_alter_table('transparency_label_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transparency_label_settings_org_id'), ['org_id'], unique=False)

    op.create_table('transparency_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('verdict_digest', sa.String(length=64), nullable=False),
    sa.Column('card_revision', sa.Integer(), nullable=False),
    sa.Column('effective', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'system', 'version')
    )
    with op.batch_alter_table('transparency_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transparency_notices_org_id'), ['org_id'], unique=False)

    op.create_table('transparency_outputs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('media_type', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('input_sha256', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=16), nullable=True),
    sa.Column('manifest_label', sa.String(length=200), nullable=True),
    sa.Column('signer', sa.String(length=300), nullable=True),
    sa.Column('marks', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('notice_version', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=320), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('transparency_outputs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transparency_outputs_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_transparency_outputs_sha', ['org_id', 'sha256'], unique=False)

    op.create_table('transparency_posting',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('settings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=320), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('org_id')
    )
    op.create_table('transparency_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('system', sa.String(length=64), nullable=False),
    sa.Column('decision_id', sa.String(length=200), nullable=False),
    sa.Column('content', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=320), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token')
    )
    with op.batch_alter_table('transparency_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transparency_receipts_org_id'), ['org_id'], unique=False)

    op.create_table('transparency_review_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('system', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=320), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('assignee', sa.String(length=320), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['receipt_id'], ['transparency_receipts.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('transparency_review_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transparency_review_requests_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transparency_review_requests_receipt_id'), ['receipt_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('transparency_review_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transparency_review_requests_receipt_id'))
        batch_op.drop_index(batch_op.f('ix_transparency_review_requests_org_id'))

    op.drop_table('transparency_review_requests')
    with op.batch_alter_table('transparency_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transparency_receipts_org_id'))

    op.drop_table('transparency_receipts')
    op.drop_table('transparency_posting')
    with op.batch_alter_table('transparency_outputs', schema=None) as batch_op:
        batch_op.drop_index('ix_transparency_outputs_sha')
        batch_op.drop_index(batch_op.f('ix_transparency_outputs_org_id'))

    op.drop_table('transparency_outputs')
    with op.batch_alter_table('transparency_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transparency_notices_org_id'))

    op.drop_table('transparency_notices')
    with op.batch_alter_table('transparency_label_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transparency_label_settings_org_id'))

    op.drop_table('transparency_label_settings')
    with op.batch_alter_table('transparency_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_transparency_deliveries_sys')
        batch_op.drop_index(batch_op.f('ix_transparency_deliveries_org_id'))

    op.drop_table('transparency_deliveries')
    with op.batch_alter_table('transparency_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_transparency_decisions_sys')
        batch_op.drop_index(batch_op.f('ix_transparency_decisions_org_id'))

    op.drop_table('transparency_decisions')
