"""Order transitions: booking a slot, asking for a home visit, and every move of
TRANSITIONS in one function that refuses an illegal move with 409."""
from datetime import datetime, timedelta

from sqlalchemy import update

from ..audit.services import record_audit
from ..database import add_once
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.behalf import acts_for_owner, audit_behalf, behalf_owner
from ..identity.models import Community, User
from ..identity.skills import check_skills
from ..notifications.services import notify
from ..points.services import credit_points
from ..policy import membership, parties
from ..timeutil import local_text, utcnow
from ..volunteers.models import Volunteer
from . import policies
from .models import (
    OPEN_STATUSES,
    ORDER,
    TRANSITIONS,
    OrderStatus,
    ServiceOffering,
    ServiceOrder,
    ServiceSlot,
)

VISIT_HORIZON = timedelta(days=180)
STATUS_NAMES = {OrderStatus.REQUESTED: "待接单", OrderStatus.ACCEPTED: "已接单",
                OrderStatus.DONE: "已完成", OrderStatus.RATED: "已评价",
                OrderStatus.CANCELLED: "已取消", OrderStatus.NO_SHOW: "已标记未到场"}
ACTION_NAMES = {"accept": "接单", "assign": "派单", "release": "退回", "complete": "标记完成",
                "no_show": "标记未到场", "cancel": "取消", "rate": "评价"}


def _load(actor: Actor, order_id: int, *, lock: bool = False) -> ServiceOrder:
    query = db.select(ServiceOrder).where(ServiceOrder.id == order_id)
    order = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if order is None or not (policies.is_system(actor) or policies.can_see(actor, order)):
        raise NotFound("订单不存在")
    return order


def _move(order: ServiceOrder, action: str, now: datetime, **values) -> None:
    """Apply one transition of the state machine, or refuse it with 409."""
    if not order.can(action):
        raise Conflict(f"订单{STATUS_NAMES[order.status]}，不能{ACTION_NAMES[action]}")
    ORDER.move(order, TRANSITIONS[action][1])
    order.updated_at = now
    for key, value in values.items():
        setattr(order, key, value)


def _tell(user_id: int | None, kind: str, order: ServiceOrder, now: datetime,
          note: str = "") -> None:
    # One message per event: an order may be assigned, released and assigned again.
    if user_id is not None:
        notify(user_id, kind, title=order.title, ref=f"order:{order.id}", note=note,
               when=order.window_start, now=now,
               dedupe=f"{kind}:{order.id}:{user_id}:{now.timestamp():.0f}")


def _provider_user(order: ServiceOrder) -> int | None:
    return order.provider.user_id if order.provider is not None else None


# --- seats -------------------------------------------------------------------------------------

