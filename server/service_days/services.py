"""Venues and service days: a street publishes its 党员义务奉献日 — main and branch venues, the
stalls (offerings) at each — and reads the day's figures."""
from datetime import date, datetime, time, timedelta

from ..database import add_once, get_or_404
from ..errors import Forbidden, Invalid
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Role, Street
from ..orders.models import (
    OrderStatus,
    ServiceOffering,
    ServiceOrder,
    ServiceSlot,
    local_day_bounds,
)
from ..policy.scope import Scope, ScopeKind, actor_covers
from ..timeutil import LOCAL_TZ, utcnow
from .models import ServiceDay, ServiceDayVenue, Stall, Venue


def create_venue(actor: Actor, data: dict, *, now: datetime | None = None) -> Venue:
    """A secretary records a venue in a community they manage."""
    if not actor.is_secretary:
        raise Forbidden("只有社区书记可以登记场地")
    community = db.session.get(Community, data["community_id"])
    if community is None:
        raise Invalid(errors={"community_id": ["社区不存在"]})
    if not actor.manages(community.id):
        raise Forbidden("只能在您管辖的社区登记场地")
    venue = Venue(name=data["name"], address=data.get("address", ""), community_id=community.id,
                  lat=data.get("lat", community.lat), lng=data.get("lng", community.lng),
                  created_by=actor.user_id, created_at=now or utcnow())
    db.session.add(venue)
    db.session.flush()
    return venue


def venues_query(community_id: int | None = None):
    query = db.select(Venue).order_by(Venue.community_id, Venue.id)
    if community_id is not None:
        query = query.where(Venue.community_id == community_id)
    return query


def _street_communities(street_id: int) -> set[int]:
    if db.session.get(Street, street_id) is None:
        raise Invalid(errors={"street_id": ["街道不存在"]})
    return set(db.session.execute(db.select(Community.id).filter_by(street_id=street_id)).scalars())


def _require_street_scope(actor: Actor, street_id: int) -> set[int]:
    communities = _street_communities(street_id)
    if not actor_covers(actor, Scope(ScopeKind.STREET, street_id), roles=(Role.SECRETARY, Role.ADMIN)):
        raise Forbidden("只有街道书记（管辖该街道全部社区）可以发布奉献日")
    return communities


def _check_stall(day: ServiceDay, offering_id: int) -> ServiceOffering:
    offering = db.session.get(ServiceOffering, offering_id)
    if offering is None or not offering.is_active():
        raise Invalid(errors={"offering_id": [f"服务 {offering_id} 不存在或已撤回"]})
    if offering.mode != "venue" or not offering.slots_on(day.day):
        raise Invalid(errors={"offering_id": [f"服务 {offering_id} 当天没有到场服务时段"]})
    return offering


def _add_venue(day: ServiceDay, item: dict, communities: set[int]) -> ServiceDayVenue:
    venue = db.session.get(Venue, item["venue_id"])
    if venue is None or venue.community_id not in communities:
        raise Invalid(errors={"venues": [f"场地 {item['venue_id']} 不存在或不在该街道"]})
    day_venue = ServiceDayVenue(venue=venue, kind=item["kind"], radius_m=item.get("radius_m", 300))
    day.venues.append(day_venue)
    for offering_id in dict.fromkeys(item.get("stalls", [])):
        _check_stall(day, offering_id)
        day_venue.stalls.append(Stall(offering_id=offering_id))
    return day_venue


def create_service_day(actor: Actor, data: dict, *, now: datetime | None = None) -> ServiceDay:
    """A street secretary publishes a service day with at least one main venue and its stalls."""
    now = now or utcnow()
    communities = _require_street_scope(actor, data["street_id"])
    today = now.astimezone(LOCAL_TZ).date()
    if not today <= data["date"] <= today + timedelta(days=366):
        raise Invalid(errors={"date": ["日期应在今天到一年之内"]})
    ids = [item["venue_id"] for item in data["venues"]]
    if len(set(ids)) != len(ids):
        raise Invalid(errors={"venues": ["同一场地只能出现一次"]})
    if not any(item["kind"] == "main" for item in data["venues"]):
        raise Invalid(errors={"venues": ["至少需要一个主会场"]})
    day = ServiceDay(title=data["title"], day=data["date"], street_id=data["street_id"],
                     description=data.get("description", ""), created_by=actor.user_id,
                     created_at=now)
    day.opens_at = data.get("opens_at") or day.opens_at or time(8)  # 报到时段 (server/checkins)
    day.closes_at = data.get("closes_at") or day.closes_at or time(18)
    if day.opens_at >= day.closes_at:
        raise Invalid(errors={"closes_at": ["报到结束时间应晚于开始时间"]})
    db.session.add(day)
    for item in data["venues"]:
        _add_venue(day, item, communities)
    db.session.flush()
    return day


def add_stall(actor: Actor, day_id: int, venue_id: int, offering_id: int) -> Stall:
    """Put one more offering at a venue of a service day."""
    day = get_or_404(ServiceDay, day_id, "奉献日不存在")
    _require_street_scope(actor, day.street_id)
    day_venue = next((v for v in day.venues if v.venue_id == venue_id), None)
    if day_venue is None:
        raise Invalid(errors={"venue_id": ["该场地不在这个奉献日"]})
    _check_stall(day, offering_id)
    stall = Stall(day_venue_id=day_venue.id, offering_id=offering_id)
    return add_once(stall, conflict="该服务已在这个场地设摊")


def service_days_query(street_id: int | None = None, from_date: date | None = None):
    query = db.select(ServiceDay).order_by(ServiceDay.day, ServiceDay.id)
    if street_id is not None:
        query = query.where(ServiceDay.street_id == street_id)
    if from_date is not None:
        query = query.where(ServiceDay.day >= from_date)
    return query


def day_figures(day: ServiceDay) -> dict:
    """Venues, stalls, orders, services given and households served on the day's stalls."""
    start, end = local_day_bounds(day.day)
    offerings = {stall.offering_id for v in day.venues for stall in v.stalls}
    row = db.session.execute(
        db.select(db.func.count(ServiceOrder.id),
                  db.func.count(ServiceOrder.id).filter(
                      ServiceOrder.status.in_((OrderStatus.DONE, OrderStatus.RATED))),
                  db.func.count(db.distinct(ServiceOrder.resident_id)))
        .join(ServiceSlot, ServiceSlot.id == ServiceOrder.slot_id)
        .where(ServiceOrder.offering_id.in_(offerings),
               ServiceOrder.status != OrderStatus.CANCELLED,
               ServiceSlot.start_at >= start, ServiceSlot.start_at < end)).one()
    return {"main_venues": sum(v.kind == "main" for v in day.venues),
            "branch_venues": sum(v.kind == "branch" for v in day.venues),
            "stalls": sum(len(v.stalls) for v in day.venues),
            "orders": row[0], "served": row[1], "households": row[2]}


# Figures later capabilities add to a day: functions day -> dict (server/checkins registers one).
EXTRA_FIGURES: list = []


def get_service_day(day_id: int) -> ServiceDay:
    """One service day with its venues, stalls and figures (public: no personal data)."""
    day = get_or_404(ServiceDay, day_id, "奉献日不存在")
    day.figures = day_figures(day)
    for extra in EXTRA_FIGURES:
        day.figures.update(extra(day))
    return day
