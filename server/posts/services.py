"""设岗定职: secretaries define posts and appoint holders; holders log duty hours, which a
secretary confirms (points then, by the `post_duty` rule); a holder who leaves loses the post."""
from datetime import datetime

from sqlalchemy import update

from ..audit.services import record_audit
from ..database import add_once, locked
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, User
from ..points.services import credit_points
from ..policy.membership import end_tenures, lock_active_member, require_active_volunteer
from ..policy.parties import require_not_volunteer
from ..timeutil import utcnow
from ..volunteers.models import Volunteer
from ..wishes.content import check_private_text
from .models import HOLDER, LOG, HolderStatus, LogStatus, Post, PostHolder, PostLog
from .policies import can_see_post, manages_community

POINTS_RULE = "post_duty"


def _community(actor: Actor, community_id: int) -> Community:
    community = db.session.get(Community, community_id)
    if community is None or not manages_community(actor, community_id):
        raise NotFound("社区不存在或不在您的管辖范围")
    return community


def create_post(actor: Actor, data: dict, *, now: datetime | None = None) -> Post:
    """A secretary in scope defines a post with its duties and number of seats."""
    if not (actor.is_secretary or actor.is_system):
        raise Forbidden("只有社区书记可以设岗")
    _community(actor, data["community_id"])
    post = Post(name=data["name"], community_id=data["community_id"], duties=data["duties"],
                seats=data["seats"], held=0, created_by=actor.user_id, created_at=now or utcnow())
    db.session.add(post)
    db.session.flush()
    record_audit(actor, "post.create", "post", post.id, scope=f"community:{post.community_id}")
    return post


