"""Service offerings (the 资源清单) with time slots, and orders (the 需求清单).

An order is `requested → accepted → done → rated`, with `cancelled` and `no_show`; an accepted
order that a secretary (or the matching engine) assigned may go back to `requested` when its
volunteer releases it. A slot's `booked` never exceeds its `capacity` (a CHECK, and a conditional
UPDATE in the services).
"""
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Created, Keyed, Updated, known
from ..extensions import db
from ..identity.models import Community, Unit, User
from ..statemachine import Machine
from ..timeutil import LOCAL_TZ, UTCDateTime, utcnow
from ..volunteers.models import Volunteer


class OfferingStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


OFFERING = Machine("服务", {OfferingStatus.ACTIVE: {OfferingStatus.WITHDRAWN}})


class OrderStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DONE = "done"
    RATED = "rated"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


MODES = ("venue", "home")
CATEGORIES = {
    "daily": "生活服务", "health": "医疗健康", "legal": "法律咨询", "repair": "维修",
    "care": "关爱陪护", "study": "学习教育", "culture": "文化", "other": "其他",
}
OPEN_STATUSES = (OrderStatus.REQUESTED, OrderStatus.ACCEPTED)
# action → (statuses it may start from, status it leads to): the whole state machine.
TRANSITIONS = {
    "accept": ((OrderStatus.REQUESTED,), OrderStatus.ACCEPTED),
    "assign": ((OrderStatus.REQUESTED,), OrderStatus.ACCEPTED),
    "release": ((OrderStatus.ACCEPTED,), OrderStatus.REQUESTED),
    "complete": ((OrderStatus.ACCEPTED,), OrderStatus.DONE),
    "no_show": ((OrderStatus.ACCEPTED,), OrderStatus.NO_SHOW),
    "cancel": (OPEN_STATUSES, OrderStatus.CANCELLED),
    "rate": ((OrderStatus.DONE,), OrderStatus.RATED),
}
# The same machine as a state table (every move of an order goes through ORDER.move).
ORDER = Machine("订单", {
    state: {to for starts, to in TRANSITIONS.values() if state in starts}
    for state in OrderStatus if any(state in starts for starts, _ in TRANSITIONS.values())
})


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a local (Asia/Shanghai) calendar day, as aware datetimes."""
    start = datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)
    return start, start + timedelta(days=1)


class ServiceOffering(Keyed, Created, Updated, db.Model):
    """What a volunteer, or a unit through a secretary, offers: at a venue or as home visits."""
    __tablename__ = "service_offerings"
    __table_args__ = (
        known(OfferingStatus),
        known(MODES, "mode"),
        Index("ix_service_offerings_menu", "status", "community_id", "category"),
    )
    title: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(20))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    mode: Mapped[str] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(String(500), default="")
    venue: Mapped[str | None] = mapped_column(String(100))  # the place, as people name it
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    lat: Mapped[float]
    lng: Mapped[float]
    # The volunteer who serves its orders; None for a unit's offering that a secretary staffs
    # order by order (assign_order).
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    publisher_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default=OfferingStatus.ACTIVE)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    slots: Mapped[list["ServiceSlot"]] = relationship(
        back_populates="offering", order_by="ServiceSlot.start_at, ServiceSlot.id")
    provider: Mapped[Volunteer | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    community: Mapped[Community] = relationship()

    def is_active(self) -> bool:
        return self.status == OfferingStatus.ACTIVE

    def upcoming_slots(self, now: datetime) -> list["ServiceSlot"]:
        return [slot for slot in self.slots if slot.start_at > now]

    def slots_on(self, day: date) -> list["ServiceSlot"]:
        start, end = local_day_bounds(day)
        return [slot for slot in self.slots if start <= slot.start_at < end]


class ServiceSlot(Keyed, db.Model):
    __tablename__ = "service_slots"
    __table_args__ = (
        # The last line of defence against overbooking, whatever the code does.
        CheckConstraint("booked >= 0 and booked <= capacity", name="booked_within_capacity"),
        CheckConstraint("capacity between 1 and 500", name="capacity_range"),
        CheckConstraint("end_at > start_at", name="ends_after_start"),
        Index("ix_service_slots_offering_start", "offering_id", "start_at"),
    )
    offering_id: Mapped[int] = mapped_column(ForeignKey("service_offerings.id"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int]
    booked: Mapped[int] = mapped_column(default=0)

    offering: Mapped[ServiceOffering] = relationship(back_populates="slots")

    @property
    def remaining(self) -> int:
        return self.capacity - self.booked


class ServiceOrder(Keyed, Updated, db.Model):
    """A resident's order: a booked slot (kind `slot`) or a home visit asked for by category and
    time window with no chosen provider (kind `visit`), which waits for the matching engine."""
    __tablename__ = "service_orders"
    __table_args__ = (
        known(OrderStatus),
        CheckConstraint("kind in ('slot','visit')", name="kind_known"),
        known(MODES, "mode"),
        CheckConstraint("(kind = 'slot') = (slot_id is not null)", name="slot_iff_kind_slot"),
        CheckConstraint("status in ('requested','cancelled') or provider_id is not null",
                        name="served_has_provider"),
        CheckConstraint("rating is null or rating between 1 and 5", name="rating_range"),
        # One open booking per resident and slot, even when two requests race.
        Index("uq_service_orders_one_open_booking", "slot_id", "resident_id", unique=True,
              sqlite_where=text("status in ('requested','accepted')"),
              postgresql_where=text("status in ('requested','accepted')")),
        Index("ix_service_orders_community_status", "community_id", "status"),
    )
    kind: Mapped[str] = mapped_column(String(8))
    mode: Mapped[str] = mapped_column(String(8))
    offering_id: Mapped[int | None] = mapped_column(ForeignKey("service_offerings.id"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("service_slots.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # 代办: the secretary or grid worker who posted it for a resident without WeChat.
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Where the service is organised: the offering's community, or the resident's for a visit.
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(String(200))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_min: Mapped[int] = mapped_column(default=60)
    lat: Mapped[float]
    lng: Mapped[float]
    status: Mapped[str] = mapped_column(String(12), default=OrderStatus.REQUESTED)
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completion_note: Mapped[str | None] = mapped_column(String(200))
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rating: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    close_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    offering: Mapped[ServiceOffering | None] = relationship()
    slot: Mapped[ServiceSlot | None] = relationship()
    resident: Mapped[User] = relationship(foreign_keys=[resident_id])
    provider: Mapped[Volunteer | None] = relationship()

    def can(self, action: str) -> bool:
        return self.status in TRANSITIONS[action][0]

    def is_unassigned(self) -> bool:
        return self.provider_id is None and self.status == OrderStatus.REQUESTED

    @property
    def title(self) -> str:
        if self.offering is not None:
            return self.offering.title
        return f"上门服务：{CATEGORIES.get(self.category, self.category)}"
