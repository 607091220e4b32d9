"""Builders for test data (real rows in the real database, no mocks)."""
from dataclasses import dataclass, field

from server.extensions import db
from server.identity.models import Community, District, RoleGrant, Skill, Street, Unit, User
from server.volunteers.models import Volunteer

SKILLS = [("appliance_repair", "电器维修"), ("haircut", "理发"), ("health_check", "健康检查"),
          ("legal_advice", "法律咨询"), ("errands", "代购跑腿")]


@dataclass
class World:
    district: District
    streets: list
    communities: list
    units: list
    users: dict = field(default_factory=dict)
    volunteers: dict = field(default_factory=dict)
    wishes: dict = field(default_factory=dict)


def make_user(openid, community, name="测试用户", phone="13812345678", address="测试路1号",
              **extra) -> User:
    extra.setdefault("phone_verified_via", "wechat" if phone else None)  # as if from /me/phone
    user = User(openid=openid, name=name, phone=phone, address=address,
                lat=community.lat, lng=community.lng, community_id=community.id, **extra)
    db.session.add(user)
    db.session.flush()
    return user


def make_volunteer(user, community, status="active", skills=("appliance_repair",), **extra):
    volunteer = Volunteer(user_id=user.id, status=status, community_id=community.id,
                          skills=list(skills), capacity_per_day=2, lat=community.lat,
                          lng=community.lng,
                          availability=[{"weekday": d, "start": "08:00", "end": "20:00"}
                                        for d in range(7)], **extra)
    db.session.add(volunteer)
    db.session.flush()
    return volunteer


def build_world() -> World:
    for code, name in SKILLS:
        db.session.add(Skill(code=code, name=name, category="测试"))
    district = District(name="测试区", city="杭州市")
    db.session.add(district)
    db.session.flush()
    streets = [Street(name=f"测试街道{i}", district_id=district.id) for i in (1, 2)]
    db.session.add_all(streets)
    db.session.flush()
    communities = [Community(name="甲社区", street_id=streets[0].id, lat=30.2968, lng=120.1523),
                   Community(name="乙社区", street_id=streets[0].id, lat=30.2931, lng=120.1587),
                   Community(name="丙社区", street_id=streets[1].id, lat=30.3105, lng=120.1702)]
    db.session.add_all(communities)
    units = [Unit(name="区委组织部机关党支部"), Unit(name="区人民医院党委")]
    db.session.add_all(units)
    db.session.flush()
    a, b, c = communities
    w = World(district, streets, communities, units)
    w.users["resident"] = make_user("resident", a, "王秀英", "13811112222", "甲路1号")
    w.users["resident2"] = make_user("resident2", a, "张伟", "13933334444", "甲路2号")
    w.users["resident_b"] = make_user("resident_b", b, "刘芳", "13755556666", "乙路3号")
    for key, community in (("volunteer", a), ("volunteer2", a), ("volunteer_b", b)):
        w.users[key] = make_user(key, community, "李建国" if key == "volunteer" else "赵敏")
        w.volunteers[key] = make_volunteer(w.users[key], community)
    w.users["applicant"] = make_user("applicant", a, "孙敏")
    w.volunteers["applicant"] = make_volunteer(w.users["applicant"], a, status="pending")
    w.users["applicant_b"] = make_user("applicant_b", b, "钱多")
    w.volunteers["applicant_b"] = make_volunteer(w.users["applicant_b"], b, status="pending")
    for key, community, grant in (("secretary", a, {"community_id": a.id}),
                                  ("secretary_b", b, {"community_id": b.id}),
                                  ("street_secretary", a, {"street_id": streets[0].id}),
                                  ("admin", a, {"district_id": district.id})):
        w.users[key] = make_user(key, community, "陈书记")
        db.session.add(RoleGrant(user_id=w.users[key].id,
                                 role="admin" if key == "admin" else "secretary", **grant))
    db.session.flush()
    add_wishes(w)
    add_matching_run(w)
    return w


def make_wish(world, owner="resident", status="open", claimer=None, community=None, **extra):
    """A wish in any state, with the claim row its state implies."""
    from server.timeutil import utcnow
    from server.wishes.models import Wish, WishClaim
    user = world.users[owner]
    community = community or next(c for c in world.communities if c.id == user.community_id)
    wish = Wish(owner_id=user.id, community_id=community.id, title=extra.pop("title", "修台灯"),
                description=extra.pop("description", "家里台灯坏了，想请人帮忙修一下"),
                category=extra.pop("category", "repair"), skills=extra.pop("skills", []),
                lat=community.lat, lng=community.lng, address=user.address, status=status,
                content_check="pass", **extra)
    if claimer is not None:
        wish.claimed_by, wish.claimed_at = world.volunteers[claimer].id, utcnow()
    db.session.add(wish)
    db.session.flush()
    if claimer is not None:
        db.session.add(WishClaim(wish_id=wish.id, volunteer_id=world.volunteers[claimer].id,
                                 status="active" if status in ("claimed", "fulfilled") else "done"))
        db.session.flush()
    return wish


def add_wishes(world) -> dict:
    world.wishes = {
        "pending": make_wish(world, status="pending_review"),
        "open": make_wish(world, status="open"),
        "claimed": make_wish(world, status="claimed", claimer="volunteer"),
        "fulfilled": make_wish(world, status="fulfilled", claimer="volunteer"),
        "open_b": make_wish(world, owner="resident_b", status="open"),
    }
    return world.wishes


def add_matching_run(world):
    """A finished run over community A proposing volunteer2 for the open wish."""
    from server.matching_runs.models import MatchingRun, MatchProposal
    a = world.communities[0]
    run = MatchingRun(community_id=a.id, status="done", stats={"tasks": 1, "volunteers": 3,
                                                               "matched": 1, "unmatched": 0})
    db.session.add(run)
    db.session.flush()
    proposal = MatchProposal(run_id=run.id, task_type="wish", task_id=world.wishes["open"].id,
                             community_id=a.id, volunteer_id=world.volunteers["volunteer2"].id,
                             distance_m=120, score=120, reasons=["距离 0.1 公里"])
    db.session.add(proposal)
    db.session.flush()
    world.run, world.proposal = run, proposal
    return run
