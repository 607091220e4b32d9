"""The demo service menu (点单): offerings of volunteers and units with slots around the demo
street, bookings in every state (with points for the rated ones), home visits waiting for the
matching engine, and the street's 党员义务奉献日 next Saturday with its venues and stalls."""
from datetime import date, datetime, timedelta

from ..extensions import db
from ..identity.models import Unit, User
from ..orders.models import ServiceOffering, ServiceOrder, ServiceSlot
from ..points.services import credit_points
from ..service_days.models import ServiceDay, ServiceDayVenue, Stall, Venue
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer

# (name, community index, address)
VENUES = [
    ("米市巷街道党群服务中心", 3, "米市巷88号"),
    ("卖鱼桥社区党群服务中心", 0, "卖鱼桥直街12号"),
    ("卖鱼桥社区卫生服务站", 0, "湖墅南路302号"),
    ("左家新村社区党群服务站", 1, "左家新村31幢底楼"),
    ("大兜路社区文化家园", 4, "大兜路98号"),
]
# key: (title, category, skills, mode, venue index or None, unit name or None, description)
MENU = {
    "repair": ("家电维修上门", "repair", ["appliance_repair"], "home", None, None,
               "冰箱、洗衣机、电视、空调常见故障，上门检修，零件费用自理"),
    "haircut": ("周六义务理发", "daily", ["haircut"], "venue", 1, None,
                "老党员理发师义务理发，老人、残疾人优先"),
    "pressure": ("免费量血压", "health", ["blood_pressure"], "venue", 2, "区人民医院党委",
                 "区人民医院党员医生量血压、测血糖，解读体检报告"),
    "legal": ("法律咨询", "legal", ["legal_advice"], "venue", 0, "区司法局党支部",
              "租房合同、赡养纠纷、劳动争议等法律问题面对面咨询"),
    "calligraphy": ("书法春联", "culture", ["calligraphy"], "venue", 4, None,
                    "现场书写春联和福字，免费赠送"),
    "phone": ("手机使用教学", "study", ["phone_help"], "venue", 3, "区第二实验小学党支部",
              "教老人用手机挂号、视频通话、防范电信诈骗"),
    "plumbing": ("水电维修上门", "repair", ["plumbing"], "home", None, "城区供电公司党委",
                 "水龙头、灯具、插座、电路小故障上门维修"),
    "care": ("助老陪护", "care", ["elder_care"], "home", None, None,
             "陪同就医、代配药、上门陪伴聊天"),
    "clinic": ("社区义诊", "health", ["health_check"], "venue", 2, "社区卫生服务中心党支部",
               "全科医生义诊，由社区按报名情况安排党员医生"),
}
# (title-ish note, category, skills, days ahead, start hour) — home visits with no chosen provider
VISITS = [
    ("洗衣机不脱水", "repair", ["appliance_repair"], 2, 9), ("卫生间灯不亮", "repair", ["lamp_fix"], 2, 14),
    ("老人想在家量血压", "health", ["blood_pressure"], 3, 9), ("水管接口漏水", "repair", ["plumbing"], 3, 14),
    ("想学用手机视频", "study", ["phone_help"], 4, 14), ("陪同去医院复查", "care", ["elder_care"], 5, 8),
    ("冰箱不制冷", "repair", ["appliance_repair"], 4, 9), ("帮忙搬旧家具", "daily", ["moving"], 6, 9),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def _next(today: date, weekday: int) -> date:
    """The next given weekday strictly after today (Saturday = 5)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _slots(plan: str, today: date) -> list[tuple[datetime, int, int]]:
    """(start, minutes, capacity) of each slot; past ones carry the offering's history."""
    sat, last_sat = _next(today, 5), _next(today, 5) - timedelta(days=7)
    days = [today + timedelta(days=d) for d in range(1, 11)]
    plans = {
        "repair": [(_at(d, 14), 120, 1) for d in [today - timedelta(days=3)] + days],
        "haircut": [(_at(d, 8, 30) + timedelta(minutes=30 * i), 30, 2)
                    for d in (last_sat, sat) for i in range(6)],
        "pressure": [(_at(_next(today, 1), 8), 120, 20), (_at(_next(today, 3), 8), 120, 20),
                     (_at(sat, 8), 180, 30), (_at(last_sat, 8), 180, 30)],
        "legal": [(_at(sat, 9), 120, 6), (_at(sat, 14), 120, 6),
                  (_at(_next(today, 2), 19), 120, 4)],
        "calligraphy": [(_at(sat, 9), 120, 10)],
        "phone": [(_at(sat, 14), 120, 8), (_at(last_sat, 14), 120, 8)],
        "plumbing": [(_at(d, 9), 120, 1) for d in days[:7]],
        "care": [(_at(d, 9), 120, 1) for d in days[1:8:2]],
        "clinic": [(_at(_next(today, 4), 8, 30), 150, 25)],
    }
    return plans[plan]


def _venues(communities, user_id: int) -> list[Venue]:
    venues = [Venue(name=name, address=address, community_id=communities[i].id,
                    lat=communities[i].lat, lng=communities[i].lng, created_by=user_id)
              for name, i, address in VENUES]
    db.session.add_all(venues)
    db.session.flush()
    return venues


def _provider(rng, skills, unit_id=None, openid=None) -> Volunteer:
    """An active volunteer (of the unit, if given) who is given the offering's skills."""
    query = db.select(Volunteer).join(User, User.id == Volunteer.user_id).filter(
        Volunteer.status == "active")
    if openid:
        query = query.where(User.openid == openid)
    elif unit_id:
        query = query.where(Volunteer.unit_id == unit_id)
    volunteer = rng.choice(db.session.execute(query.order_by(Volunteer.id)).scalars().all())
    volunteer.skills = sorted(set(volunteer.skills) | set(skills))
    return volunteer


def _offer(rng, key, today, venues, users) -> ServiceOffering:
    title, category, skills, mode, venue_i, unit_name, description = MENU[key]
    unit = (db.session.execute(db.select(Unit).filter_by(name=unit_name)).scalar_one()
            if unit_name else None)
    provider = None if key == "clinic" else _provider(
        rng, skills, unit.id if unit else None, "demo-volunteer" if key == "repair" else None)
    venue = venues[venue_i] if venue_i is not None else None
    place = venue or provider
    community_id = venue.community_id if venue else provider.community_id
    offering = ServiceOffering(
        title=title, category=category, skills=skills, mode=mode, description=description,
        venue=venue.name if venue else None, venue_id=venue.id if venue else None,
        community_id=community_id, lat=place.lat, lng=place.lng, provider=provider,
        unit_id=unit.id if unit else None, status="active",
        # Units publish through the street's secretary (代单位发布).
        publisher_id=users["demo-street-secretary"] if unit else provider.user_id,
        created_at=utcnow() - timedelta(days=14), updated_at=utcnow() - timedelta(days=14))
    offering.slots = [ServiceSlot(start_at=start, end_at=start + timedelta(minutes=minutes),
                                  capacity=capacity, booked=0)
                      for start, minutes, capacity in _slots(key, today)]
    db.session.add(offering)
    return offering


def _book(offering: ServiceOffering, slot: ServiceSlot, resident: User, status: str,
          now: datetime, rating: int | None = None) -> ServiceOrder:
    home = offering.mode == "home"
    created = min(now, slot.start_at) - timedelta(days=2)
    order = ServiceOrder(
        kind="slot", mode=offering.mode, offering_id=offering.id, slot=slot,
        resident_id=resident.id, community_id=offering.community_id,
        provider_id=offering.provider_id, category=offering.category, skills=offering.skills,
        window_start=slot.start_at, window_end=slot.end_at,
        duration_min=int((slot.end_at - slot.start_at).total_seconds() // 60),
        lat=resident.lat if home else offering.lat, lng=resident.lng if home else offering.lng,
        status=status, created_at=created, updated_at=created)
    if status != "cancelled":
        slot.booked += 1
    if status in ("accepted", "done", "rated", "no_show"):
        order.accepted_at = created + timedelta(hours=2)
    if status in ("done", "rated"):
        order.done_at = slot.end_at
        order.completion_note = "已按时完成服务"
    if status in ("cancelled", "no_show"):
        order.closed_at, order.closed_by = created + timedelta(days=1), resident.id
        order.close_reason = "临时有事去不了" if status == "cancelled" else "居民未到场"
    db.session.add(order)
    if status == "rated":
        order.rated_at, order.rating = slot.end_at + timedelta(hours=3), rating
        order.comment = "服务很好，谢谢志愿者！"
        db.session.flush()
        credit_points(order.provider_id, "order_completed", "order", order.id, now=order.rated_at)
        if rating == 5:
            credit_points(order.provider_id, "order_rating_bonus", "order", order.id,
                          now=order.rated_at)
    return order


def _bookings(rng, offerings, residents, now) -> int:
    """Book about a third of each venue slot (more in the past), and some home slots."""
    count = 0
    for offering in offerings:
        for slot in offering.slots:
            past = slot.end_at < now
            if offering.mode == "home":
                wanted = 1 if past or rng.random() < 0.3 else 0
            else:
                wanted = max(1, int(slot.capacity * (0.6 if past else 0.3)))
            for resident in rng.sample(residents, min(wanted, slot.capacity)):
                status = (rng.choice(["rated"] * 6 + ["done", "no_show", "cancelled"]) if past
                          else rng.choice(["requested", "requested", "accepted"]))
                if offering.provider_id is None and status != "cancelled":
                    status = "requested" if not past else "cancelled"
                _book(offering, slot, resident, status, now, rng.choice([4, 5, 5, 5]))
                count += 1
    return count


def _visits(rng, residents, today, now) -> int:
    for i, (note, category, skills, days, hour) in enumerate(VISITS):
        resident = residents[i]
        start = _at(today + timedelta(days=days), hour)
        db.session.add(ServiceOrder(
            kind="visit", mode="home", resident_id=resident.id, community_id=resident.community_id,
            category=category, skills=skills, note=note, window_start=start,
            window_end=start + timedelta(hours=3), duration_min=60, lat=resident.lat,
            lng=resident.lng, status="requested",
            created_at=now - timedelta(hours=rng.randint(2, 60)),
            updated_at=now))
    return len(VISITS)


def _service_day(streets, venues, offerings, today, user_id) -> ServiceDay:
    sat = _next(today, 5)
    day = ServiceDay(title=f"{streets[0].name}党员义务奉献日", day=sat, street_id=streets[0].id,
                     description="在职党员回社区报到，理发、量血压、法律咨询、书法春联、手机教学，"
                                 "居民在小程序点单，现场服务", created_by=user_id)
    db.session.add(day)
    stalls = {0: ["legal"], 1: ["haircut"], 2: ["pressure"], 3: ["phone"], 4: ["calligraphy"]}
    for i, venue in enumerate(venues):
        day_venue = ServiceDayVenue(venue=venue, kind="main" if i == 0 else "branch")
        day.venues.append(day_venue)
        for key in stalls[i]:
            day_venue.stalls.append(Stall(offering_id=offerings[key].id))
    return day


def load_demo_orders(rng, communities, streets) -> str:
    """Create the demo menu, bookings, waiting home visits and next Saturday's service day."""
    now = utcnow()
    today = now.astimezone(LOCAL_TZ).date()
    users = dict(db.session.execute(db.select(User.openid, User.id).where(
        User.openid.like("demo-%"), ~User.openid.like("demo-vol-%"))).all())
    venues = _venues(communities, users["demo-street-secretary"])
    offerings = {key: _offer(rng, key, today, venues, users) for key in MENU}
    db.session.flush()
    residents = db.session.execute(db.select(User).where(
        User.openid.like("demo-res-%"), User.community_id.in_([c.id for c in communities[:5]]))
        .order_by(User.id)).scalars().all()
    # The demo volunteer's own repair slots stay free for the walkthrough (book, accept, rate),
    # except the history and tomorrow's, which a neighbour has booked.
    repair = offerings.pop("repair")
    me = db.session.get(User, users["demo-resident"])
    _book(repair, repair.slots[0], me, "rated", now, 5)
    _book(repair, repair.slots[1], residents[0], "accepted", now)
    # A visit under way (began half an hour ago): the only kind an order can be completed in.
    under_way = ServiceSlot(start_at=now - timedelta(minutes=30), end_at=now + timedelta(hours=2),
                            capacity=1, booked=0)
    repair.slots.append(under_way)
    _book(repair, under_way, me, "accepted", now)
    booked = 3 + _bookings(rng, list(offerings.values()), residents, now)
    offerings["repair"] = repair
    visits = _visits(rng, [me] + residents[1:], today, now)
    day = _service_day(streets, venues, offerings, today, users["demo-street-secretary"])
    db.session.flush()
    slots = sum(len(o.slots) for o in offerings.values())
    return (f"service menu: {len(offerings)} offerings, {slots} slots, {booked} bookings, "
            f"{visits} home visits waiting for matching; service day {day.day} with "
            f"{len(venues)} venues")
