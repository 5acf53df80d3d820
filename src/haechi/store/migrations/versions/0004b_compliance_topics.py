"""compliance: obligation topic and nature

Revision ID: 0004b_compliance_topics
Revises: 0004_compliance
Create Date: 2026-11-26 15:19:17.231046
"""
from alembic import op
import sqlalchemy as sa


revision = '0004b_compliance_topics'
down_revision = '0004_compliance'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('system_obligations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topic', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('nature', sa.String(length=16), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('system_obligations', schema=None) as batch_op:
        batch_op.drop_column('nature')
        batch_op.drop_column('topic')

