"""The demo district: one street of ten communities with grids, units, a few hundred volunteers
whose homes spread over the district, residents, and a login for each role."""
import random

from matching import geo

from ..extensions import db
from ..identity.actor import SYSTEM
from ..identity.models import Community, District, RoleGrant, Skill, User
from ..notifications.services import TEMPLATES
from ..org.services import create_org
from ..wechat.db_state import DatabaseFakeState
from . import data
from .care import load_demo_care  # care fund and casework
from .data import DEMO_LOGINS  # noqa: F401  (re-exported for the CLI)
from .donations import load_demo_donations
from .history import load_demo_history  # the reports' snapshot history (issue 13)
from .orders import load_demo_orders
from .rosters import STATUS_TEXT, availability_text, import_rows
from .service_system_a import load_demo_service_system_a  # volunteer service system (16a)
from .service_system_b import load_demo_service_system_b  # volunteer service system, part b
from .wishes import load_demo_wishes


def demo_loaded() -> bool:
    return db.session.execute(db.select(District.id).limit(1)).first() is not None


def _offset(lat, lng, rng, sigma_m):
    """A point around (lat, lng), normally spread with sigma_m metres."""
    dy, dx = rng.gauss(0, sigma_m), rng.gauss(0, sigma_m)
    north, east = geo.offset(lat, lng, dy, dx)
    return round(north, 6), round(east, 6)


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
    """District and streets by the admin service; communities through the importer; grids."""
    district = District(**data.DISTRICT)
    db.session.add(district)
    db.session.flush()
    streets = [create_org(SYSTEM, "streets", {"name": name, "district_id": district.id})
               for name in (data.STREET, data.OTHER_STREET)]
    import_rows("communities", [
        {"street": street_name, "name": name, "lat": lat, "lng": lng}
        for street_name, rows in ((data.STREET, data.COMMUNITIES),
                                  (data.OTHER_STREET, data.OTHER_COMMUNITIES))
        for name, lat, lng in rows])
    communities = db.session.execute(db.select(Community).order_by(Community.id)).scalars().all()
    for community in communities:
        for n in range(1, rng.randint(3, 5)):
            create_org(SYSTEM, "grids", {"name": f"{community.name[:-2]}第{n}网格",
                                         "community_id": community.id})
    return district, streets, communities


def _person(rng, openid, community, name=None, **extra) -> dict:
    """A roster row (resident or volunteer) of someone living around the community's centre."""
    lat, lng = _offset(community.lat, community.lng, rng, 300)
    return {"openid": openid, "name": name or _name(rng), "phone": _phone(rng),
            "street": community.street.name,
            "community": community.name, "address": _address(rng, community.name),
            "lat": lat, "lng": lng, **extra}


def _volunteer_row(rng, person, community, units, catalogue, status="active", **extra) -> dict:
    # Homes spread over the district (members report where they live, work anywhere).
    lat, lng = _offset(community.lat, community.lng, rng, 1500)
    skill_names = dict((code, name) for code, name, _ in data.SKILLS)
    skills = extra.pop("skills", None) or sorted(rng.sample(catalogue, rng.randint(1, 3)))
    row = dict(person, skills="、".join(skill_names[s] for s in skills),
               availability=availability_text(extra.pop("availability", None)
                                              or _availability(rng)),
               capacity_per_day=rng.choice([1, 2, 2, 2, 3]),
               max_distance_m=rng.choice([2000, 3000, 5000]), lat=lat, lng=lng,
               unit=rng.choice(units), status=STATUS_TEXT[status])
    row.update(extra)
    return row


