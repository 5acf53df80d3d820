"""security: throttling counters shared by every worker

Revision ID: 0008_security
Revises: 0001_foundation
Create Date: 2026-12-06 11:45:41.722601
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_security'
down_revision = '0001_foundation'
branch_labels = ('security',)
depends_on = None


def upgrade() -> None:
    op.create_table('throttle_counters',
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('throttle_counters')
