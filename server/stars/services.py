"""争六星: the volunteer assesses themself (with evidence from the ledger), peers of the same
branch score (not their own, each once), the branch secretary reviews, a street secretary
approves; every step is audited and nobody reviews themself (server/policy/parties.py)."""
from datetime import date, datetime

from sqlalchemy import update

from ..audit.services import record_audit
from ..database import add_once, get_or_404
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Role
from ..orders.models import OrderStatus, ServiceOrder
from ..points.models import EARNED, PointsEntry
from ..policy import parties
from ..policy.membership import require_active_volunteer
from ..policy.scope import Scope, ScopeKind, actor_covers
from ..scheduling.settings import system_only
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer
from ..wishes.models import Wish, WishStatus
from .models import (
    COMMENDED_AT,
    PEER_SCORES_REQUIRED,
    PERIOD,
    REVIEW,
    STARS,
    STATUS_NAMES,
    PeriodStatus,
    ReviewStatus,
    StarPeerScore,
    StarPeriod,
    StarReview,
    period_bounds,
    period_code,
    total_of,
)


def _move(review: StarReview, to: ReviewStatus, now: datetime) -> None:
    """The one function that changes a review's status."""
    REVIEW.move(review, to, error_message=(
        f"该评定{STATUS_NAMES.get(review.status, '尚未开始')}，不能进行这一步"))
    review.updated_at = now


def check_scores(scores: dict, field: str = "scores") -> int:
    """Every star scored, each within its share of the 100 points; returns the total."""
    errors = {code: [f"{name}应在 0–{most} 分之间"] for code, (name, most) in STARS.items()
              if not isinstance(scores.get(code), int) or not 0 <= scores[code] <= most}
    unknown = sorted(set(scores) - set(STARS))
    if unknown:
        errors["_unknown"] = [f"未知的星：{', '.join(unknown)}"]
    if errors:
        raise Invalid("六星评分不完整或超出范围", {field: [str(errors)]})
    return total_of(scores)


def open_star_period(actor: Actor, *, now: datetime | None = None) -> dict:
    """The June / December job: open the period of the current half-year once."""
    system_only(actor)
    now = now or utcnow()
    code = period_code(now.astimezone(LOCAL_TZ).date())
    if db.session.execute(db.select(StarPeriod.id).filter_by(code=code)).first() is not None:
        return {"opened": 0}
    starts, ends = period_bounds(code)
    period = StarPeriod(code=code, starts_on=starts, ends_on=ends, opened_at=now, status=None)
    PERIOD.move(period, PeriodStatus.OPEN)
    if add_once(period) is None:
        return {"opened": 0}
    record_audit(actor, "star_period.open", "star_period", period.id, detail={"code": code})
    return {"opened": 1}


def _period(code: str) -> StarPeriod:
    period = db.session.execute(db.select(StarPeriod).filter_by(code=code)).scalar_one_or_none()
    if period is None:
        raise NotFound("评星周期不存在")
    return period


def _local_bounds(period: StarPeriod) -> tuple[datetime, datetime]:
    def at(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)
    return at(period.starts_on), at(period.ends_on)


def ledger_evidence(volunteer_id: int, period: StarPeriod) -> dict:
    """Points and tasks of the period, from the ledger and the task tables."""
    start, end = _local_bounds(period)
    rows = db.session.execute(
        db.select(PointsEntry.reason, db.func.count(), db.func.sum(PointsEntry.delta))
        .where(PointsEntry.volunteer_id == volunteer_id, PointsEntry.created_at >= start,
               PointsEntry.created_at < end, EARNED)  # spent points were earned all the same
        .group_by(PointsEntry.reason)).all()
    wishes = db.session.execute(db.select(db.func.count()).select_from(Wish).where(
        Wish.claimed_by == volunteer_id, Wish.status == WishStatus.CONFIRMED,
        Wish.confirmed_at >= start, Wish.confirmed_at < end)).scalar_one()
    orders = db.session.execute(db.select(db.func.count()).select_from(ServiceOrder).where(
        ServiceOrder.provider_id == volunteer_id,
        ServiceOrder.status.in_((OrderStatus.DONE, OrderStatus.RATED)),
        ServiceOrder.done_at >= start, ServiceOrder.done_at < end)).scalar_one()
    return {"points": int(sum(r[2] or 0 for r in rows)),
            "points_by_reason": {r[0]: int(r[2] or 0) for r in rows},
            "events_by_reason": {r[0]: int(r[1]) for r in rows},
            "wishes_confirmed": int(wishes), "orders_done": int(orders)}


def self_assess(actor: Actor, data: dict, *, now: datetime | None = None) -> StarReview:
    """An active volunteer assesses themself once per open period."""
    now = now or utcnow()
    require_active_volunteer(actor, "只有在册的志愿者可以参加争六星")
    period = _period(data["period"])
    if period.status != PeriodStatus.OPEN:
        raise Conflict("该评星周期已结束")
    total = check_scores(data["scores"])
    volunteer = db.session.get(Volunteer, actor.volunteer_id)
    review = StarReview(period_id=period.id, volunteer_id=volunteer.id,
                        community_id=volunteer.community_id, self_scores=data["scores"],
                        self_total=total, self_note=data.get("note", ""),
                        evidence=ledger_evidence(volunteer.id, period), created_at=now,
                        status=None)
    _move(review, ReviewStatus.SELF_ASSESSED, now)
    add_once(review, conflict="本周期您已经提交过自评")
    record_audit(actor, "star_review.self_assess", "star_review", review.id,
                 scope=str(Scope(ScopeKind.COMMUNITY, review.community_id)),
                 detail={"period": period.code, "total": total})
    return review


