"""reminder webhooks: KakaoWork chat room and bot app key

Revision ID: 0009_kakaowork_webhooks
Revises: 0008_org_facts
Create Date: 2026-12-06 18:55:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0009_kakaowork_webhooks'
down_revision = '0008_org_facts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conversation_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('app_key', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.drop_column('app_key')
        batch_op.drop_column('conversation_id')
