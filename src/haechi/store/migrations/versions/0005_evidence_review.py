"""evidence review: decision, reviewer, note; organisation review policy

Revision ID: 0005_evidence_review
Revises: 0004_law_changes
Create Date: 2026-12-06 16:02:56.318816
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_evidence_review'
down_revision = '0004_law_changes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('compliance_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_policy', sa.String(length=16), nullable=True))

    with op.batch_alter_table('evidence_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_status', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('review_mode', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('review_note', sa.Text(), nullable=True))

    # Evidence stored before reviews existed keeps counting: it is accepted, and the record
    # says so (mode "predates_review", no reviewer), so nobody mistakes it for a review.
    op.execute("UPDATE evidence_items SET review_status = 'accepted', review_mode = 'predates_review', "
               "review_note = 'stored before evidence review existed; accepted as it was'")
    with op.batch_alter_table('evidence_items', schema=None) as batch_op:
        batch_op.alter_column('review_status', existing_type=sa.String(length=16), nullable=False)



def downgrade() -> None:
    with op.batch_alter_table('evidence_items', schema=None) as batch_op:
        batch_op.drop_column('review_note')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by')
        batch_op.drop_column('review_mode')
        batch_op.drop_column('review_status')

    with op.batch_alter_table('compliance_settings', schema=None) as batch_op:
        batch_op.drop_column('review_policy')

