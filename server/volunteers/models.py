from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import InCommunity, Keyed, Reviewed, known
from ..enums import VOLUNTEER, VolunteerStatus  # noqa: F401  (re-exported)
from ..extensions import db
from ..identity.models import Unit, User
from ..timeutil import UTCDateTime, utcnow


class Volunteer(Keyed, InCommunity, Reviewed, db.Model):
    __tablename__ = "volunteers"
    __table_args__ = (
        known(VolunteerStatus),
        CheckConstraint("capacity_per_day between 1 and 10", name="capacity_range"),
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    status: Mapped[str] = mapped_column(String(12), default=VolunteerStatus.PENDING, index=True)
    # Reporting community (报到社区): where the volunteer serves; the secretary there approves.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    # [{"weekday": 0-6, "start": "HH:MM", "end": "HH:MM"}] in Asia/Shanghai.
    availability: Mapped[list] = mapped_column(JSON, default=list)
    capacity_per_day: Mapped[int] = mapped_column(default=2)
    max_distance_m: Mapped[int] = mapped_column(default=5000)
    lat: Mapped[float]
    lng: Mapped[float]
    is_party_member: Mapped[bool] = mapped_column(default=True)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    unit: Mapped[Unit | None] = relationship()

    def can_review(self) -> bool:
        return self.status == VolunteerStatus.PENDING

    def can_leave(self) -> bool:
        return self.status in (VolunteerStatus.ACTIVE, VolunteerStatus.PENDING)

    def can_apply_again(self) -> bool:
        return VOLUNTEER.can(self, VolunteerStatus.PENDING) and self.status is not None