def _take_seat(slot_id: int) -> None:
    """One seat of a slot, or 409: the conditional UPDATE is atomic on SQLite and PostgreSQL."""
    taken = db.session.execute(
        update(ServiceSlot).where(ServiceSlot.id == slot_id,
                                  ServiceSlot.booked < ServiceSlot.capacity)
        .values(booked=ServiceSlot.booked + 1).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise Conflict("该时段已约满")


def _free_seat(slot_id: int | None) -> None:
    if slot_id is None:
        return
    db.session.execute(
        update(ServiceSlot).where(ServiceSlot.id == slot_id, ServiceSlot.booked > 0)
        .values(booked=ServiceSlot.booked - 1).execution_options(synchronize_session=False))


def _insert(order: ServiceOrder) -> None:
    add_once(order, conflict="您已预约该时段")


# --- placing orders ----------------------------------------------------------------------------

def _home_of(user: User) -> tuple[float, float]:
    if user.lat is not None and user.lng is not None:
        return user.lat, user.lng
    community = db.session.get(Community, user.community_id) if user.community_id else None
    if community is None:
        raise Invalid("请先在个人信息中选择所在社区", {"community_id": ["请选择有效的社区"]})
    return community.lat, community.lng


def _require_address(user: User) -> None:
    if not user.address:
        raise Invalid("上门服务需要先在个人信息中填写住址", {"address": ["请先填写住址"]})


def _bookable_slot(data: dict, now: datetime) -> ServiceSlot:
    slot = db.session.get(ServiceSlot, data["slot_id"])
    if slot is None or slot.offering_id != data["service_id"]:
        raise NotFound("服务或时段不存在")
    # A shared lock on PostgreSQL: a withdrawal (FOR UPDATE) waits for bookings in flight and
    # cancels them, and a booking after it sees the offering withdrawn.
    offering = db.session.execute(
        db.select(ServiceOffering).where(ServiceOffering.id == slot.offering_id)
        .with_for_update(read=True).execution_options(populate_existing=True)).scalar_one()
    if not offering.is_active():
        raise Conflict("该服务已撤回，不能预约")
    if slot.start_at <= now:
        raise Conflict("该时段已开始或已结束，不能预约")
    return slot


def book_slot(actor: Actor, data: dict, *, now: datetime | None = None) -> ServiceOrder:
    """A resident books one seat of a slot; never beyond its capacity (409 when full)."""
    now = now or utcnow()
    slot = _bookable_slot(data, now)
    offering: ServiceOffering = slot.offering
    parties.require_not_volunteer(actor, offering.provider_id, sides="booker/provider")
    user, posted_by = behalf_owner(actor, data.get("on_behalf_of"))  # 代办
    if offering.mode == "home":
        _require_address(user)
    lat, lng = _home_of(user) if offering.mode == "home" else (offering.lat, offering.lng)
    if db.session.execute(db.select(ServiceOrder.id).filter_by(
            slot_id=slot.id, resident_id=user.id).where(
            ServiceOrder.status.in_(OPEN_STATUSES))).first() is not None:
        raise Conflict("您已预约该时段")
    _take_seat(slot.id)
    order = ServiceOrder(
        kind="slot", mode=offering.mode, offering_id=offering.id, slot_id=slot.id,
        resident_id=user.id, community_id=offering.community_id, provider_id=offering.provider_id,
        category=offering.category, skills=list(offering.skills), note=data.get("note"),
        window_start=slot.start_at, window_end=slot.end_at,
        duration_min=int((slot.end_at - slot.start_at).total_seconds() // 60), lat=lat, lng=lng,
        status=OrderStatus.REQUESTED, created_at=now, updated_at=now, posted_by=posted_by)
    _insert(order)
    _tell(_provider_user(order), "order_requested", order, now, note=local_text(slot.start_at))
    return order


def _check_window(data: dict, now: datetime) -> None:
    start, end = data["window_start"], data["window_end"]
    if not (now - timedelta(hours=1) < start < end and now < end <= now + VISIT_HORIZON):
        raise Invalid("时间段无效：结束应晚于开始和现在，且在半年之内",
                      {"window_end": ["时间段无效"]})
    if end - start < timedelta(minutes=data.get("duration_min", 60)):
        raise Invalid("时间段短于服务时长", {"duration_min": ["时间段短于服务时长"]})


def request_visit(actor: Actor, data: dict, *, now: datetime | None = None) -> ServiceOrder:
    """A resident asks for a home visit by category and time window, with no chosen provider;
    it waits, unassigned, for the matching engine or a secretary (assign_order)."""
    now = now or utcnow()
    user, posted_by = behalf_owner(actor, data.get("on_behalf_of"))  # 代办
    lat, lng = _home_of(user)
    if user.community_id is None:
        raise Invalid("请先在个人信息中选择所在社区", {"community_id": ["请选择有效的社区"]})
    _require_address(user)
    _check_window(data, now)
    order = ServiceOrder(
        kind="visit", mode="home", resident_id=user.id, community_id=user.community_id,
        category=data["category"], skills=check_skills(data.get("skills")), note=data.get("note"),
        window_start=data["window_start"], window_end=data["window_end"],
        duration_min=data.get("duration_min", 60), lat=lat, lng=lng,
        status=OrderStatus.REQUESTED, created_at=now, updated_at=now, posted_by=posted_by)
    db.session.add(order)
    db.session.flush()
    return order


def place_order(actor: Actor, data: dict, *, now: datetime | None = None) -> ServiceOrder:
    """POST /orders: a slot booking when a slot is named, otherwise a home-visit request."""
    if data.get("slot_id") is not None:
        order = book_slot(actor, data, now=now)
    else:
        order = request_visit(actor, data, now=now)
    if order.posted_by:
        audit_behalf(actor, "order", order, order.resident_id, order.community_id)
    return order


# --- the provider's moves ----------------------------------------------------------------------

def _require_provider(actor: Actor, order: ServiceOrder) -> None:
    """The order's volunteer, while still an active volunteer (policy.membership), and never
    the order's own resident (policy.parties)."""
    if not policies.is_provider(actor, order):
        raise Forbidden("只有该订单的服务志愿者可以这样做")
    membership.require_active_volunteer(actor, "您的志愿者身份已失效，不能处理该订单")
    parties.require_not_party(actor, order.resident_id, sides="resident/provider")


def _provider_step(actor: Actor, order_id: int, action: str, now: datetime, *, refuse_when,
                   message: str, tell: str, note="", **values) -> ServiceOrder:
    """A step of the order's volunteer: the order, locked; 409 `message` when the table allows
    the step but the clock does not (`refuse_when(order)`); the move; the resident told (`note`:
    a text, or a function of the order)."""
    order = _load(actor, order_id, lock=True)
    _require_provider(actor, order)
    if order.can(action) and refuse_when(order):
        raise Conflict(message)
    _move(order, action, now, **values)
    _tell(order.resident_id, tell, order, now, note=note(order) if callable(note) else note)
    db.session.flush()
    return order


def accept_order(actor: Actor, order_id: int, *, now: datetime | None = None) -> ServiceOrder:
    """The order's volunteer accepts a requested order."""
    now = now or utcnow()
    return _provider_step(actor, order_id, "accept", now, refuse_when=lambda o: o.window_end <= now,
                          message="服务时间已过，不能接单", tell="order_accepted",
                          note=lambda o: local_text(o.window_start), accepted_at=now)


def complete_order(actor: Actor, order_id: int, note: str | None = None,
                   *, now: datetime | None = None) -> ServiceOrder:
    """The volunteer reports the service given; the resident rates it next (points then)."""
    now = now or utcnow()
    return _provider_step(actor, order_id, "complete", now,
                          refuse_when=lambda o: now < o.window_start,
                          message="服务开始后才能标记完成", tell="order_done",
                          done_at=now, completion_note=note)


def mark_no_show(actor: Actor, order_id: int, note: str | None = None,
                 *, now: datetime | None = None) -> ServiceOrder:
    """The volunteer records that the resident was not there; only once the service began."""
    now = now or utcnow()
    return _provider_step(actor, order_id, "no_show", now,
                          refuse_when=lambda o: now < o.window_start,
                          message="服务开始后才能标记未到场", tell="order_no_show",
                          note=note or "", closed_at=now, closed_by=actor.user_id,
                          close_reason=note)


# --- either side -------------------------------------------------------------------------------

def _close(order: ServiceOrder, actor: Actor, action: str, reason: str | None,
           now: datetime) -> None:
    _move(order, action, now, closed_at=now, closed_by=actor.user_id, close_reason=reason)
    _free_seat(order.slot_id)


def cancel_order(actor: Actor, order_id: int, reason: str,
                 *, now: datetime | None = None) -> ServiceOrder:
    """The resident, the volunteer or a secretary cancels an open order, with a reason; the
    seat goes back to the slot and the other side is told."""
    now = now or utcnow()
    order = _load(actor, order_id, lock=True)
    if not policies.can_cancel(actor, order):
        raise Forbidden("只有下单居民、服务志愿者或社区书记可以取消订单")
    _close(order, actor, "cancel", reason, now)
    if not policies.is_resident(actor, order):
        _tell(order.resident_id, "order_cancelled", order, now, note=reason)
    if not policies.is_provider(actor, order):
        _tell(_provider_user(order), "order_cancelled", order, now, note=reason)
    if policies.manages(actor, order) and not policies.is_resident(actor, order):
        record_audit(actor, "order.cancel", "order", order.id,
                     scope=f"community:{order.community_id}", detail={"reason": reason})
    db.session.flush()
    return order


def cancel_orders_of_offering(actor: Actor, offering: ServiceOffering, reason: str,
                              *, now: datetime) -> int:
    """Cancel every open order of a withdrawn offering and tell each resident; returns how many."""
    orders = db.session.execute(db.select(ServiceOrder).where(
        ServiceOrder.offering_id == offering.id,
        ServiceOrder.status.in_(OPEN_STATUSES)).with_for_update()).scalars().all()
    for order in orders:
        _close(order, actor, "cancel", reason, now)
        _tell(order.resident_id, "order_cancelled", order, now, note=reason)
    return len(orders)


def rate_order(actor: Actor, order_id: int, rating: int, comment: str | None = None,
               *, now: datetime | None = None) -> ServiceOrder:
    """The resident (or a secretary for a resident without a phone) rates a done order; only
    now are the volunteer's points credited."""
    now = now or utcnow()
    order = _load(actor, order_id, lock=True)
    on_behalf = not policies.is_resident(actor, order)
    if on_behalf and not (actor.manages(order.resident.community_id)
                          or acts_for_owner(actor, order.resident_id)):
        raise Forbidden("只有下单居民可以评价")
    parties.require_not_volunteer(actor, order.provider_id, sides="provider/rater")
    _move(order, "rate", now, rated_at=now, rating=rating, comment=comment)
    credit_points(order.provider_id, "order_completed", "order", order.id, now=now)
    if rating == 5:
        credit_points(order.provider_id, "order_rating_bonus", "order", order.id, now=now)
    if on_behalf:
        record_audit(actor, "order.rate_for_resident", "order", order.id,
                     scope=f"community:{order.resident.community_id}")
    _tell(_provider_user(order), "order_rated", order, now, note=comment or f"{rating} 星")
    db.session.flush()
    return order


# --- assignment (secretaries and the matching engine) -----------------------------------------

def assign_order(actor: Actor, order_id: int, volunteer_id: int,
                 *, now: datetime | None = None) -> ServiceOrder:
    """A secretary gives an unassigned order to a volunteer of a community in her scope (POST
    /orders/{id}/assign, the console's 派单); it is accepted at once."""
    return _assign(actor, order_id, volunteer_id, now=now, volunteer_in_scope=True)


def assign_proposed_order(actor: Actor, order_id: int, volunteer_id: int,
                          *, now: datetime | None = None) -> ServiceOrder:
    """An accepted match proposal assigns the order: the run chose the volunteer from its own
    community or street (server/matching_runs), which may reach past the accepting secretary's
    community."""
    return _assign(actor, order_id, volunteer_id, now=now, volunteer_in_scope=False)


def _assign(actor: Actor, order_id: int, volunteer_id: int, *, now: datetime | None,
            volunteer_in_scope: bool) -> ServiceOrder:
    """Exactly one of any number of racing assignments wins."""
    now = now or utcnow()
    order = _load(actor, order_id)
    if not policies.can_assign(actor, order):
        raise Forbidden("只有订单所在社区的书记可以派单")
    if not order.is_unassigned():
        raise Conflict("该订单已有志愿者或已结束")
    volunteer = db.session.get(Volunteer, volunteer_id)
    if volunteer_in_scope and volunteer is not None \
            and not policies.can_assign_to(actor, volunteer.community_id):
        raise NotFound("志愿者不存在或不在您的管辖范围")
    # the status re-read under the volunteer's row lock: a leave at this moment serialises with it
    if volunteer is None or not membership.lock_active_member(volunteer.id):
        raise Conflict("该志愿者当前不可接受任务")
    if volunteer.user_id == order.resident_id:
        raise Conflict("不能把订单派给下单居民本人")
    parties.require_not_party(actor, volunteer.user_id, order.resident_id,
                              sides="assigner/assignee")
    taken = db.session.execute(
        update(ServiceOrder).where(ServiceOrder.id == order.id, ServiceOrder.provider_id.is_(None),
                                   ServiceOrder.status == OrderStatus.REQUESTED)
        .values(provider_id=volunteer.id, status=OrderStatus.ACCEPTED, assigned_by=actor.user_id,
                assigned_at=now, accepted_at=now, updated_at=now)
        .execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise Conflict("该订单已被派给其他志愿者")
    order = db.session.get(ServiceOrder, order.id, populate_existing=True)
    record_audit(actor, "order.assign", "order", order.id, scope=f"community:{order.community_id}",
                 detail={"volunteer_id": volunteer.id})
    _tell(volunteer.user_id, "order_assigned", order, now, note=local_text(order.window_start))
    _tell(order.resident_id, "order_accepted", order, now, note=local_text(order.window_start))
    db.session.flush()
    return order


def release_order(actor: Actor, order_id: int, reason: str | None = None,
                  *, now: datetime | None = None) -> ServiceOrder:
    """The assigned volunteer (declining) or a secretary gives an assigned order back: it is
    requested and unassigned again, for the next matching run."""
    now = now or utcnow()
    order = _load(actor, order_id, lock=True)
    if not (policies.is_provider(actor, order) or policies.can_assign(actor, order)):
        raise Forbidden("只有派到的志愿者或社区书记可以退回订单")
    if order.assigned_at is None and order.can("release"):
        raise Conflict("该订单不是派单，不能退回；请取消订单")
    give_back_order(order, reason, now)
    db.session.flush()
    return order


def give_back_order(order: ServiceOrder, reason: str | None, now: datetime) -> None:
    """An assigned order goes back to requested and unassigned; the resident is told."""
    _move(order, "release", now, provider=None, assigned_by=None, assigned_at=None,
          accepted_at=None)
    _tell(order.resident_id, "order_released", order, now, note=reason or "")
