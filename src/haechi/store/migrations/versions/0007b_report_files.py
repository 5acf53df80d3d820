"""reports: the file name of a generated document (its content is kept by SHA-256)

Revision ID: 0007b_report_files
Revises: 0007_reports
Create Date: 2026-12-06 12:04:20.964528
"""
from alembic import op
import sqlalchemy as sa


revision = '0007b_report_files'
down_revision = '0007_reports'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('report_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filename', sa.String(length=255), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('report_documents', schema=None) as batch_op:
        batch_op.drop_column('filename')

