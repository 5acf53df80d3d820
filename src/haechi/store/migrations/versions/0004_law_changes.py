"""law-change records: what a pack update or a date meant for each system

Revision ID: 0004_law_changes
Revises: 0003_monitor_problems
Create Date: 2026-12-06 14:52:48.654161
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0004_law_changes'
down_revision = '0003_monitor_problems'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rules_law_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('verdict_id', sa.Integer(), nullable=False),
    sa.Column('pack', sa.String(length=64), nullable=False),
    sa.Column('old_version', sa.Integer(), nullable=True),
    sa.Column('new_version', sa.Integer(), nullable=False),
    sa.Column('old_sha256', sa.String(length=64), nullable=True),
    sa.Column('new_sha256', sa.String(length=64), nullable=False),
    sa.Column('old_as_of', sa.Date(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('effective', sa.Date(), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('cause', sa.String(length=32), nullable=False),
    sa.Column('changes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('controls', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('deliveries', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('actor', sa.String(length=320), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], ),
    sa.ForeignKeyConstraint(['verdict_id'], ['rules_verdicts.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rules_law_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rules_law_changes_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_rules_law_changes_org_id_id', ['org_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rules_law_changes_system_id'), ['system_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('rules_law_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rules_law_changes_system_id'))
        batch_op.drop_index('ix_rules_law_changes_org_id_id')
        batch_op.drop_index(batch_op.f('ix_rules_law_changes_org_id'))

    op.drop_table('rules_law_changes')
