"""Points: credit once per event, balances, leaderboards, and rules that admins change."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import false

from ..audit.services import record_audit
from ..database import add_once
from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import District, User
from ..policy.scope import Scope, ScopeKind, actor_covers, is_system
from ..privacy import mask_name
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer, VolunteerStatus
from .models import EARNED, PointsEntry, PointsRule

DEFAULT_RULES = {
    "wish_confirmed": (10, "心愿经居民确认完成"),
    "rating_bonus": (5, "获得五星好评的额外奖励"),
    "order_completed": (5, "点单服务完成"),
    "order_rating_bonus": (2, "点单服务获得五星好评"),
    # volunteer service system (issue 16a): a duty log confirmed by a secretary
    "post_duty": (3, "岗位履职记录经书记确认"),
    # volunteer service system, part b
    "project_done": (10, "认领的项目完成"),
    "service_day_checkout": (5, "奉献日报到并签退（满 30 分钟）"),
}
PERIODS = ("week", "month", "year", "all")


def rule_points(code: str) -> int:
    rule = db.session.get(PointsRule, code)
    return rule.points if rule is not None else DEFAULT_RULES[code][0]


def credit_points(volunteer_id: int, rule_code: str, ref_type: str, ref_id: int,
                  *, now: datetime | None = None) -> PointsEntry | None:
    """Append one ledger row for an event; an event already credited is not credited again."""
    points = rule_points(rule_code)
    if points == 0:
        return None
    volunteer = db.session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.status != VolunteerStatus.ACTIVE:
        return None  # policy.membership: no points once the volunteer has left
    entry = PointsEntry(volunteer_id=volunteer_id, community_id=volunteer.community_id,
                        unit_id=volunteer.unit_id, delta=points, reason=rule_code,
                        ref_type=ref_type, ref_id=ref_id, created_at=now or utcnow())
    return add_once(entry)


def my_points(actor: Actor) -> tuple[int, list[PointsEntry]]:
    if actor.volunteer_id is None:
        raise Forbidden("您还不是志愿者")
    balance = db.session.execute(db.select(db.func.coalesce(db.func.sum(PointsEntry.delta), 0))
                                 .filter_by(volunteer_id=actor.volunteer_id)).scalar_one()
    entries = db.session.execute(db.select(PointsEntry).filter_by(volunteer_id=actor.volunteer_id)
                                 .order_by(PointsEntry.id.desc()).limit(100)).scalars().all()
    return int(balance), entries


def period_start(period: str, now: datetime | None = None) -> datetime | None:
    """Start of the current week/month/year in Asia/Shanghai, as UTC; None for all time."""
    local = (now or utcnow()).astimezone(LOCAL_TZ)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "year":
        return day.replace(month=1, day=1)
    return None


# The public never sees a group of fewer people than this (issue 10, finding 19): a board with
# fewer rows is empty, and a unit's board leaves out whoever shares their unit × community cell
# with fewer than this many (so a unit board and a community board cannot be joined to name them).
K_ANONYMITY = 5


@dataclass(frozen=True)
class Board:
    """A leaderboard as one caller may see it: `query` pages rows (volunteer_id, name, points);
    `entry` shapes one (names masked for everyone; ids only to a manager of the community, or
    the caller's own)."""
    query: object
    full: bool
    own_volunteer_id: int | None

    def entry(self, row) -> dict:
        shown = self.full or row.volunteer_id == self.own_volunteer_id
        return {"volunteer_id": row.volunteer_id if shown else None,
                "name": mask_name(row.name), "points": int(row.points)}


def _large_cells():
    """(unit, community) cells of the ledger holding at least K_ANONYMITY volunteers."""
    return (db.select(PointsEntry.unit_id, PointsEntry.community_id)
            .group_by(PointsEntry.unit_id, PointsEntry.community_id)
            .having(db.func.count(db.distinct(PointsEntry.volunteer_id)) >= K_ANONYMITY)
            .subquery())


def leaderboard(actor: Actor | None = None, community_id: int | None = None,
                unit_id: int | None = None, period: str = "month", *, now=None) -> Board:
    """Volunteers by points earned in the period (EARNED: spending them does not lower a rank),
    best first. A secretary of the community sees its whole board; everyone else a k-anonymous
    one (K_ANONYMITY) with masked names."""
    total = db.func.sum(PointsEntry.delta).label("points")
    query = (db.select(PointsEntry.volunteer_id, User.name, total)
             .join(Volunteer, Volunteer.id == PointsEntry.volunteer_id)
             .join(User, User.id == Volunteer.user_id)
             .where(EARNED)
             .group_by(PointsEntry.volunteer_id, User.name)
             .order_by(total.desc(), PointsEntry.volunteer_id))
    if community_id is not None:
        query = query.where(PointsEntry.community_id == community_id)
    if unit_id is not None:
        query = query.where(PointsEntry.unit_id == unit_id)
    start = period_start(period, now)
    if start is not None:
        query = query.where(PointsEntry.created_at >= start)
    full = community_id is not None and actor is not None and actor.manages(community_id)
    own = actor.volunteer_id if actor is not None else None
    if full:
        return Board(query, True, own)
    if unit_id is not None:
        cells = _large_cells()
        query = query.join(cells, (cells.c.unit_id == PointsEntry.unit_id)
                           & (cells.c.community_id == PointsEntry.community_id))
    people = db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar()
    if people < K_ANONYMITY:
        query = query.where(false())
    return Board(query, False, own)


def list_rules():
    existing = {r.code: r for r in db.session.execute(db.select(PointsRule)).scalars()}
    return [existing.get(code) or PointsRule(code=code, points=pts, description=desc)
            for code, (pts, desc) in DEFAULT_RULES.items()]


def require_rules_scope(actor: Actor) -> None:
    """The rules hold for every district at once, so only an admin whose scope contains every
    district (in practice the district admin of a one-district deployment), or the system, may
    change them; a street or community admin may not (403)."""
    if not actor.is_admin and not is_system(actor):
        raise Forbidden("只有管理员可以修改积分规则")
    districts = db.session.execute(db.select(District.id)).scalars().all()
    if not is_system(actor) and not (districts and all(
            actor_covers(actor, Scope(ScopeKind.DISTRICT, d)) for d in districts)):
        raise Forbidden("积分规则全区适用，只有区级管理员可以修改")


def set_rule(actor: Actor, code: str, points: int, *, now=None) -> PointsRule:
    """A district admin changes what an event is worth from now on; past ledger rows stay
    as paid."""
    require_rules_scope(actor)
    if code not in DEFAULT_RULES:
        raise NotFound("积分规则不存在")
    if not 0 <= points <= 1000:
        raise Invalid(errors={"points": ["应在 0 到 1000 之间"]})
    rule = db.session.get(PointsRule, code)
    if rule is None:
        rule = PointsRule(code=code, description=DEFAULT_RULES[code][1])
        db.session.add(rule)
    old = rule.points
    rule.points, rule.updated_by, rule.updated_at = points, actor.user_id, now or utcnow()
    record_audit(actor, "points.rule", "points_rule", code, detail={"from": old, "to": points})
    db.session.flush()
    return rule
