"""代办: who posted a wish or order for a resident, and consents given on paper or by voice.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('wishes') as batch:
        batch.add_column(sa.Column('posted_by', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_wishes_posted_by_users', 'users', ['posted_by'], ['id'])
    with op.batch_alter_table('service_orders') as batch:
        batch.add_column(sa.Column('posted_by', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_service_orders_posted_by_users', 'users', ['posted_by'], ['id'])
    with op.batch_alter_table('consents') as batch:
        batch.add_column(sa.Column('method', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('witnessed_by', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('recorded_by', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_consents_recorded_by_users', 'users', ['recorded_by'], ['id'])


def downgrade():
    with op.batch_alter_table('consents') as batch:
        batch.drop_constraint('fk_consents_recorded_by_users', type_='foreignkey')
        batch.drop_column('recorded_by')
        batch.drop_column('witnessed_by')
        batch.drop_column('method')
    with op.batch_alter_table('service_orders') as batch:
        batch.drop_constraint('fk_service_orders_posted_by_users', type_='foreignkey')
        batch.drop_column('posted_by')
    with op.batch_alter_table('wishes') as batch:
        batch.drop_constraint('fk_wishes_posted_by_users', type_='foreignkey')
        batch.drop_column('posted_by')
