"""monitor: monitors, window results, runs, alerts

Revision ID: 0003_monitor
Revises: 0001_foundation
Create Date: 2026-11-26 15:21:04.611724
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0003_monitor'
down_revision = '0001_foundation'
branch_labels = ('monitor',)
depends_on = None


def upgrade() -> None:
    op.create_table('monitors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('spec', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('schedule', sa.String(length=16), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status', sa.String(length=16), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'system_id', 'name')
    )
    with op.batch_alter_table('monitors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitors_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitors_system_id'), ['system_id'], unique=False)

    op.create_table('monitor_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('monitor_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.String(length=40), nullable=False),
    sa.Column('window_end', sa.String(length=40), nullable=False),
    sa.Column('metric', sa.String(length=64), nullable=False),
    sa.Column('family', sa.String(length=32), nullable=False),
    sa.Column('scope', sa.String(length=200), nullable=False),
    sa.Column('grp', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('threshold', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('n', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('deliveries', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['monitor_id'], ['monitors.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('monitor_id', 'window_start', 'metric', 'scope', 'grp')
    )
    with op.batch_alter_table('monitor_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitor_alerts_monitor_id'), ['monitor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitor_alerts_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitor_alerts_system_id'), ['system_id'], unique=False)

    op.create_table('monitor_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('monitor_id', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.String(length=40), nullable=False),
    sa.Column('window_end', sa.String(length=40), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('result', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['monitor_id'], ['monitors.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('monitor_id', 'window_start')
    )
    with op.batch_alter_table('monitor_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitor_results_monitor_id'), ['monitor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitor_results_org_id'), ['org_id'], unique=False)

    op.create_table('monitor_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('monitor_id', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=320), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('computed_windows', sa.Integer(), nullable=False),
    sa.Column('cached_windows', sa.Integer(), nullable=False),
    sa.Column('new_alerts', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['monitor_id'], ['monitors.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('monitor_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitor_runs_monitor_id'), ['monitor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitor_runs_org_id'), ['org_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('monitor_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitor_runs_org_id'))
        batch_op.drop_index(batch_op.f('ix_monitor_runs_monitor_id'))

    op.drop_table('monitor_runs')
    with op.batch_alter_table('monitor_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitor_results_org_id'))
        batch_op.drop_index(batch_op.f('ix_monitor_results_monitor_id'))

    op.drop_table('monitor_results')
    with op.batch_alter_table('monitor_alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitor_alerts_system_id'))
        batch_op.drop_index(batch_op.f('ix_monitor_alerts_org_id'))
        batch_op.drop_index(batch_op.f('ix_monitor_alerts_monitor_id'))

    op.drop_table('monitor_alerts')
    with op.batch_alter_table('monitors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitors_system_id'))
        batch_op.drop_index(batch_op.f('ix_monitors_org_id'))

    op.drop_table('monitors')
