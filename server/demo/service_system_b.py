"""Demo data for the volunteer service system, part b: projects in every state (claimed by the
demo volunteer and by a unit), today's service day with check-ins, and the current 争六星 period
with reviews in every state — made through the services, so audit rows and points are real."""
from datetime import time, timedelta

from ..checkins import services as checkins
from ..checkins.models import CheckIn
from ..extensions import db
from ..identity.actor import SYSTEM
from ..identity.models import Role, RoleGrant, Unit, User
from ..identity.services import load_actor
from ..projects import services as projects
from ..service_days.models import ServiceDay, ServiceDayVenue, Venue
from ..stars import services as stars
from ..stars.models import STARS, StarPeriod
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer, VolunteerStatus

PROJECTS = [  # title, category, status ("confirmed": done and confirmed), claimer ("volunteer" | "unit" | None)
    ("背街小巷环境整治", "environment", "open", None),
    ("独居老人家门口扶手安装", "elderly", "open", None),
    ("四点半课堂作业辅导", "children", "claimed", "volunteer"),
    ("消防通道清障", "safety", "claimed", "unit"),
    ("垃圾分类宣传周", "culture", "confirmed", "volunteer"),  # done, confirmed: points paid
    ("社区义诊志愿服务", "elderly", "done", "unit"),  # done, waiting for the confirmation
    ("楼道杂物清理", "environment", "cancelled", None),
]


def _actor(openid: str):
    return load_actor(db.session.execute(db.select(User.id).filter_by(openid=openid)).scalar_one())


def _unit_secretary(unit: Unit, community_id: int) -> str:
    """The demo's unit secretary (a demo login, server/demo/data.py), granted for `unit` if the
    care demo has not already done so."""
    user = db.session.execute(db.select(User).where(User.openid == "demo-unit-secretary")
                              ).scalar_one_or_none()
    if user is None:
        user = User(openid="demo-unit-secretary", name="吴志刚", community_id=community_id)
        db.session.add(user)
        db.session.flush()
    granted = db.session.execute(db.select(RoleGrant.id).where(
        RoleGrant.user_id == user.id, RoleGrant.role == Role.UNIT_SECRETARY,
        RoleGrant.unit_id == unit.id, RoleGrant.revoked_at.is_(None))).first()
    if granted is None:
        db.session.add(RoleGrant(user_id=user.id, role=Role.UNIT_SECRETARY, unit_id=unit.id))
        db.session.flush()
    return user.openid


def _projects(home, now) -> int:
    secretary = _actor("demo-secretary")
    unit = db.session.execute(db.select(Unit).order_by(Unit.id)).scalars().first()
    unit_secretary = _actor(_unit_secretary(unit, home.id))
    volunteer = _actor("demo-volunteer")
    for title, category, status, claimer in PROJECTS:
        project = projects.create_project(secretary, {
            "title": title, "category": category, "community_id": home.id,
            "description": f"{home.name}{title}，欢迎单位和党员认领", "address": f"{home.name}辖区",
            "seats": 4}, now=now - timedelta(days=6))
        if claimer:
            actor = volunteer if claimer == "volunteer" else unit_secretary
            projects.claim_project(actor, project.id, unit.id if claimer == "unit" else None,
                                   now=now - timedelta(days=5))
            projects.add_update(actor, project.id, {"note": "已开展第一次活动", "progress": 40},
                                now=now - timedelta(days=3))
            if status in ("done", "confirmed"):
                projects.add_update(actor, project.id, {"note": "全部完成", "done": True},
                                    now=now - timedelta(days=1))
            if status == "confirmed":
                projects.confirm_project(secretary, project.id, now=now - timedelta(hours=20))
        if status == "cancelled":
            projects.cancel_project(secretary, project.id, "已由物业统一处理", now=now)
    return len(PROJECTS)


