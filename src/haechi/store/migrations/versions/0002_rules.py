"""rules: stored law-pack verdicts per system revision and pack version

Revision ID: 0002_rules
Revises: 0001_foundation
Create Date: 2026-11-26 16:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0002_rules'
down_revision = '0001_foundation'
branch_labels = ('rules',)
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('rules_verdicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('pack', sa.String(length=64), nullable=False),
    sa.Column('pack_version', sa.Integer(), nullable=False),
    sa.Column('pack_sha256', sa.String(length=64), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('cause', sa.String(length=32), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('result', JSON, nullable=False),
    sa.Column('changes', JSON, nullable=False),
    sa.Column('actor', sa.String(length=320), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rules_verdicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rules_verdicts_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rules_verdicts_system_id'), ['system_id'], unique=False)
        batch_op.create_index('ix_rules_verdicts_system_pack', ['system_id', 'pack', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rules_verdicts', schema=None) as batch_op:
        batch_op.drop_index('ix_rules_verdicts_system_pack')
        batch_op.drop_index(batch_op.f('ix_rules_verdicts_system_id'))
        batch_op.drop_index(batch_op.f('ix_rules_verdicts_org_id'))
    op.drop_table('rules_verdicts')