def _grant_demo_roles(district, streets, home) -> None:
    """The first grants, as `flask --app server users grant` makes them in a real district."""
    users = dict(db.session.execute(db.select(User.openid, User.id).where(User.openid.in_(
        ["demo-secretary", "demo-street-secretary", "demo-admin"]))).all())
    db.session.add_all([
        RoleGrant(user_id=users["demo-secretary"], role="secretary", community_id=home.id),
        RoleGrant(user_id=users["demo-street-secretary"], role="secretary",
                  street_id=streets[0].id),
        RoleGrant(user_id=users["demo-admin"], role="admin", district_id=district.id)])
    db.session.flush()


def _grant_subscriptions(rng) -> str:
    """Subscribe-message grants in the fake WeChat: the demo logins accept every template, most
    other users some, the rest none (their messages end as refused, 43101, as in real life)."""
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
    """Create the demo district from nothing (deterministic for a seed), loading its org tree,
    units, volunteers and residents through the Excel importer."""
    rng = random.Random(seed)
    for code, name, category in data.SKILLS:
        db.session.add(Skill(code=code, name=name, category=category))
    district, streets, communities = _org_tree(rng)
    import_rows("units", [{"name": n, "kind": k} for n, k in data.UNITS])
    progress(f"org tree: 1 district, {len(streets)} streets, {len(communities)} communities "
             f"(imported from workbooks)")
    skills = [code for code, _, _ in data.SKILLS]
    units = [n for n, _ in data.UNITS]
    home = communities[0]

    residents = [_person(rng, "demo-resident", home, "王秀英")]
    volunteers = [_volunteer_row(
        rng, _person(rng, "demo-volunteer", home, "李建国"), home, units, skills,
        skills=["appliance_repair", "lamp_fix", "plumbing"], max_distance_m=5000,
        lat=round(home.lat + 0.004, 6), lng=round(home.lng + 0.003, 6),
        availability=[{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(7)])]
    for openid, name in (("demo-secretary", "陈丽华"), ("demo-street-secretary", "周海燕"),
                         ("demo-admin", "赵志强")):
        residents.append(_person(rng, openid, home, name))
    volunteers.append(_volunteer_row(rng, _person(rng, "demo-applicant", home, "孙敏"), home,
                                     units, skills, status="pending"))
    statuses = ["active"] * 90 + ["pending"] * 6 + ["rejected"] * 2 + ["left"] * 2
    for i in range(320):
        community = communities[i % len(communities)]
        volunteers.append(_volunteer_row(rng, _person(rng, f"demo-vol-{i:03d}", community),
                                         community, units, skills, status=rng.choice(statuses)))
    for i in range(240):
        tier = rng.choice([None] * 8 + [1, 2, 3]) if i % 4 == 0 else None
        # a need tier is only ever stored with its own consent (the consent column says so)
        residents.append(_person(rng, f"demo-res-{i:03d}", communities[i % len(communities)],
                                 need_tier=tier, hardship_consent="是" if tier else "否"))
    import_rows("residents", residents, {r["phone"]: r["openid"] for r in residents})
    import_rows("volunteers", volunteers, {r["phone"]: r["openid"] for r in volunteers})
    _grant_demo_roles(district, streets, home)
    progress("users: 320 volunteers, 240 residents, 6 demo logins (imported from workbooks)")
    wishes = load_demo_wishes(rng, communities)
    progress(f"wishes: {wishes} in every state, with claims and points")
    progress(load_demo_orders(rng, communities, streets))
    progress(load_demo_service_system_a(rng, communities))  # volunteer service system (16a)
    # donations and the love supermarket (issue 14): its own random stream
    progress(load_demo_donations(random.Random(seed + 14), communities, streets))
    progress(load_demo_care(rng, communities))  # care fund and casework
    progress(load_demo_service_system_b(rng, communities, streets))
    progress(_grant_subscriptions(rng))
    # the reports' snapshot history (issue 13), last: it counts the live rows above
    progress(load_demo_history(random.Random(seed + 13), communities))
    return (f"demo district loaded: {district.city}{district.name} {streets[0].name}, "
            f"{len(communities)} communities, 321 volunteers, 240 residents")
