"""privacy lifecycle and outbox sending: users.cancelled_at; outbox statuses sending, uncertain

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-02 19:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0006'
branch_labels = None
depends_on = None

OLD = "status in ('pending','sent','refused','failed')"
NEW = "status in ('pending','sending','sent','refused','failed','uncertain')"


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_status_known'), type_='check')
        batch_op.create_check_constraint('status_known', sa.text(NEW))


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_status_known'), type_='check')
        batch_op.create_check_constraint('status_known', sa.text(OLD))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('cancelled_at')
