"""controls: a request to mark operating awaiting a second person's approval

Revision ID: 0006_control_approval
Revises: 0005_evidence_review
Create Date: 2026-12-06 16:22:43.485083
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_control_approval'
down_revision = '0005_evidence_review'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('controls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_status', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('requested_by', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('request_reason', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('controls', schema=None) as batch_op:
        batch_op.drop_column('request_reason')
        batch_op.drop_column('requested_at')
        batch_op.drop_column('requested_by')
        batch_op.drop_column('requested_status')

