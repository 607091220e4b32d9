"""Builders for the volunteer service system, part b: projects in every state, a service day
open today for check-ins, a star period with reviews (real rows, like tests/factories.py)."""
from datetime import time, timedelta

from server.checkins.models import CheckIn
from server.extensions import db
from server.identity.models import RoleGrant
from server.projects.models import Project
from server.service_days.models import ServiceDay, ServiceDayVenue, Venue
from server.stars.models import StarPeerScore, StarPeriod, StarReview, period_bounds, period_code
from server.timeutil import LOCAL_TZ, utcnow
from tests.factories import make_user, make_volunteer

FULL = {"zongzhi": 20, "zhifu": 15, "bangdai": 20, "shoufa": 15, "tuanjie": 15, "wenming": 15}
GOOD = {"zongzhi": 19, "zhifu": 14, "bangdai": 18, "shoufa": 14, "tuanjie": 13, "wenming": 14}


def add_unit_secretary(world):
    """A unit secretary of the world's first unit (linked to community A)."""
    if "unit_secretary" not in world.users:
        a = world.communities[0]
        world.units[0].community_id = a.id
        world.users["unit_secretary"] = make_user("unit_secretary", a, "周书记")
        db.session.add(RoleGrant(user_id=world.users["unit_secretary"].id,
                                 role="unit_secretary", unit_id=world.units[0].id))
        db.session.flush()
    return world.users["unit_secretary"]


def make_project(world, status="open", claimer="volunteer", unit=False, community=None,
                 **extra) -> Project:
    community = community or world.communities[0]
    now = utcnow()
    project = Project(title=extra.pop("title", "楼道清理"), description="清理楼道堆放杂物",
                      category="environment", community_id=community.id,
                      address=extra.pop("address", "甲路1号3单元"), lat=community.lat,
                      lng=community.lng, status=status, created_by=world.users["secretary"].id,
                      created_at=now, updated_at=now, **extra)
    if status in ("claimed", "done"):
        if unit:
            add_unit_secretary(world)
            project.claimed_unit_id, project.claimed_by = (world.units[0].id,
                                                           world.users["unit_secretary"].id)
        else:
            project.claimed_volunteer_id = world.volunteers[claimer].id
            project.claimed_by = world.volunteers[claimer].user_id
        project.claimed_at = now
    if status == "done":
        project.progress, project.done_at = 100, project.done_at or now
    db.session.add(project)
    db.session.flush()
    return project


def make_checkin_day(world, days=0, opens=time(0), closes=time(23, 59, 59), radius_m=300):
    """A service day of street 1 (today by default, open all day) at a venue in community A."""
    a = world.communities[0]
    # Reuse community A's first venue when the order world made one, so its id is stable (1).
    venue = db.session.execute(db.select(Venue).where(Venue.community_id == a.id)
                               .order_by(Venue.id)).scalars().first()
    if venue is None:
        venue = Venue(name="甲社区党群服务中心", community_id=a.id, lat=a.lat, lng=a.lng)
        db.session.add(venue)
    day = ServiceDay(title="党员义务奉献日", street_id=world.streets[0].id,
                     day=utcnow().astimezone(LOCAL_TZ).date() + timedelta(days=days),
                     opens_at=opens, closes_at=closes)
    db.session.add(day)
    db.session.flush()
    db.session.add(ServiceDayVenue(service_day_id=day.id, venue_id=venue.id, kind="main",
                                   radius_m=radius_m))
    db.session.flush()
    return day, venue


def current_period() -> str:
    return period_code(utcnow().astimezone(LOCAL_TZ).date())


def make_period(code=None) -> StarPeriod:
    code = code or current_period()
    period = db.session.execute(db.select(StarPeriod).filter_by(code=code)).scalar_one_or_none()
    if period is None:
        starts, ends = period_bounds(code)
        period = StarPeriod(code=code, starts_on=starts, ends_on=ends, status="open")
        db.session.add(period)
        db.session.flush()
    return period


def add_peers(world, n=3):
    """Extra active volunteers of community A (peers of the branch)."""
    a = world.communities[0]
    for i in range(n):
        key = f"peer{i}"
        if key not in world.volunteers:
            world.users[key] = make_user(key, a, f"同志{i}")
            world.volunteers[key] = make_volunteer(world.users[key], a)
    return [f"peer{i}" for i in range(n)]


def make_review(world, who="volunteer", status="self_assessed", period=None,
                scores=None) -> StarReview:
    period = period or make_period()
    volunteer = world.volunteers[who]
    scores = scores or GOOD
    review = StarReview(period_id=period.id, volunteer_id=volunteer.id,
                        community_id=volunteer.community_id, status=status, self_scores=scores,
                        self_total=sum(scores.values()), evidence={"points": 0})
    if status in ("branch_reviewed", "approved"):
        review.branch_scores, review.branch_total = scores, sum(scores.values())
        review.branch_reviewer_id = world.users["secretary"].id
    if status == "approved":
        review.approver_id, review.commended = (world.users["street_secretary"].id,
                                                sum(scores.values()) >= 95)
    db.session.add(review)
    db.session.flush()
    if status != "self_assessed":
        for key in add_peers(world):
            db.session.add(StarPeerScore(review_id=review.id,
                                         scorer_volunteer_id=world.volunteers[key].id,
                                         scorer_user_id=world.users[key].id, scores=scores,
                                         total=sum(scores.values())))
        review.peer_count, review.peer_average = 3, float(sum(scores.values()))
        db.session.flush()
    return review


PROJECT_FOR = {"claims": "open", "updates": "claimed", "cancel": "open", "confirm": "done"}
REVIEW_FOR = {"peer-scores": "self_assessed", "branch-review": "peer_reviewed",
              "approve": "branch_reviewed"}


def system_b_placeholders(world, template: str) -> dict:
    """Path values for the role matrix; the data is made (and committed) once per world."""
    if not hasattr(world, "system_b_ids"):
        add_unit_secretary(world)
        projects = {s: make_project(world, status=s) for s in ("open", "claimed", "done")}
        day, venue = make_checkin_day(world)
        checkin = CheckIn(service_day_id=day.id, venue_id=venue.id, status="checked_in",
                          volunteer_id=world.volunteers["volunteer2"].id,
                          community_id=world.volunteers["volunteer2"].community_id,
                          checked_in_at=utcnow() - timedelta(hours=1))
        db.session.add(checkin)
        period = make_period()
        reviews = {s: make_review(world, who=who, status=s, period=period) for s, who in (
            ("self_assessed", "volunteer"), ("peer_reviewed", "volunteer2"),
            ("branch_reviewed", "applicant"), ("approved", "volunteer_b"))}
        db.session.commit()
        world.system_b_ids = {"projects": {k: p.id for k, p in projects.items()},
                              "day": day.id, "period": period.code, "checkin": checkin.id,
                              "reviews": {k: r.id for k, r in reviews.items()}}
    ids = world.system_b_ids
    action = template.rsplit("/", 1)[-1]
    return {"project_id": ids["projects"][PROJECT_FOR.get(action, "claimed")],
            "day_id": ids["day"], "code": ids["period"], "checkin_id": ids["checkin"],
            "review_id": ids["reviews"][REVIEW_FOR.get(action, "self_assessed")]}