def load_review(review_id: int, *, lock: bool = False) -> StarReview:
    return get_or_404(StarReview, review_id, "评定不存在", lock=lock)


def _review_for(actor: Actor, review_id: int, may, refusal: str,
                *, sides: str = "reviewee/reviewer") -> StarReview:
    """The review, for a reviewer who is not its reviewee and who `may(actor, review)` act
    (403 `refusal` otherwise). Locked and re-read: of two secretaries reviewing (or approving)
    at once, one moves it and the other sees the new status (409), so the branch reviewer on
    record is the one whose scores stand."""
    review = load_review(review_id, lock=True)
    parties.require_not_party(actor, parties.volunteer_user(review.volunteer_id), sides=sides)
    if not may(actor, review):
        raise Forbidden(refusal)
    return review


def is_peer(actor: Actor, review: StarReview) -> bool:
    """An active volunteer of the same branch (community), other than the reviewee."""
    if not actor.is_active_volunteer or actor.volunteer_id == review.volunteer_id:
        return False
    community = db.session.execute(db.select(Volunteer.community_id).where(
        Volunteer.id == actor.volunteer_id)).scalar_one_or_none()
    return community == review.community_id


def is_branch_secretary(actor: Actor, review: StarReview) -> bool:
    return actor_covers(actor, Scope(ScopeKind.COMMUNITY, review.community_id),
                        roles=(Role.SECRETARY,)) and not actor.is_system


def is_street_secretary(actor: Actor, review: StarReview) -> bool:
    street_id = db.session.get(Community, review.community_id).street_id
    return actor_covers(actor, Scope(ScopeKind.STREET, street_id),
                        roles=(Role.SECRETARY,)) and not actor.is_system


def peer_score(actor: Actor, review_id: int, scores: dict,
               *, now: datetime | None = None) -> StarPeerScore:
    """A peer of the branch scores a review once; after PEER_SCORES_REQUIRED the review is
    `peer_reviewed` (the branch may then review; later peers may still score until then)."""
    now = now or utcnow()
    review = _review_for(actor, review_id, is_peer, "只有同一支部（社区）的在册志愿者可以互评",
                         sides="self/peer reviewer")
    if review.status not in (ReviewStatus.SELF_ASSESSED, ReviewStatus.PEER_REVIEWED):
        raise Conflict(f"该评定{STATUS_NAMES[review.status]}，互评已结束")
    entry = StarPeerScore(review_id=review.id, scorer_volunteer_id=actor.volunteer_id,
                          scorer_user_id=actor.user_id, scores=scores,
                          total=check_scores(scores), created_at=now)
    add_once(entry, conflict="您已经给这份评定打过分")
    count, average = db.session.execute(
        db.select(db.func.count(), db.func.avg(StarPeerScore.total))
        .where(StarPeerScore.review_id == review.id)).one()
    db.session.execute(update(StarReview).where(StarReview.id == review.id).values(
        peer_count=count, peer_average=round(float(average), 1), updated_at=now)
        .execution_options(synchronize_session=False))
    db.session.refresh(review)
    if count >= PEER_SCORES_REQUIRED and review.status == ReviewStatus.SELF_ASSESSED:
        _move(review, ReviewStatus.PEER_REVIEWED, now)
    db.session.flush()
    record_audit(actor, "star_review.peer_score", "star_review", review.id,
                 detail={"total": entry.total})
    return entry


def branch_review(actor: Actor, review_id: int, data: dict,
                  *, now: datetime | None = None) -> StarReview:
    """The branch secretary (secretary of the reviewee's community) sets the star scores."""
    now = now or utcnow()
    review = _review_for(actor, review_id, is_branch_secretary, "只有该支部（社区）书记可以评议")
    total = check_scores(data["scores"])
    _move(review, ReviewStatus.BRANCH_REVIEWED, now)
    review.branch_scores, review.branch_total = data["scores"], total
    review.branch_comment = data.get("comment", "")
    review.branch_reviewer_id, review.branch_reviewed_at = actor.user_id, now
    db.session.flush()
    record_audit(actor, "star_review.branch_review", "star_review", review.id,
                 scope=str(Scope(ScopeKind.COMMUNITY, review.community_id)),
                 detail={"total": total})
    return review


def approve_review(actor: Actor, review_id: int, *, now: datetime | None = None) -> StarReview:
    """A street secretary approves; 95 or more is commended. Not the reviewee, and not the
    secretary who made the branch review (a second pair of eyes)."""
    now = now or utcnow()
    review = _review_for(actor, review_id, is_street_secretary, "只有管辖该社区的街道书记可以审定")
    parties.require_not_party(actor, review.branch_reviewer_id, sides="branch/approver")
    _move(review, ReviewStatus.APPROVED, now)
    review.approver_id, review.approved_at = actor.user_id, now
    review.commended = (review.branch_total or 0) >= COMMENDED_AT
    db.session.flush()
    record_audit(actor, "star_review.approve", "star_review", review.id,
                 detail={"total": review.branch_total, "commended": review.commended})
    return review
