"""Venues and service days (党员义务奉献日): an event of a street with main and branch venues,
and at each venue the stalls that offer services residents can order (点单)."""
from datetime import date, time

from sqlalchemy import ForeignKey, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Authored, Keyed, known
from ..extensions import db
from ..identity.models import Venue  # noqa: F401  (re-exported: a community's place, in identity)

VENUE_KINDS = {"main": "主会场", "branch": "分会场"}


class ServiceDay(Keyed, Authored, db.Model):
    __tablename__ = "service_days"
    title: Mapped[str] = mapped_column(String(60))
    day: Mapped[date] = mapped_column(index=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"), index=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    # The day's hours (Asia/Shanghai) in which members check in (报到, server/checkins).
    opens_at: Mapped[time] = mapped_column(default=time(8), server_default=text("'08:00:00'"))
    closes_at: Mapped[time] = mapped_column(default=time(18), server_default=text("'18:00:00'"))

    venues: Mapped[list["ServiceDayVenue"]] = relationship(
        back_populates="service_day", order_by="ServiceDayVenue.kind.desc(), ServiceDayVenue.id")

    # The day's figures, filled in by services.get_service_day for serialisation; never stored.
    figures = None


class ServiceDayVenue(Keyed, db.Model):
    __tablename__ = "service_day_venues"
    __table_args__ = (
        UniqueConstraint("service_day_id", "venue_id", name="uq_service_day_venue"),
        known(VENUE_KINDS, "kind"),
    )
    service_day_id: Mapped[int] = mapped_column(ForeignKey("service_days.id"), index=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))
    kind: Mapped[str] = mapped_column(String(8))
    # How far from the venue a member may check in (server/checkins).
    radius_m: Mapped[int] = mapped_column(default=300, server_default=text("300"))

    service_day: Mapped[ServiceDay] = relationship(back_populates="venues")
    venue: Mapped[Venue] = relationship()
    stalls: Mapped[list["Stall"]] = relationship(back_populates="day_venue", order_by="Stall.id")


class Stall(Keyed, db.Model):
    """One offering served at one venue of a service day."""
    __tablename__ = "service_day_stalls"
    __table_args__ = (UniqueConstraint("day_venue_id", "offering_id", name="uq_stall_offering"),)
    day_venue_id: Mapped[int] = mapped_column(ForeignKey("service_day_venues.id"), index=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("service_offerings.id"), index=True)

    day_venue: Mapped[ServiceDayVenue] = relationship(back_populates="stalls")
    offering: Mapped["ServiceOffering"] = relationship()  # noqa: F821  (server.orders.models)
