"""Wish transitions: each in one function that refuses an illegal move with 409."""
from datetime import datetime, timedelta

from sqlalchemy import update

from ..audit.services import record_audit
from ..config import settings
from ..database import add_once
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.behalf import acts_for_owner, audit_behalf, behalf_owner
from ..identity.models import Community, User
from ..identity.skills import check_skills
from ..notifications.services import notify
from ..points.services import credit_points
from ..policy import membership, parties
from ..policy.priority import task_priority
from ..timeutil import utcnow
from ..volunteers.models import Volunteer, VolunteerStatus
from . import policies
from .content import check_private_text, check_wish_text
from .models import CLAIM, WISH, ClaimStatus, Wish, WishClaim, WishStatus


def compute_priority(need_tier: int | None, created_at: datetime, needed_by: datetime | None,
                     now: datetime) -> int:
    """1..5 from the household's need tier, the wish's age (a week) and how soon it is needed."""
    return task_priority(need_tier, created_at=created_at, due=needed_by, now=now,
                         waited=timedelta(days=7))


def _load(wish_id: int, actor: Actor | None, *, lock: bool = False) -> Wish:
    query = db.select(Wish).where(Wish.id == wish_id)
    wish = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if wish is None or not policies.can_see(actor, wish):
        raise NotFound("心愿不存在")
    return wish


def _check_times(data: dict, now: datetime) -> None:
    needed_by, start, end = data.get("needed_by"), data.get("window_start"), data.get("window_end")
    if needed_by is not None and needed_by <= now:
        raise Invalid(errors={"needed_by": ["截止时间应晚于现在"]})
    if (start is None) != (end is None):
        raise Invalid(errors={"window_end": ["时间段需同时给出开始和结束"]})
    if start is not None and not (now - timedelta(hours=1) < start < end <= now + timedelta(days=180)):
        raise Invalid(errors={"window_end": ["时间段无效：结束应晚于开始，且在半年之内"]})


def post_wish(actor: Actor, data: dict, *, now: datetime | None = None) -> Wish:
    """A resident posts a wish; it waits for a secretary unless the text check calls it risky."""
    now = now or utcnow()
    user, posted_by = behalf_owner(actor, data.get("on_behalf_of"))  # 代办
    community_id = (None if posted_by else data.get("community_id")) or user.community_id
    community = db.session.get(Community, community_id) if community_id else None
    if community is None:
        raise Invalid("请先在个人信息中选择所在社区", {"community_id": ["请选择有效的社区"]})
    _check_times(data, now)
    skills = check_skills(data.get("skills"))
    verdict, trace_id = check_wish_text(user.openid, data["title"], data["description"])
    lat = data.get("lat", user.lat if user.lat is not None else community.lat)
    lng = data.get("lng", user.lng if user.lng is not None else community.lng)
    wish = Wish(owner_id=user.id, community_id=community.id, title=data["title"],
                description=data["description"], category=data["category"], skills=skills,
                photos=data.get("photos", []), needed_by=data.get("needed_by"),
                window_start=data.get("window_start"), window_end=data.get("window_end"),
                duration_min=data.get("duration_min", 60),
                estimated_value_fen=data.get("estimated_value_fen"), lat=lat, lng=lng,
                address=data.get("address") or user.address, status=WishStatus.PENDING_REVIEW,
                content_check=verdict, content_trace_id=trace_id, created_at=now, updated_at=now,
                priority=compute_priority(user.need_tier, now, data.get("needed_by"), now),
                posted_by=posted_by)
    db.session.add(wish)
    db.session.flush()
    if posted_by:
        audit_behalf(actor, "wish", wish, user.id, wish.community_id)
    return wish


def review_wish(actor: Actor, wish_id: int, approve: bool, reason: str | None = None,
                *, now: datetime | None = None) -> Wish:
    """A secretary of the wish's community approves (→ open) or rejects it, audited."""
    if not actor.is_secretary:
        raise Forbidden("只有社区书记可以审核心愿")
    now = now or utcnow()
    wish = _load(wish_id, actor, lock=True)
    if not policies.manages(actor, wish):
        raise NotFound("心愿不存在")
    if wish.status != WishStatus.PENDING_REVIEW:
        raise Conflict("该心愿已审核")
    parties.require_not_party(actor, wish.owner_id, sides="owner/reviewer")
    if approve and wish.content_check in ("unchecked", "review"):
        owner = db.session.get(User, wish.owner_id)
        verdict, _ = check_wish_text(owner.openid, wish.title, wish.description, hold_risky=True)
        wish.content_check = "human" if verdict == "unchecked" else verdict
        if verdict == "risky":
            raise Conflict("内容未通过微信内容安全检查，不能发布")
    WISH.move(wish, WishStatus.OPEN if approve else WishStatus.REJECTED)
    wish.reviewed_by, wish.reviewed_at, wish.review_reason = actor.user_id, now, reason
    if not approve:
        wish.closed_at = now
    record_audit(actor, "wish.approve" if approve else "wish.reject", "wish", wish.id,
                 scope=f"community:{wish.community_id}", detail={"reason": reason} if reason else {})
    notify(wish.owner_id, "wish_approved" if approve else "wish_rejected", title=wish.title,
           ref=f"wish:{wish.id}", note=reason or "", now=now)
    db.session.flush()
    return wish


