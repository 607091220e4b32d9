"""Merge the hardening branches (scope grants, privacy lifecycle, audit request ids) with the
org administration and imports.

Revision ID: 0013
Revises: 0007, 0010, 0011, 0012
Create Date: 2026-12-02
"""

revision = '0013'
down_revision = ('0007', '0010', '0011', '0012')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
