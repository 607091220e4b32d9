"""The console's sign-in by scanning: one-time scenes that become browser sessions.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'console_logins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scene', sa.String(length=64), nullable=False),
        sa.Column('browser_hash', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('session_hash', sa.String(length=64), nullable=True),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('end_reason', sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_console_logins_user_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_console_logins'),
        sa.UniqueConstraint('scene', name='uq_console_logins_scene'),
        sa.UniqueConstraint('session_hash', name='uq_console_logins_session_hash'),
    )
    op.create_index('ix_console_logins_user_status', 'console_logins', ['user_id', 'status'])


def downgrade():
    op.drop_index('ix_console_logins_user_status', table_name='console_logins')
    op.drop_table('console_logins')
