"""Volunteer service system, part b: projects (项目清单), service-day check-ins (报到) with the
day's hours and each venue's radius, and the six-star rating (争六星).

Revision ID: 0021
Revises: 0016
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0017'  # chained after 0017 when the branches met on main
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('star_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status in ('open','closed')", name=op.f('ck_star_periods_status_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_star_periods')),
    sa.UniqueConstraint('code', name=op.f('uq_star_periods_code'))
    )
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('description', sa.String(length=1000), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('lat', sa.Double(), nullable=False),
    sa.Column('lng', sa.Double(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.Integer(), nullable=True),
    sa.Column('claimed_volunteer_id', sa.Integer(), nullable=True),
    sa.Column('claimed_unit_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=200), nullable=True),
    sa.CheckConstraint("status in ('open','claimed','done','cancelled')", name=op.f('ck_projects_status_known')),
    sa.CheckConstraint("status not in ('claimed','done') or claimed_by is not null", name=op.f('ck_projects_claimed_has_claimer')),
    sa.CheckConstraint('progress between 0 and 100', name=op.f('ck_projects_progress_range')),
    sa.ForeignKeyConstraint(['claimed_by'], ['users.id'], name=op.f('fk_projects_claimed_by_users')),
    sa.ForeignKeyConstraint(['claimed_unit_id'], ['units.id'], name=op.f('fk_projects_claimed_unit_id_units')),
    sa.ForeignKeyConstraint(['claimed_volunteer_id'], ['volunteers.id'], name=op.f('fk_projects_claimed_volunteer_id_volunteers')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_projects_community_id_communities')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_projects_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_claimed_unit_id'), ['claimed_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_claimed_volunteer_id'), ['claimed_volunteer_id'], unique=False)
        batch_op.create_index('ix_projects_community_status', ['community_id', 'status'], unique=False)

    op.create_table('service_day_checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_day_id', sa.Integer(), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.CheckConstraint("status in ('checked_in','checked_out')", name=op.f('ck_service_day_checkins_status_known')),
    sa.CheckConstraint('minutes is null or minutes between 0 and 1440', name=op.f('ck_service_day_checkins_minutes_range')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_service_day_checkins_community_id_communities')),
    sa.ForeignKeyConstraint(['service_day_id'], ['service_days.id'], name=op.f('fk_service_day_checkins_service_day_id_service_days')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_service_day_checkins_venue_id_venues')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_service_day_checkins_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_day_checkins')),
    sa.UniqueConstraint('service_day_id', 'volunteer_id', name='uq_checkin_once_per_day')
    )
    with op.batch_alter_table('service_day_checkins', schema=None) as batch_op:
        batch_op.create_index('ix_checkins_day_venue', ['service_day_id', 'venue_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_day_checkins_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('star_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('self_scores', sa.JSON(), nullable=False),
    sa.Column('self_total', sa.Integer(), nullable=False),
    sa.Column('self_note', sa.String(length=500), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('peer_count', sa.Integer(), nullable=False),
    sa.Column('peer_average', sa.Double(), nullable=True),
    sa.Column('branch_scores', sa.JSON(), nullable=True),
    sa.Column('branch_total', sa.Integer(), nullable=True),
    sa.Column('branch_comment', sa.String(length=500), nullable=True),
    sa.Column('branch_reviewer_id', sa.Integer(), nullable=True),
    sa.Column('branch_reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approver_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('commended', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status in ('self_assessed','peer_reviewed','branch_reviewed','approved')", name=op.f('ck_star_reviews_status_known')),
    sa.CheckConstraint('self_total between 0 and 100', name=op.f('ck_star_reviews_self_total_range')),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_star_reviews_approver_id_users')),
    sa.ForeignKeyConstraint(['branch_reviewer_id'], ['users.id'], name=op.f('fk_star_reviews_branch_reviewer_id_users')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_star_reviews_community_id_communities')),
    sa.ForeignKeyConstraint(['period_id'], ['star_periods.id'], name=op.f('fk_star_reviews_period_id_star_periods')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_star_reviews_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_star_reviews')),
    sa.UniqueConstraint('period_id', 'volunteer_id', name='uq_star_review_once')
    )
    with op.batch_alter_table('star_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_star_reviews_period_community', ['period_id', 'community_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_star_reviews_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('project_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_project_updates_author_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_updates_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_updates'))
    )
    with op.batch_alter_table('project_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_updates_project_id'), ['project_id'], unique=False)

    op.create_table('star_peer_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('scorer_volunteer_id', sa.Integer(), nullable=False),
    sa.Column('scorer_user_id', sa.Integer(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('total between 0 and 100', name=op.f('ck_star_peer_scores_total_range')),
    sa.ForeignKeyConstraint(['review_id'], ['star_reviews.id'], name=op.f('fk_star_peer_scores_review_id_star_reviews')),
    sa.ForeignKeyConstraint(['scorer_user_id'], ['users.id'], name=op.f('fk_star_peer_scores_scorer_user_id_users')),
    sa.ForeignKeyConstraint(['scorer_volunteer_id'], ['volunteers.id'], name=op.f('fk_star_peer_scores_scorer_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_star_peer_scores')),
    sa.UniqueConstraint('review_id', 'scorer_volunteer_id', name='uq_star_peer_once')
    )
    with op.batch_alter_table('star_peer_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_star_peer_scores_review_id'), ['review_id'], unique=False)

    with op.batch_alter_table('service_day_venues', schema=None) as batch_op:
        batch_op.add_column(sa.Column('radius_m', sa.Integer(), server_default=sa.text('300'), nullable=False))

    with op.batch_alter_table('service_days', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opens_at', sa.Time(), server_default=sa.text("'08:00:00'"), nullable=False))
        batch_op.add_column(sa.Column('closes_at', sa.Time(), server_default=sa.text("'18:00:00'"), nullable=False))



def downgrade():
    with op.batch_alter_table('service_days', schema=None) as batch_op:
        batch_op.drop_column('closes_at')
        batch_op.drop_column('opens_at')

    with op.batch_alter_table('service_day_venues', schema=None) as batch_op:
        batch_op.drop_column('radius_m')

    with op.batch_alter_table('star_peer_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_star_peer_scores_review_id'))

    op.drop_table('star_peer_scores')
    with op.batch_alter_table('project_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_updates_project_id'))

    op.drop_table('project_updates')
    with op.batch_alter_table('star_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_star_reviews_volunteer_id'))
        batch_op.drop_index('ix_star_reviews_period_community')

    op.drop_table('star_reviews')
    with op.batch_alter_table('service_day_checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_day_checkins_volunteer_id'))
        batch_op.drop_index('ix_checkins_day_venue')

    op.drop_table('service_day_checkins')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('ix_projects_community_status')
        batch_op.drop_index(batch_op.f('ix_projects_claimed_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_projects_claimed_unit_id'))

    op.drop_table('projects')
    op.drop_table('star_periods')