def max_active_claims() -> int:
    return settings().wish_max_active_claims


def _take(wish_id: int, volunteer: Volunteer, source: str, now: datetime) -> Wish:
    """The race-safe step shared by a volunteer's claim and an accepted match proposal."""
    # Serialise one volunteer's claims so the open-claims limit holds under concurrency too, and
    # with a leave: the status is re-read under the lock (a leaver takes no wish).
    if not membership.lock_active_member(volunteer.id):
        raise Conflict("该志愿者身份未生效或已结束，不能认领")
    active = db.session.execute(db.select(db.func.count()).select_from(WishClaim).where(
        WishClaim.volunteer_id == volunteer.id, WishClaim.status == ClaimStatus.ACTIVE)).scalar_one()
    if active >= max_active_claims():
        raise Conflict(f"同时认领的心愿不能超过 {max_active_claims()} 个，请先完成手头的心愿")
    taken = db.session.execute(
        update(Wish).where(Wish.id == wish_id, Wish.status == WishStatus.OPEN)
        .values(status=WishStatus.CLAIMED, claimed_by=volunteer.id, claimed_at=now,
                updated_at=now).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise Conflict("该心愿已被认领或当前不可认领")
    add_once(WishClaim(wish_id=wish_id, volunteer_id=volunteer.id, source=source, claimed_at=now,
                       last_progress_at=now), conflict="该心愿已被认领")
    wish = db.session.get(Wish, wish_id, populate_existing=True)
    notify(wish.owner_id, "wish_claimed", title=wish.title, ref=f"wish:{wish.id}",
           dedupe=f"wish_claimed:{wish.id}:{volunteer.id}:{now.timestamp():.0f}", now=now)
    return wish


def claim_wish(actor: Actor, wish_id: int, *, now: datetime | None = None) -> Wish:
    """An active volunteer claims an open wish; exactly one of any number of racers wins."""
    membership.require_active_volunteer(actor, "只有已通过审核的志愿者可以认领心愿")
    wish = _load(wish_id, actor)
    parties.require_not_party(actor, wish.owner_id, sides="owner/claimer", error=Conflict)
    volunteer = db.session.get(Volunteer, actor.volunteer_id)
    wish = _take(wish.id, volunteer, "self", now or utcnow())
    db.session.flush()
    return wish


def assign_wish(actor: Actor, wish_id: int, volunteer_id: int, *, now: datetime | None = None) -> Wish:
    """A secretary accepts a match proposal: the volunteer claims the wish under the same rules."""
    wish = _load(wish_id, actor)
    if not policies.manages(actor, wish):
        raise NotFound("心愿不存在")
    volunteer = db.session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.status != VolunteerStatus.ACTIVE:
        raise Conflict("该志愿者当前不可接受任务")
    parties.require_not_party(volunteer.user_id, wish.owner_id, sides="owner/claimer",
                              error=Conflict)
    parties.require_not_party(actor, volunteer.user_id, wish.owner_id, sides="assigner/assignee")
    wish = _take(wish.id, volunteer, "matching", now or utcnow())
    db.session.flush()
    return wish


def _active_claim(wish: Wish) -> WishClaim:
    return db.session.execute(db.select(WishClaim).filter_by(
        wish_id=wish.id, status=ClaimStatus.ACTIVE)).scalar_one()


def reopen_claimed_wish(wish: Wish, claim_status: ClaimStatus, reason: str | None,
                        now: datetime) -> None:
    """End the wish's active claim as `claim_status` (released, no_show) and open the wish again,
    telling its owner. The caller holds the wish's row lock and has checked who may; for the
    no-show job (maintenance.py) and a leaving volunteer (policy/membership.py)."""
    claim = _active_claim(wish)
    CLAIM.move(claim, claim_status)
    claim.ended_at, claim.end_reason = now, reason
    WISH.move(wish, WishStatus.OPEN)
    wish.claimed_by, wish.claimed_at, wish.updated_at = None, None, now
    notify(wish.owner_id, "wish_released", title=wish.title, ref=f"wish:{wish.id}",
           note=reason or "", dedupe=f"wish_released:{claim.id}", now=now)


def release_leaver_claims(actor: Actor, volunteer: Volunteer, reason: str, now: datetime) -> int:
    """A leaving volunteer's claimed wishes open again (policy.membership.RELEASES)."""
    wishes = db.session.execute(
        db.select(Wish).where(Wish.claimed_by == volunteer.id, Wish.status == WishStatus.CLAIMED)
        .order_by(Wish.id).with_for_update().execution_options(populate_existing=True)
    ).scalars().all()
    for wish in wishes:
        reopen_claimed_wish(wish, ClaimStatus.RELEASED, membership.leaving_note(reason), now)
    return len(wishes)


def _require_claimer(actor: Actor, wish: Wish) -> None:
    if actor.volunteer_id is None or wish.claimed_by != actor.volunteer_id:
        raise Forbidden("只有认领该心愿的志愿者可以这样做")
    if wish.status != WishStatus.CLAIMED:
        raise Conflict("心愿当前状态不允许此操作")


def release_wish(actor: Actor, wish_id: int, reason: str, *, now: datetime | None = None) -> Wish:
    """The claiming volunteer gives a wish back, with a reason; it is open again."""
    wish = _load(wish_id, actor, lock=True)
    _require_claimer(actor, wish)
    reopen_claimed_wish(wish, ClaimStatus.RELEASED, reason, now or utcnow())
    db.session.flush()
    return wish


def fulfil_wish(actor: Actor, wish_id: int, note: str, photos: list[str] | None = None,
                *, now: datetime | None = None) -> Wish:
    """The claiming volunteer reports the wish fulfilled; the owner confirms next."""
    now = now or utcnow()
    wish = _load(wish_id, actor, lock=True)
    _require_claimer(actor, wish)
    membership.require_active_volunteer(actor, "您的志愿者身份已结束，不能再处理该心愿")
    parties.require_not_party(actor, wish.owner_id, sides="owner/claimer")
    if wish.window_start is not None and now < wish.window_start:
        raise Conflict("心愿约定的时间段开始后才能标记完成")
    check_private_text(db.session.get(User, actor.user_id).openid, note, "note")
    WISH.move(wish, WishStatus.FULFILLED)
    wish.fulfilled_at, wish.updated_at = now, now
    wish.fulfil_note, wish.fulfil_photos = note, photos or []
    _active_claim(wish).last_progress_at = now
    notify(wish.owner_id, "wish_fulfilled", title=wish.title, ref=f"wish:{wish.id}", now=now)
    db.session.flush()
    return wish


def confirm_wish(actor: Actor, wish_id: int, rating: int, thanks: str | None = None,
                 *, now: datetime | None = None) -> Wish:
    """The owner (or a secretary for them) confirms; only now are points credited."""
    now = now or utcnow()
    wish = _load(wish_id, actor, lock=True)
    if not (policies.is_owner(actor, wish) or policies.manages(actor, wish)
            or acts_for_owner(actor, wish.owner_id)):
        raise Forbidden("只有心愿发布人或社区书记可以确认")
    if wish.status != WishStatus.FULFILLED:
        raise Conflict("心愿尚未完成或已确认")
    parties.require_not_volunteer(actor, wish.claimed_by, sides="claimer/confirmer")
    check_private_text(db.session.get(User, actor.user_id).openid, thanks, "thanks")
    WISH.move(wish, WishStatus.CONFIRMED)
    wish.confirmed_at, wish.confirmed_by = now, actor.user_id
    wish.rating, wish.thanks, wish.closed_at, wish.updated_at = rating, thanks, now, now
    claim = _active_claim(wish)
    CLAIM.move(claim, ClaimStatus.DONE)
    claim.ended_at = now
    credit_points(wish.claimed_by, "wish_confirmed", "wish", wish.id, now=now)
    if rating == 5:
        credit_points(wish.claimed_by, "rating_bonus", "wish", wish.id, now=now)
    if not policies.is_owner(actor, wish):
        record_audit(actor, "wish.confirm_for_owner", "wish", wish.id,
                     scope=f"community:{wish.community_id}")
    volunteer = db.session.get(Volunteer, wish.claimed_by)
    notify(volunteer.user_id, "wish_confirmed", title=wish.title, ref=f"wish:{wish.id}",
           note=thanks or "", now=now)
    db.session.flush()
    return wish


def cancel_wish(actor: Actor, wish_id: int, *, now: datetime | None = None) -> Wish:
    """The owner withdraws a wish that nobody has claimed."""
    now = now or utcnow()
    wish = _load(wish_id, actor, lock=True)
    if not policies.is_owner(actor, wish):
        raise Forbidden("只有心愿发布人可以撤回")
    if not wish.can_cancel():
        raise Conflict("心愿已被认领或已结束，不能撤回")
    WISH.move(wish, WishStatus.CANCELLED)
    wish.closed_at, wish.updated_at = now, now
    db.session.flush()
    return wish
