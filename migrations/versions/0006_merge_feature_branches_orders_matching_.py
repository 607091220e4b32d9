"""merge feature branches: orders, matching runs, jobs

Revision ID: 0006
Revises: 0003, 0004, 0005
Create Date: 2026-11-22 05:00:01.850769

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = ('0003', '0004', '0005')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
