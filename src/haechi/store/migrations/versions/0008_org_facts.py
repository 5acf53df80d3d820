"""organisation operator facts, versioned

Revision ID: 0008_org_facts
Revises: 0007_reminders
Create Date: 2026-12-06 18:20:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0008_org_facts'
down_revision = '0007_reminders'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('org_facts_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('facts', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('changes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('actor', sa.String(length=320), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'revision')
    )
    with op.batch_alter_table('org_facts_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_facts_revisions_org_id'), ['org_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('org_facts_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_facts_revisions_org_id'))

    op.drop_table('org_facts_revisions')
