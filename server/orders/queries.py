"""Reading offerings and orders — the menu, my orders, a community's orders, one order — each
shaped by what the caller may see; and the open home visits the matching engine reads."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import false
from sqlalchemy.orm import joinedload, selectinload

from ..audit.services import record_audit
from ..database import get_or_404
from ..errors import Forbidden, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import User
from ..policy import location
from ..policy.priority import task_priority
from ..timeutil import utcnow
from ..volunteers.models import Volunteer
from . import policies
from .models import (
    CATEGORIES,
    OfferingStatus,
    OrderStatus,
    ServiceOffering,
    ServiceOrder,
    ServiceSlot,
    local_day_bounds,
)

# --- offerings ---------------------------------------------------------------------------------

@dataclass
class OfferingView(location.PubliclyPlaced):
    """An offering as the public sees it: its position is the coarse one (a home-visit
    offering sits at the volunteer's home; server/policy/location.py), its slots those to come."""
    offering: ServiceOffering
    place: location.PublicPlace
    slots: list = field(default_factory=list)


def offering_view(offering: ServiceOffering, *, day: date | None = None, lat=None, lng=None,
                  now: datetime | None = None) -> OfferingView:
    """An offering with its slots still to come (on one day, if given)."""
    slots = offering.upcoming_slots(now or utcnow())
    if day is not None:
        start, end = local_day_bounds(day)
        slots = [slot for slot in slots if start <= slot.start_at < end]
    near_point = (lat, lng) if lat is not None and lng is not None else None
    return OfferingView(offering, location.public_place(offering.lat, offering.lng, near_point),
                        slots)


def menu_query(filters: dict, *, now: datetime | None = None):
    """The service menu: active offerings with a slot to come (on the date, if given), by
    category, community, mode and distance; nearest first when a position is given."""
    slots = db.select(ServiceSlot.id).where(ServiceSlot.offering_id == ServiceOffering.id,
                                            ServiceSlot.start_at > (now or utcnow()))
    if filters.get("date"):
        start, end = local_day_bounds(filters["date"])
        slots = slots.where(ServiceSlot.start_at >= start, ServiceSlot.start_at < end)
    if filters.get("available"):
        slots = slots.where(ServiceSlot.booked < ServiceSlot.capacity)
    query = (db.select(ServiceOffering)
             .where(ServiceOffering.status == OfferingStatus.ACTIVE, slots.exists())
             .options(selectinload(ServiceOffering.slots),
                      joinedload(ServiceOffering.provider).joinedload(Volunteer.user),
                      joinedload(ServiceOffering.unit), joinedload(ServiceOffering.community)))
    for key in ("category", "community_id", "mode"):
        if filters.get(key):
            query = query.where(getattr(ServiceOffering, key) == filters[key])
    if filters.get("lat") is not None and filters.get("lng") is not None:
        return location.near(query, ServiceOffering.lat, ServiceOffering.lng, filters["lat"],
                             filters["lng"], filters.get("radius_m"), ServiceOffering.id)
    return query.order_by(ServiceOffering.created_at.desc(), ServiceOffering.id.desc())


def get_offering(offering_id: int, *, now: datetime | None = None) -> OfferingView:
    offering = get_or_404(ServiceOffering, offering_id, "服务不存在")
    return offering_view(offering, now=now)


def service_categories() -> list[dict]:
    return [{"code": code, "name": name} for code, name in CATEGORIES.items()]


# --- orders ------------------------------------------------------------------------------------

@dataclass
class OrderView:
    """An order with the caller's view of it: the resident's contact only where allowed."""
    order: ServiceOrder
    show_contact: bool = False
    is_manager: bool = False
    viewer_id: int | None = None  # the resident sees their own phone; others only a verified one


def view_of(actor: Actor, order: ServiceOrder, *, contact: bool = False) -> OrderView:
    return OrderView(order, show_contact=contact and policies.can_see_contact(actor, order),
                     is_manager=policies.manages(actor, order), viewer_id=actor.user_id)


def get_order(actor: Actor, order_id: int) -> OrderView:
    """One order; the resident's phone and address to the resident, a secretary of the
    resident's community and the provider of an accepted home visit — others' reads audited."""
    order = db.session.get(ServiceOrder, order_id)
    if order is None or not policies.can_see(actor, order):
        raise NotFound("订单不存在")
    view = view_of(actor, order, contact=True)
    if view.show_contact and not policies.is_resident(actor, order):
        record_audit(actor, "order.contact_read", "order", order.id,
                     scope=f"community:{order.resident.community_id}")
    return view


def my_orders_query(actor: Actor, role: str | None = None, status: str | None = None):
    """Orders I placed and orders I serve, newest first."""
    placed = ServiceOrder.resident_id == actor.user_id
    served = ServiceOrder.provider_id == actor.volunteer_id if actor.volunteer_id else false()
    condition = {"resident": placed, "provider": served}.get(role, placed | served)
    query = db.select(ServiceOrder).where(condition)
    if status:
        query = query.where(ServiceOrder.status == status)
    return query.order_by(ServiceOrder.created_at.desc(), ServiceOrder.id.desc())


def community_orders_query(actor: Actor, filters: dict):
    """A secretary's orders: those organised in, or placed by residents of, their communities;
    `unassigned` lists the home visits (and unstaffed bookings) waiting for a volunteer."""
    if not actor.is_secretary:
        raise Forbidden("只有社区书记可以查看社区订单")
    communities = actor.managed_communities
    if filters.get("community_id") is not None:
        if filters["community_id"] not in communities:
            raise NotFound("社区不存在或不在您的管辖范围")
        communities = {filters["community_id"]}
    residents = db.select(User.id).where(User.community_id.in_(communities))
    query = db.select(ServiceOrder).where(ServiceOrder.community_id.in_(communities)
                                          | ServiceOrder.resident_id.in_(residents))
    if filters.get("status"):
        query = query.where(ServiceOrder.status == filters["status"])
    if filters.get("kind"):
        query = query.where(ServiceOrder.kind == filters["kind"])
    if filters.get("unassigned"):
        query = query.where(ServiceOrder.provider_id.is_(None),
                            ServiceOrder.status == OrderStatus.REQUESTED)
    return query.order_by(ServiceOrder.window_start, ServiceOrder.id)


# --- for the matching engine -------------------------------------------------------------------

@dataclass(frozen=True)
class OpenVisit:
    """An unassigned home-visit order as the matching engine needs it (no personal data)."""
    order_id: int
    community_id: int
    lat: float
    lng: float
    skills: tuple[str, ...]
    category: str
    window_start: datetime
    window_end: datetime
    duration_min: int
    priority: int
    created_at: datetime


def visit_priority(need_tier: int | None, created_at: datetime, window_end: datetime,
                   now: datetime) -> int:
    """1..5 from the household's need tier, how long the order has waited (three days) and how
    soon its window closes."""
    return task_priority(need_tier, created_at=created_at, due=window_end, now=now,
                         waited=timedelta(days=3))


def unassigned_home_visits(community_ids, *, now: datetime | None = None) -> list[OpenVisit]:
    """Home visits of these communities that wait for a volunteer and can still be served,
    oldest first."""
    now = now or utcnow()
    rows = db.session.execute(
        db.select(ServiceOrder, User.need_tier).join(User, User.id == ServiceOrder.resident_id)
        .where(ServiceOrder.community_id.in_(list(community_ids)), ServiceOrder.mode == "home",
               ServiceOrder.provider_id.is_(None), ServiceOrder.status == OrderStatus.REQUESTED,
               ServiceOrder.window_end > now)
        .order_by(ServiceOrder.created_at, ServiceOrder.id)).all()
    return [OpenVisit(order_id=o.id, community_id=o.community_id, lat=o.lat, lng=o.lng,
                      skills=tuple(o.skills or ()), category=o.category,
                      window_start=o.window_start, window_end=o.window_end,
                      duration_min=o.duration_min,
                      priority=visit_priority(tier, o.created_at, o.window_end, now),
                      created_at=o.created_at) for o, tier in rows]
