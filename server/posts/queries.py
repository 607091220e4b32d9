"""Reads of posts, holders and duty logs, scope-filtered in SQL."""
from ..database import rows_of
from ..errors import NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..policy.scope import ScopeKind, covered_ids
from .models import LogStatus, Post, PostHolder, PostLog
from .policies import STAFF, manages_community, reporting_community
from .services import get_post


def list_posts(actor: Actor, community_id: int | None = None):
    """Staff: the posts of the communities in scope; a volunteer: those of their community."""
    if actor.is_secretary or actor.is_system:
        covered = covered_ids(actor, STAFF)[ScopeKind.COMMUNITY]
        if community_id is not None and not manages_community(actor, community_id):
            raise NotFound("社区不存在或不在您的管辖范围")
        query = db.select(Post)
        if not actor.is_system:
            query = query.where(Post.community_id.in_(covered))
    elif (home := reporting_community(actor)) is not None:
        if community_id is not None and community_id != home:
            raise NotFound("社区不存在或不在您的管辖范围")
        query = db.select(Post).where(Post.community_id == home)
    else:
        raise NotFound("社区不存在或不在您的管辖范围")
    if community_id is not None:
        query = query.where(Post.community_id == community_id)
    return query.order_by(Post.id)


def list_logs(actor: Actor, post_id: int):
    """Staff in scope see every log of the post; a holder sees their own."""
    post = get_post(actor, post_id)
    query = db.select(PostLog).where(PostLog.post_id == post.id)
    if not manages_community(actor, post.community_id):
        query = query.where(PostLog.volunteer_id == (actor.volunteer_id or 0))
    return query.order_by(PostLog.id.desc())


def holdings_of(volunteer_id: int) -> list[PostHolder]:
    return rows_of(PostHolder, PostHolder.volunteer_id == volunteer_id)


def logs_of(volunteer_id: int) -> list[PostLog]:
    return rows_of(PostLog, PostLog.volunteer_id == volunteer_id)


def confirmed_minutes(volunteer_id: int) -> int:
    return int(db.session.execute(db.select(db.func.coalesce(db.func.sum(PostLog.minutes), 0))
                                  .where(PostLog.volunteer_id == volunteer_id,
                                         PostLog.status == LogStatus.CONFIRMED)).scalar_one())




def pending_logs(actor: Actor):
    """Duty logs waiting for a secretary's confirmation, in the actor's scope."""
    covered = covered_ids(actor, STAFF)[ScopeKind.COMMUNITY]
    return (db.select(PostLog).join(Post, Post.id == PostLog.post_id)
            .where(PostLog.status == LogStatus.REPORTED, Post.community_id.in_(covered))
            .order_by(PostLog.id))
