"""esg: energy records, instruments, sites, production periods, links, social indicators

Revision ID: 0006_esg
Revises: 0001_foundation
Create Date: 2026-11-26 15:12:13.971332
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0006_esg'
down_revision = '0001_foundation'
branch_labels = ('esg',)
depends_on = None


def upgrade() -> None:
    op.create_table('esg_sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('name_ko', sa.String(length=200), nullable=True),
    sa.Column('country', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'slug')
    )
    with op.batch_alter_table('esg_sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_esg_sites_org_id'), ['org_id'], unique=False)

    op.create_table('esg_energy_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('activity', sa.String(length=32), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('kwh', sa.Float(), nullable=False),
    sa.Column('pue', sa.Float(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('country', sa.String(length=8), nullable=True),
    sa.Column('factor_id', sa.String(length=64), nullable=False),
    sa.Column('factor_fallback', sa.String(length=16), nullable=True),
    sa.Column('inference_count', sa.Integer(), nullable=True),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('actor', sa.String(length=320), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'system_id', 'external_id')
    )
    with op.batch_alter_table('esg_energy_records', schema=None) as batch_op:
        batch_op.create_index('ix_esg_energy_org_system', ['org_id', 'system_id', 'end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_esg_energy_records_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_esg_energy_records_system_id'), ['system_id'], unique=False)

    op.create_table('esg_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('replaced', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=320), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['esg_sites.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('esg_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_esg_imports_org_id'), ['org_id'], unique=False)

    op.create_table('esg_instruments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('ident', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('country', sa.String(length=8), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('mwh', sa.Float(), nullable=False),
    sa.Column('factor', sa.Float(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'ident')
    )
    with op.batch_alter_table('esg_instruments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_esg_instruments_org_id'), ['org_id'], unique=False)

    op.create_table('esg_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.String(length=64), nullable=False),
    sa.Column('kpis', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('deployed_at', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['esg_sites.id'], ),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'system_id', 'site_id', 'line')
    )
    with op.batch_alter_table('esg_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_esg_links_org_id'), ['org_id'], unique=False)

    op.create_table('esg_social',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=True),
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('items', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=320), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['system_id'], ['systems.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('esg_social', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_esg_social_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_esg_social_period', ['org_id', 'indicator', 'end_date'], unique=False)

    op.create_table('esg_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.String(length=64), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('planned_busy_time_h', sa.Float(), nullable=False),
    sa.Column('actual_production_time_h', sa.Float(), nullable=False),
    sa.Column('produced_qty', sa.Float(), nullable=False),
    sa.Column('good_qty', sa.Float(), nullable=False),
    sa.Column('ideal_cycle_time_s', sa.Float(), nullable=True),
    sa.Column('scrap_qty', sa.Float(), nullable=True),
    sa.Column('first_pass_good_qty', sa.Float(), nullable=True),
    sa.Column('energy_kwh', sa.Float(), nullable=True),
    sa.Column('unplanned_downtime_h', sa.Float(), nullable=True),
    sa.Column('failures', sa.Float(), nullable=True),
    sa.Column('repair_time_h', sa.Float(), nullable=True),
    sa.Column('hours_worked', sa.Float(), nullable=True),
    sa.Column('recordable_injuries', sa.Float(), nullable=True),
    sa.Column('lost_time_injuries', sa.Float(), nullable=True),
    sa.Column('material_kg', sa.Float(), nullable=True),
    sa.Column('waste_kg', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['esg_imports.id'], ),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['esg_sites.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('esg_periods', schema=None) as batch_op:
        batch_op.create_index('ix_esg_periods_line', ['org_id', 'site_id', 'line', 'period_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_esg_periods_org_id'), ['org_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('esg_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esg_periods_org_id'))
        batch_op.drop_index('ix_esg_periods_line')

    op.drop_table('esg_periods')
    with op.batch_alter_table('esg_social', schema=None) as batch_op:
        batch_op.drop_index('ix_esg_social_period')
        batch_op.drop_index(batch_op.f('ix_esg_social_org_id'))

    op.drop_table('esg_social')
    with op.batch_alter_table('esg_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esg_links_org_id'))

    op.drop_table('esg_links')
    with op.batch_alter_table('esg_instruments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esg_instruments_org_id'))

    op.drop_table('esg_instruments')
    with op.batch_alter_table('esg_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esg_imports_org_id'))

    op.drop_table('esg_imports')
    with op.batch_alter_table('esg_energy_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esg_energy_records_system_id'))
        batch_op.drop_index(batch_op.f('ix_esg_energy_records_org_id'))
        batch_op.drop_index('ix_esg_energy_org_system')

    op.drop_table('esg_energy_records')
    with op.batch_alter_table('esg_sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_esg_sites_org_id'))

    op.drop_table('esg_sites')
