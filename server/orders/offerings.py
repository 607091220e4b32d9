"""Publishing, editing and withdrawing service offerings (the 资源清单) and their time slots."""
from datetime import datetime, timedelta

from sqlalchemy import update

from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Unit, Venue
from ..identity.skills import check_skills
from ..timeutil import utcnow
from ..volunteers.models import Volunteer, VolunteerStatus
from . import policies
from .models import OFFERING, OfferingStatus, ServiceOffering, ServiceSlot
from .services import cancel_orders_of_offering

MAX_SLOT_LENGTH = timedelta(hours=12)
HORIZON = timedelta(days=180)
SECRETARY_ONLY = ("community_id", "provider_id", "unit_id")


def _check_slot_times(start: datetime, end: datetime, now: datetime) -> None:
    if not now < start < end:
        raise Invalid("时段应在将来，且结束晚于开始", {"slots": ["时段应在将来，且结束晚于开始"]})
    if end - start > MAX_SLOT_LENGTH or start > now + HORIZON:
        raise Invalid("时段不能超过 12 小时，且应在半年之内", {"slots": ["时段过长或过远"]})


def _new_slots(items: list[dict], now: datetime) -> list[ServiceSlot]:
    starts = [item["start"] for item in items]
    if len(set(starts)) != len(starts):
        raise Invalid("时段重复", {"slots": ["同一开始时间只能有一个时段"]})
    for item in items:
        _check_slot_times(item["start"], item["end"], now)
    return [ServiceSlot(start_at=item["start"], end_at=item["end"], capacity=item["capacity"],
                        booked=0) for item in items]


def _publisher(actor: Actor, data: dict) -> tuple[int, Volunteer | None, int | None]:
    """(community id, serving volunteer, unit id): a volunteer publishes for themself; a
    secretary publishes in a community they manage, for a unit and with a volunteer if named."""
    if not actor.is_secretary:
        if any(data.get(key) is not None for key in SECRETARY_ONLY):
            raise Forbidden("只有社区书记可以代单位发布服务或指定志愿者")
        volunteer = db.session.get(Volunteer, actor.volunteer_id)
        return volunteer.community_id, volunteer, volunteer.unit_id
    community_id = data.get("community_id") or actor.community_id
    if community_id is None or db.session.get(Community, community_id) is None:
        raise Invalid("请选择有效的社区", {"community_id": ["请选择有效的社区"]})
    if not actor.manages(community_id):
        raise Forbidden("只能在您管辖的社区发布服务")
    unit_id = data.get("unit_id")
    if unit_id is not None and db.session.get(Unit, unit_id) is None:
        raise Invalid(errors={"unit_id": ["单位不存在"]})
    volunteer = None
    if data.get("provider_id") is not None:
        volunteer = db.session.get(Volunteer, data["provider_id"])
        if volunteer is None or volunteer.status != VolunteerStatus.ACTIVE:
            raise Invalid(errors={"provider_id": ["志愿者不存在或未通过审核"]})
        if unit_id is not None and volunteer.unit_id != unit_id:
            raise Invalid(errors={"provider_id": ["该志愿者不属于该单位"]})
    return community_id, volunteer, unit_id


def _place(offering: ServiceOffering, data: dict) -> None:
    """Where the service is: a venue (named, or one of the venue list) or the volunteer's home
    area for home visits; coordinates drive the menu's distance filter."""
    if data.get("venue_id") is not None:
        venue = db.session.get(Venue, data["venue_id"])
        if venue is None:
            raise Invalid(errors={"venue_id": ["场地不存在"]})
        offering.venue_id, offering.venue = venue.id, data.get("venue") or venue.name
        offering.lat, offering.lng = venue.lat, venue.lng
        return
    if "venue" in data:
        offering.venue = data["venue"]
    if offering.mode == "venue" and not offering.venue:
        raise Invalid("到场服务需要填写服务地点", {"venue": ["请填写服务地点"]})
    if data.get("lat") is not None:
        offering.lat, offering.lng = data["lat"], data["lng"]
    elif offering.lat is None:
        home = offering.provider if offering.mode == "home" and offering.provider else None
        community = db.session.get(Community, offering.community_id)
        place = home or community
        offering.lat, offering.lng = place.lat, place.lng


