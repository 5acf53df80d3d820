"""compliance: ledger checkpoints are numbered per organisation

Revision ID: 0004l_ledger_checkpoint_numbers
Revises: 0004b_compliance_topics
Create Date: 2026-12-06 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004l_ledger_checkpoint_numbers'
down_revision = '0004b_compliance_topics'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing checkpoints stay unnumbered: they predate the checkpoint log, so no
    # number could be checked against it.
    with op.batch_alter_table('ledger_checkpoints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ledger_checkpoints', schema=None) as batch_op:
        batch_op.drop_column('number')
