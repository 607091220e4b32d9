"""The demo district: one street of ten communities with grids, units, a few hundred volunteers
whose homes spread over the district, residents, and a login for each role."""
import math
import random

from ..extensions import db
from ..identity.models import Community, Consent, District, Grid, RoleGrant, Skill, Street, Unit, User
from ..volunteers.models import Volunteer
from . import data
from .data import DEMO_LOGINS  # noqa: F401  (re-exported for the CLI)

METRES_PER_DEG_LAT = 111_320.0


def demo_loaded() -> bool:
    return db.session.execute(db.select(District.id).limit(1)).first() is not None


def _offset(lat, lng, rng, sigma_m):
    """A point around (lat, lng), normally spread with sigma_m metres."""
    dy, dx = rng.gauss(0, sigma_m), rng.gauss(0, sigma_m)
    return (round(lat + dy / METRES_PER_DEG_LAT, 6),
            round(lng + dx / (METRES_PER_DEG_LAT * math.cos(math.radians(lat))), 6))


def _name(rng):
    return rng.choice(data.SURNAMES) + rng.choice(data.GIVEN)


def _phone(rng):
    return rng.choice(["138", "139", "137", "158", "186", "189"]) + f"{rng.randrange(10**8):08d}"


def _address(rng, community_name):
    return f"{rng.choice(data.ROADS)}{rng.randint(1, 120)}号{rng.randint(1, 6)}幢{rng.randint(1, 6)}0{rng.randint(1, 4)}室"


def _availability(rng):
    patterns = [
        [(5, "09:00", "12:00"), (6, "09:00", "12:00")],
        [(5, "14:00", "17:00")],
        [(d, "18:30", "21:00") for d in rng.sample(range(5), 2)],
        [(6, "08:30", "11:30"), (2, "19:00", "21:00")],
        [(d, "09:00", "11:00") for d in range(7)],  # retired members: every morning
    ]
    return [{"weekday": d, "start": s, "end": e} for d, s, e in rng.choice(patterns)]


def _org_tree(rng):
    district = District(**data.DISTRICT)
    db.session.add(district)
    db.session.flush()
    streets, communities = [], []
    for street_name, rows in ((data.STREET, data.COMMUNITIES),
                              (data.OTHER_STREET, data.OTHER_COMMUNITIES)):
        street = Street(name=street_name, district_id=district.id)
        db.session.add(street)
        db.session.flush()
        streets.append(street)
        for name, lat, lng in rows:
            community = Community(name=name, street_id=street.id, lat=lat, lng=lng)
            db.session.add(community)
            communities.append(community)
    db.session.flush()
    for community in communities:
        for n in range(1, rng.randint(3, 5)):
            db.session.add(Grid(name=f"{community.name[:-2]}第{n}网格", community_id=community.id))
    return district, streets, communities


def _user(rng, openid, community, name=None, **extra):
    lat, lng = _offset(community.lat, community.lng, rng, 300)
    user = User(openid=openid, name=name or _name(rng), phone=_phone(rng),
                phone_verified_via="wechat",  # demo residents bound their phone through WeChat
                address=_address(rng, community.name), lat=lat, lng=lng,
                community_id=community.id, **extra)
    db.session.add(user)
    return user


def _volunteer(rng, user, community, units, catalogue, status="active", **extra):
    # Homes spread over the district (members report where they live, work anywhere).
    lat, lng = _offset(community.lat, community.lng, rng, 1500)
    fields = dict(
        skills=sorted(rng.sample(catalogue, rng.randint(1, 3))), availability=_availability(rng),
        capacity_per_day=rng.choice([1, 2, 2, 2, 3]), max_distance_m=rng.choice([2000, 3000, 5000]),
        lat=lat, lng=lng)
    fields.update(extra)
    volunteer = Volunteer(user=user, status=status, community_id=community.id,
                          unit_id=rng.choice(units).id, **fields)
    db.session.add(volunteer)
    return volunteer


def _grant_subscriptions(rng) -> str:
    """Subscribe-message grants in the fake WeChat: the demo logins accept every template, most
    other users some, the rest none (their messages end as refused, 43101, as in real life)."""
    from ..notifications.services import TEMPLATES
    from ..wechat.db_state import DatabaseFakeState
    templates = sorted({template for template, _, _ in TEMPLATES.values()})
    state, granted = DatabaseFakeState(), 0
    for user in db.session.execute(db.select(User).order_by(User.id)).scalars():
        demo_login = not user.openid.startswith(("demo-vol-", "demo-res-"))
        if demo_login or rng.random() < 0.7:
            for template in templates:
                state.add_grant(user.openid, template, 20 if demo_login else 3)
            granted += 1
    return f"fake WeChat: {granted} users accepted subscribe messages"


def load_demo(seed: int = 20261122, progress=lambda msg: None) -> str:
    """Create the demo district from nothing (deterministic for a seed)."""
    rng = random.Random(seed)
    for code, name, category in data.SKILLS:
        db.session.add(Skill(code=code, name=name, category=category))
    units = [Unit(name=n, kind=k) for n, k in data.UNITS]
    db.session.add_all(units)
    district, streets, communities = _org_tree(rng)
    progress(f"org tree: 1 district, {len(streets)} streets, {len(communities)} communities")
    skills = [code for code, _, _ in data.SKILLS]
    home = communities[0]

    _user(rng, "demo-resident", home, "王秀英")
    vol_user = _user(rng, "demo-volunteer", home, "李建国")
    _volunteer(rng, vol_user, home, units, skills, skills=["appliance_repair", "lamp_fix", "plumbing"],
               lat=round(home.lat + 0.004, 6), lng=round(home.lng + 0.003, 6), max_distance_m=5000,
               availability=[{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(7)])
    secretary = _user(rng, "demo-secretary", home, "陈丽华")
    street_sec = _user(rng, "demo-street-secretary", home, "周海燕")
    admin = _user(rng, "demo-admin", home, "赵志强")
    applicant = _user(rng, "demo-applicant", home, "孙敏")
    db.session.flush()
    db.session.add_all([
        RoleGrant(user_id=secretary.id, role="secretary", community_id=home.id),
        RoleGrant(user_id=street_sec.id, role="secretary", street_id=streets[0].id),
        RoleGrant(user_id=admin.id, role="admin", district_id=district.id)])
    _volunteer(rng, applicant, home, units, skills, status="pending")

    statuses = ["active"] * 90 + ["pending"] * 6 + ["rejected"] * 2 + ["left"] * 2
    for i in range(320):
        community = communities[i % len(communities)]
        user = _user(rng, f"demo-vol-{i:03d}", community)
        _volunteer(rng, user, community, units, skills, status=rng.choice(statuses))
    for i in range(240):
        tier = rng.choice([None] * 8 + [1, 2, 3]) if i % 4 == 0 else None
        user = _user(rng, f"demo-res-{i:03d}", communities[i % len(communities)], need_tier=tier)
        if tier is not None:  # a need tier is only ever stored with its own consent
            db.session.flush()
            db.session.add(Consent(user_id=user.id, purpose="hardship", policy_version="2026-11"))
    db.session.flush()
    progress("users: 320 volunteers, 240 residents, 6 demo logins")
    from .wishes import load_demo_wishes
    wishes = load_demo_wishes(rng, communities)
    progress(f"wishes: {wishes} in every state, with claims and points")
    from .orders import load_demo_orders
    progress(load_demo_orders(rng, communities, streets))
    progress(_grant_subscriptions(rng))
    return (f"demo district loaded: {district.city}{district.name} {streets[0].name}, "
            f"{len(communities)} communities, 321 volunteers, 240 residents")
