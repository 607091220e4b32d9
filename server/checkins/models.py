"""Check-ins (报到) at a service day: one per member and day (a unique constraint, so two
racing requests make one row), `checked_in → checked_out`; check-out records the hours.

Only what is needed is stored: the venue (whose position is public) and the times. The
volunteer's own position is checked against the venue's radius and never stored.
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Keyed, known
from ..extensions import db
from ..service_days.models import Venue
from ..statemachine import Machine
from ..timeutil import UTCDateTime, utcnow
from ..volunteers.models import Volunteer


class CheckInStatus(StrEnum):
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"


CHECK_IN = Machine("报到", {None: {CheckInStatus.CHECKED_IN},
                          CheckInStatus.CHECKED_IN: {CheckInStatus.CHECKED_OUT}})
STATUS_NAMES = {CheckInStatus.CHECKED_IN: "已报到", CheckInStatus.CHECKED_OUT: "已签退"}


class CheckIn(Keyed, db.Model):
    __tablename__ = "service_day_checkins"
    __table_args__ = (
        UniqueConstraint("service_day_id", "volunteer_id", name="uq_checkin_once_per_day"),
        known(CheckInStatus),
        CheckConstraint("minutes is null or minutes between 0 and 1440", name="minutes_range"),
        Index("ix_checkins_day_venue", "service_day_id", "venue_id"),
    )
    service_day_id: Mapped[int] = mapped_column(ForeignKey("service_days.id"))
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    # The volunteer's reporting community at check-in (报到社区), for the day's figures.
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    status: Mapped[str] = mapped_column(String(12), default=CheckInStatus.CHECKED_IN)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[int | None]

    venue: Mapped[Venue] = relationship()
    volunteer: Mapped[Volunteer] = relationship()

    @property
    def hours(self) -> float | None:
        return None if self.minutes is None else round(self.minutes / 60, 2)