def publish_offering(actor: Actor, data: dict, *, now: datetime | None = None) -> ServiceOffering:
    """An active volunteer, or a secretary (also for a unit), publishes a service with slots."""
    if not policies.can_publish(actor):
        raise Forbidden("只有已准入的志愿者或社区书记可以发布服务")
    now = now or utcnow()
    community_id, volunteer, unit_id = _publisher(actor, data)
    offering = ServiceOffering(
        title=data["title"], category=data["category"], skills=check_skills(data.get("skills")),
        mode=data["mode"], description=data.get("description", ""), community_id=community_id,
        provider=volunteer, unit_id=unit_id,
        publisher_id=actor.user_id, status=OfferingStatus.ACTIVE, created_at=now, updated_at=now)
    _place(offering, data)
    offering.slots = _new_slots(data["slots"], now)
    db.session.add(offering)
    db.session.flush()
    return offering


def load_offering(offering_id: int, *, lock: bool = False) -> ServiceOffering:
    query = db.select(ServiceOffering).where(ServiceOffering.id == offering_id)
    offering = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if offering is None:
        raise NotFound("服务不存在")
    return offering


def _managed_offering(actor: Actor, offering_id: int) -> ServiceOffering:
    offering = load_offering(offering_id, lock=True)
    if not policies.can_manage_offering(actor, offering):
        raise Forbidden("只有发布人、服务志愿者或本社区书记可以修改该服务")
    if not offering.is_active():
        raise Conflict("该服务已撤回，不能修改")
    return offering


def _set_capacity(slot: ServiceSlot, capacity: int) -> None:
    # Conditional, so a booking racing with the edit can never leave booked > capacity.
    changed = db.session.execute(
        update(ServiceSlot).where(ServiceSlot.id == slot.id, ServiceSlot.booked <= capacity)
        .values(capacity=capacity).execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        raise Conflict("容量不能少于已预约人数")
    db.session.refresh(slot)


def _edit_slots(offering: ServiceOffering, items: list[dict], now: datetime) -> None:
    existing = {slot.id: slot for slot in offering.slots}
    for item in items:
        slot = existing.get(item["id"]) if item.get("id") is not None else None
        if item.get("id") is not None and slot is None:
            raise Invalid(errors={"slots": [f"时段 {item['id']} 不属于该服务"]})
        if slot is None:
            offering.slots.extend(_new_slots([item], now))
            continue
        if (slot.start_at, slot.end_at) != (item["start"], item["end"]):
            if slot.booked:
                raise Conflict("该时段已有预约，不能修改时间")
            _check_slot_times(item["start"], item["end"], now)
            slot.start_at, slot.end_at = item["start"], item["end"]
        if slot.capacity != item["capacity"]:
            _set_capacity(slot, item["capacity"])


def edit_offering(actor: Actor, offering_id: int, changes: dict,
                  *, now: datetime | None = None) -> ServiceOffering:
    """Edit the text, skills, place or slots of an active offering (booked slots keep times)."""
    now = now or utcnow()
    offering = _managed_offering(actor, offering_id)
    for key in ("title", "category", "description"):
        if key in changes:
            setattr(offering, key, changes[key])
    if "skills" in changes:
        offering.skills = check_skills(changes["skills"])
    if "venue" in changes or changes.get("venue_id") is not None or "lat" in changes:
        _place(offering, changes)
    if "slots" in changes:
        _edit_slots(offering, changes["slots"], now)
    offering.updated_at = now
    db.session.flush()
    starts = [slot.start_at for slot in offering.slots]
    if len(set(starts)) != len(starts):
        raise Invalid("时段重复", {"slots": ["同一开始时间只能有一个时段"]})
    return offering


def withdraw_offering(actor: Actor, offering_id: int, reason: str | None = None,
                      *, now: datetime | None = None) -> ServiceOffering:
    """Take an offering off the menu; its open orders are cancelled and residents told."""
    now = now or utcnow()
    offering = _managed_offering(actor, offering_id)
    OFFERING.move(offering, OfferingStatus.WITHDRAWN)
    offering.withdrawn_at, offering.updated_at = now, now
    cancel_orders_of_offering(actor, offering, reason or "服务已撤回", now=now)
    db.session.flush()
    for slot in offering.slots:
        db.session.refresh(slot)
    return offering
