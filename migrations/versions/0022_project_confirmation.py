"""Projects: a secretary's confirmation of a done project (claimer/confirmer, DESIGN.md): the
claimer's points are credited on it, not on the claimer's own "done".

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('projects') as batch:
        batch.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('confirmed_by', sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f('fk_projects_confirmed_by_users'), 'users',
                                 ['confirmed_by'], ['id'])


def downgrade():
    with op.batch_alter_table('projects') as batch:
        batch.drop_constraint(batch.f('fk_projects_confirmed_by_users'), type_='foreignkey')
        batch.drop_column('confirmed_by')
        batch.drop_column('confirmed_at')
