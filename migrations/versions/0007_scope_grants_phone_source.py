"""scope: a grant names one scope (grid/unit columns, check), one live grant per user+role+scope;
users.phone_verified_via

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 09:00:00

Data: live grants that do not name exactly one scope (an unscoped admin, or the multi-scope grants
of the scope-escalation finding) are revoked, and of live duplicates only the oldest stays live,
so the new constraints hold. Existing phones are of unknown origin and stay unverified (NULL).
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

ROLES = ("secretary", "admin", "grid_worker", "station_keeper", "unit_secretary",
         "fund_officer", "leading_group")
SCOPES = ("community_id", "street_id", "district_id", "grid_id", "unit_id")
ONE_SCOPE = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in SCOPES)


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_verified_via', sa.String(length=10), nullable=True))

    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grid_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_role_grants_grid_id_grids'), 'grids',
                                    ['grid_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_role_grants_unit_id_units'), 'units',
                                    ['unit_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_role_grants_role_known'), type_='check')

    now = sa.func.current_timestamp()
    grants = sa.table('role_grants', *(sa.column(c) for c in ('id', 'user_id', 'role',
                                                              'revoked_at') + SCOPES))
    op.execute(grants.update().where(grants.c.revoked_at.is_(None))
               .where(sa.text(f"({ONE_SCOPE}) <> 1")).values(revoked_at=now))
    older = sa.alias(grants, 'older')
    same = sa.and_(older.c.user_id == grants.c.user_id, older.c.role == grants.c.role,
                   older.c.revoked_at.is_(None), older.c.id < grants.c.id,
                   *(sa.func.coalesce(older.c[c], 0) == sa.func.coalesce(grants.c[c], 0)
                     for c in SCOPES))
    op.execute(grants.update().where(grants.c.revoked_at.is_(None))
               .where(sa.exists().where(same)).values(revoked_at=now))

    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f('ck_role_grants_role_known'),
            "role in (" + ",".join(f"'{r}'" for r in ROLES) + ")")
        batch_op.create_check_constraint(batch_op.f('ck_role_grants_one_scope'),
                                         f"revoked_at IS NOT NULL OR {ONE_SCOPE} = 1")
    op.create_index('uq_role_grants_live', 'role_grants',
                    ['user_id', 'role', *(sa.text(f"coalesce({c}, 0)") for c in SCOPES)],
                    unique=True, sqlite_where=sa.text('revoked_at IS NULL'),
                    postgresql_where=sa.text('revoked_at IS NULL'))


def downgrade():
    op.drop_index('uq_role_grants_live', table_name='role_grants')
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_role_grants_one_scope'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_role_grants_role_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_role_grants_unit_id_units'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_role_grants_grid_id_grids'), type_='foreignkey')
        batch_op.drop_column('unit_id')
        batch_op.drop_column('grid_id')
    op.execute(sa.text("UPDATE role_grants SET revoked_at = CURRENT_TIMESTAMP "
                       "WHERE role NOT IN ('secretary','admin') AND revoked_at IS NULL"))
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_role_grants_role_known'),
                                         "role in ('secretary','admin')")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('phone_verified_via')
