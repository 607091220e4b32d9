"""Builders for service-order test data: offerings with slots, orders in every state, a venue and
a service day (real rows, like tests/factories.py)."""
from datetime import date, datetime, timedelta

from server.extensions import db
from server.orders.models import ServiceOffering, ServiceOrder, ServiceSlot
from server.service_days.models import ServiceDay, ServiceDayVenue, Venue
from server.timeutil import LOCAL_TZ, utcnow


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """Today + days at hour:minute in Asia/Shanghai."""
    today = utcnow().astimezone(LOCAL_TZ).date() + timedelta(days=days)
    return datetime(today.year, today.month, today.day, hour, minute, tzinfo=LOCAL_TZ)


def soon(days: int, hour: int, minute: int = 0) -> str:
    return local(days, hour, minute).isoformat()


def soon_date(days: int) -> str:
    return (utcnow().astimezone(LOCAL_TZ).date() + timedelta(days=days)).isoformat()


def make_offering(world, provider="volunteer", mode="venue", slots=((2, 10, 5),), community=None,
                  title="周六义务理发", category="daily", skills=("haircut",), **extra):
    """slots: (days from today, local hour, capacity) each one hour long, or ServiceSlot rows."""
    volunteer = world.volunteers[provider] if provider else None
    community = community or next(c for c in world.communities
                                  if c.id == (volunteer.community_id if volunteer else
                                              world.communities[0].id))
    publisher = volunteer.user_id if volunteer else world.users["secretary"].id
    offering = ServiceOffering(
        title=title, category=category, skills=list(skills), mode=mode, description="测试服务",
        venue="甲社区服务站" if mode == "venue" else None, community_id=community.id,
        lat=community.lat, lng=community.lng, provider_id=volunteer.id if volunteer else None,
        publisher_id=publisher, status="active", **extra)
    offering.slots = [s if isinstance(s, ServiceSlot) else
                      ServiceSlot(start_at=local(s[0], s[1]), end_at=local(s[0], s[1] + 1),
                                  capacity=s[2], booked=0) for s in slots]
    db.session.add(offering)
    db.session.flush()
    return offering


def make_order(world, slot: ServiceSlot, resident="resident", status="requested", **extra):
    """A booking of a slot in any state; open and served bookings hold a seat."""
    offering = slot.offering
    user = world.users[resident]
    order = ServiceOrder(
        kind="slot", mode=offering.mode, offering_id=offering.id, slot_id=slot.id,
        resident_id=user.id, community_id=offering.community_id, provider_id=offering.provider_id,
        category=offering.category, skills=list(offering.skills), window_start=slot.start_at,
        window_end=slot.end_at, duration_min=60, lat=user.lat, lng=user.lng, status=status,
        accepted_at=utcnow() if status != "requested" else None, **extra)
    if status != "cancelled":
        slot.booked += 1
    db.session.add(order)
    db.session.flush()
    return order


def make_visit(world, resident="resident", status="requested", provider=None, days=3, **extra):
    """A home visit asked for with no chosen provider (assigned when provider is given)."""
    user = world.users[resident]
    volunteer = world.volunteers[provider] if provider else None
    order = ServiceOrder(
        kind="visit", mode="home", resident_id=user.id, community_id=user.community_id,
        provider_id=volunteer.id if volunteer else None, category="repair",
        skills=["appliance_repair"], window_start=local(days, 9), window_end=local(days, 12),
        duration_min=60, lat=user.lat, lng=user.lng, status=status,
        assigned_at=utcnow() if volunteer else None,
        accepted_at=utcnow() if volunteer else None, **extra)
    db.session.add(order)
    db.session.flush()
    return order


def start_now(order_id: int, minutes_ago: int = 5) -> None:
    """Move an order's slot (or window) to have begun a few minutes ago, committed: an order
    can only be completed once its service has started (issue 10, finding 5)."""
    order = db.session.get(ServiceOrder, order_id, populate_existing=True)
    shift = order.window_start - (utcnow() - timedelta(minutes=minutes_ago))
    order.window_start, order.window_end = order.window_start - shift, order.window_end - shift
    if order.slot is not None:
        order.slot.start_at, order.slot.end_at = order.window_start, order.window_end
    db.session.commit()


def make_venue(world, community=None, name="甲社区党群服务中心"):
    community = community or world.communities[0]
    venue = Venue(name=name, address="甲路8号", community_id=community.id, lat=community.lat,
                  lng=community.lng)
    db.session.add(venue)
    db.session.flush()
    return venue


def make_service_day(world, day: date, venues=()):
    service_day = ServiceDay(title="党员义务奉献日", day=day, street_id=world.streets[0].id)
    db.session.add(service_day)
    for venue, kind in venues:
        db.session.add(ServiceDayVenue(service_day=service_day, venue=venue, kind=kind))
    db.session.flush()
    return service_day


def add_orders(world) -> dict:
    """Offering 1 (venue, volunteer's, community a) and orders of `resident` in every state."""
    now = utcnow()
    venue = make_venue(world)
    started = ServiceSlot(start_at=now - timedelta(minutes=30), end_at=now + timedelta(minutes=30),
                          capacity=5, booked=0)
    offering = make_offering(world, slots=((2, 10, 5), (2, 14, 5), started), venue_id=venue.id)
    first, second, _ = offering.slots
    world.orders = {
        "requested": make_order(world, first),
        "accepted": make_order(world, second, status="accepted"),
        "started": make_order(world, started, status="accepted"),
        "done": make_order(world, first, status="done"),
        "visit": make_visit(world),
        "assigned": make_visit(world, status="accepted", provider="volunteer"),
    }
    world.offering, world.venue = offering, venue
    world.service_day = make_service_day(world, first.start_at.astimezone(LOCAL_TZ).date(),
                                         [(venue, "main")])
    return world.orders


# Which order of add_orders each order endpoint of the role matrix acts on.
ORDER_FOR = {"accept": "requested", "complete": "started", "cancel": "requested",
             "no-show": "started", "rate": "done", "assign": "visit", "release": "assigned"}


def order_placeholders(world, template: str) -> dict:
    """Path values for the role matrix; the data is made (and committed) once per world."""
    if not hasattr(world, "order_ids"):
        add_orders(world)
        db.session.commit()
        world.order_ids = {name: order.id for name, order in world.orders.items()}
        world.order_ids.update(service=world.offering.id, day=world.service_day.id)
    ids = world.order_ids
    action = template.rsplit("/", 1)[-1]
    return {"service_id": ids["service"], "day_id": ids["day"],
            "order_id": ids[ORDER_FOR.get(action, "requested")]}
