"""Reports: service minutes in the daily figures, and the indexes the reports read by.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0019'  # chained after 0019 when the branches met on main
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_community_figures_day', 'community_figures', ['day']),
    ('ix_wishes_confirmed_at', 'wishes', ['confirmed_at']),
    ('ix_wish_claims_claimed_at', 'wish_claims', ['claimed_at']),
    ('ix_wish_claims_wish_claimed', 'wish_claims', ['wish_id', 'claimed_at']),
    ('ix_service_orders_done_at', 'service_orders', ['done_at']),
    ('ix_points_ledger_volunteer_created', 'points_ledger', ['volunteer_id', 'created_at']),
)


def upgrade():
    with op.batch_alter_table('community_figures') as batch:
        batch.add_column(sa.Column('volunteer_minutes', sa.Integer(), nullable=True))
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('community_figures') as batch:
        batch.drop_column('volunteer_minutes')
