"""monitor_lake: retention policies of the prediction log lake

Revision ID: 0003l_monitor_lake
Revises: 0001_foundation
Create Date: 2026-11-26 15:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003l_monitor_lake"
down_revision = "0001_foundation"
branch_labels = ("monitor_lake",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lake_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=64), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_id", "system"),
    )
    with op.batch_alter_table("lake_policies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lake_policies_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lake_policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lake_policies_org_id"))
    op.drop_table("lake_policies")