def get_post(actor: Actor, post_id: int, *, lock: bool = False) -> Post:
    """The post, to those who may see it (404 otherwise, so ids cannot be probed)."""
    query = db.select(Post).where(Post.id == post_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    post = db.session.execute(query).scalar_one_or_none()
    if post is None or not (actor.is_system or can_see_post(actor, post)):
        raise NotFound("岗位不存在")
    return post


def _manage(actor: Actor, post_id: int) -> Post:
    post = get_post(actor, post_id)
    if not manages_community(actor, post.community_id):
        raise Forbidden("只有本社区书记可以管理岗位")
    return post


def appoint_holder(actor: Actor, post_id: int, volunteer_id: int,
                   *, now: datetime | None = None) -> PostHolder:
    """An active volunteer takes a seat; a full post is 409 even when two appointments race
    (a conditional UPDATE of `held`, and one active seat per volunteer and post)."""
    now = now or utcnow()
    post = _manage(actor, post_id)
    volunteer = db.session.get(Volunteer, volunteer_id)
    if volunteer is None or not manages_community(actor, volunteer.community_id):
        raise NotFound("志愿者不存在或不在您的管辖范围")
    if not lock_active_member(volunteer.id):  # also when they leave at this very moment
        raise Conflict("该志愿者不是在册志愿者，不能任岗")
    require_not_volunteer(actor, volunteer_id, sides="assigner/assignee")
    if _active_holder(post.id, volunteer_id) is not None:
        raise Conflict("该志愿者已在此岗位")
    taken = db.session.execute(
        update(Post).where(Post.id == post.id, Post.held < Post.seats)
        .values(held=Post.held + 1).execution_options(synchronize_session=False)).rowcount
    if not taken:
        raise Conflict("该岗位名额已满")
    holder = PostHolder(post_id=post.id, volunteer_id=volunteer_id, status=HolderStatus.ACTIVE,
                        appointed_by=actor.user_id, started_at=now)
    add_once(holder, conflict="该志愿者已在此岗位")  # the same volunteer appointed twice at once
    db.session.refresh(post)
    record_audit(actor, "post.appoint", "post", post.id, scope=f"community:{post.community_id}",
                 detail={"volunteer_id": volunteer_id})
    return holder


def _active_holder(post_id: int, volunteer_id: int | None) -> PostHolder | None:
    if volunteer_id is None:
        return None
    return db.session.execute(db.select(PostHolder).filter_by(
        post_id=post_id, volunteer_id=volunteer_id, status=HolderStatus.ACTIVE)
        .with_for_update()).scalar_one_or_none()


def end_holding(actor: Actor, holder: PostHolder, reason: str, *, now: datetime | None = None):
    """The holder steps down (or is relieved, or left): the seat is free again."""
    HOLDER.move(holder, HolderStatus.ENDED, error_message="该任职已结束")
    holder.ended_at, holder.end_reason = now or utcnow(), (reason or "")[:200] or None
    db.session.execute(update(Post).where(Post.id == holder.post_id, Post.held > 0)
                       .values(held=Post.held - 1).execution_options(synchronize_session=False))
    db.session.flush()
    db.session.expire(holder.post)
    return holder


def relieve_holder(actor: Actor, post_id: int, holder_id: int, reason: str | None = None,
                   *, now: datetime | None = None) -> PostHolder:
    """The holder steps down, or a secretary in scope relieves them."""
    post = get_post(actor, post_id)
    # Locked and re-read: of a holder stepping down while a secretary relieves them (or two
    # taps), one ends the seat and frees it; the others see it ended (409), so `held` is
    # lowered once and the post never takes more holders than it has seats.
    holder = locked(PostHolder, holder_id)
    if holder is None or holder.post_id != post.id:
        raise NotFound("任职记录不存在")
    mine = actor.volunteer_id is not None and holder.volunteer_id == actor.volunteer_id
    if not (mine or manages_community(actor, post.community_id)):
        raise Forbidden("只有本人或本社区书记可以卸任")
    end_holding(actor, holder, reason or ("本人卸任" if mine else "书记免去岗位"), now=now)
    record_audit(actor, "post.relieve", "post", post.id, scope=f"community:{post.community_id}",
                 detail={"volunteer_id": holder.volunteer_id})
    return holder


def log_duty(actor: Actor, post_id: int, note: str, hours: float,
             *, now: datetime | None = None) -> PostLog:
    """The holder (an active volunteer holding a seat now) logs a duty with its hours."""
    require_active_volunteer(actor, "只有在岗的志愿者可以填写履职记录")
    post = get_post(actor, post_id)
    holder = _active_holder(post.id, actor.volunteer_id)
    if holder is None:
        raise Forbidden("您不是该岗位的在岗人员")
    minutes = int(round(hours * 60))
    if not 1 <= minutes <= 24 * 60:
        raise Invalid("时长应在 0.1 到 24 小时之间", {"hours": ["时长应在 0.1 到 24 小时之间"]})
    user = db.session.get(User, actor.user_id)
    check_private_text(user.openid if user else None, note, "note")
    log = PostLog(post_id=post.id, holder_id=holder.id, volunteer_id=actor.volunteer_id,
                  note=note, minutes=minutes, status=LogStatus.REPORTED,
                  created_at=now or utcnow())
    db.session.add(log)
    db.session.flush()
    return log


def decide_log(actor: Actor, post_id: int, log_id: int, confirm: bool, reason: str | None = None,
               *, now: datetime | None = None) -> PostLog:
    """A secretary in scope, not the holder, confirms (points by rule) or rejects a duty log."""
    now = now or utcnow()
    post = _manage(actor, post_id)
    log = db.session.execute(db.select(PostLog).where(PostLog.id == log_id).with_for_update()
                             .execution_options(populate_existing=True)).scalar_one_or_none()
    if log is None or log.post_id != post.id:
        raise NotFound("履职记录不存在")
    require_not_volunteer(actor, log.volunteer_id, sides="holder/confirmer")
    LOG.move(log, LogStatus.CONFIRMED if confirm else LogStatus.REJECTED,
             error_message="该履职记录已处理")
    log.decided_by, log.decided_at, log.decision_reason = actor.user_id, now, reason
    if confirm:
        credit_points(log.volunteer_id, POINTS_RULE, "post_log", log.id, now=now)
    record_audit(actor, f"post.log_{log.status}", "post_log", log.id,
                 scope=f"community:{post.community_id}", detail={"volunteer_id": log.volunteer_id})
    db.session.flush()
    return log


def release_posts_of(actor, volunteer, reason: str, now: datetime) -> int:
    """policy.membership.end_volunteering: a leaver loses every post they hold."""
    return end_tenures(PostHolder, end_holding, actor, volunteer, reason, now)