def _checkin_day(streets, communities, now) -> tuple[ServiceDay, int]:
    """Today's service day (open all day in the demo) at a main and two branch venues."""
    day = ServiceDay(title=f"{streets[0].name}党员报到日", day=now.astimezone(LOCAL_TZ).date(),
                     street_id=streets[0].id, description="在职党员到社区报到，就近服务",
                     opens_at=time(0), closes_at=time(23, 59, 59))
    db.session.add(day)
    db.session.flush()
    venues = db.session.execute(db.select(Venue).where(Venue.community_id.in_(
        [c.id for c in communities if c.street_id == streets[0].id])).order_by(Venue.id)
    ).scalars().all()[:3]
    for i, venue in enumerate(venues):
        db.session.add(ServiceDayVenue(service_day_id=day.id, venue_id=venue.id,
                                       kind="main" if i == 0 else "branch", radius_m=500))
    db.session.flush()
    members = db.session.execute(
        db.select(Volunteer).join(User, User.id == Volunteer.user_id)
        .where(Volunteer.status == VolunteerStatus.ACTIVE, User.openid.like("demo-vol-%"))
        .order_by(Volunteer.id).limit(40)).scalars().all()
    for i, member in enumerate(members):
        venue = venues[i % len(venues)]
        actor = load_actor(member.user_id)
        arrived = now - timedelta(minutes=120 - i)
        checkin = checkins.check_in(actor, day.id, {"venue_id": venue.id, "lat": venue.lat,
                                                    "lng": venue.lng}, now=arrived)
        if i % 3 == 0:
            checkins.check_out(actor, checkin.id, now=arrived + timedelta(minutes=90))
    return day, len(members)


def _scores(rng, high: bool) -> dict:
    return {code: most if high else max(0, most - rng.randint(0, 3))
            for code, (_, most) in STARS.items()}


def _stars(rng, home, now) -> str:
    """Reviews of the home community's members, in every state."""
    stars.open_star_period(SYSTEM, now=now)
    period = db.session.execute(db.select(StarPeriod).order_by(StarPeriod.id.desc())).scalars().first()
    members = db.session.execute(
        db.select(Volunteer).join(User, User.id == Volunteer.user_id)
        .where(Volunteer.status == VolunteerStatus.ACTIVE, Volunteer.community_id == home.id,
               User.openid.like("demo-vol-%")).order_by(Volunteer.id)).scalars().all()
    actors = [load_actor(m.user_id) for m in members[:12]]
    plan = ["approved"] * 3 + ["branch_reviewed"] * 2 + ["peer_reviewed"] * 2
    plan += ["self_assessed"] * (len(actors) - len(plan))
    secretary, street = _actor("demo-secretary"), _actor("demo-street-secretary")
    for i, (actor, target) in enumerate(zip(actors, plan)):
        review = stars.self_assess(actor, {"period": period.code, "scores": _scores(rng, i == 0),
                                           "note": "履职尽责，积极参加社区服务"}, now=now)
        if target == "self_assessed":
            continue
        for peer in [a for a in actors if a is not actor][:3]:
            stars.peer_score(peer, review.id, _scores(rng, i == 0), now=now)
        if target in ("branch_reviewed", "approved"):
            stars.branch_review(secretary, review.id, {"scores": _scores(rng, i == 0),
                                                       "comment": "支部评议通过"}, now=now)
        if target == "approved":
            stars.approve_review(street, review.id, now=now)
    return f"争六星 {period.code}: {len(actors)} reviews in every state"


def load_demo_service_system_b(rng, communities, streets) -> str:
    now = utcnow()
    home = communities[0]
    made = _projects(home, now)
    day, checked = _checkin_day(streets, communities, now)
    out = db.session.execute(db.select(db.func.count()).select_from(CheckIn).where(
        CheckIn.service_day_id == day.id, CheckIn.minutes.is_not(None))).scalar_one()
    return (f"projects: {made} in every state; service day {day.day}: {checked} check-ins "
            f"({out} checked out); {_stars(rng, home, now)}")
