"""Posts (设岗定职): a community defines a post with duties and seats; volunteers hold seats;
holders log their duty hours, which a secretary confirms (points are credited then).

A post's `held` never exceeds its `seats` (a CHECK, and a conditional UPDATE in the services);
one volunteer holds one seat of a post at most (a partial unique index).
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Authored, Created, Decided, Ended, InCommunity, Keyed, known
from ..extensions import db
from ..statemachine import Machine, Tenure, tenure
from ..timeutil import UTCDateTime, utcnow
from ..volunteers.models import Volunteer

HolderStatus = Tenure  # active → ended
HOLDER = tenure("岗位任职")


class LogStatus(StrEnum):
    REPORTED = "reported"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


LOG = Machine("履职记录", {LogStatus.REPORTED: {LogStatus.CONFIRMED, LogStatus.REJECTED}})
MAX_LOG_MINUTES = 24 * 60


class Post(Keyed, InCommunity, Authored, db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        CheckConstraint("seats between 1 and 100", name="seats_range"),
        CheckConstraint("held >= 0 and held <= seats", name="held_within_seats"),
    )
    name: Mapped[str] = mapped_column(String(40))
    duties: Mapped[str] = mapped_column(String(500))
    seats: Mapped[int]
    held: Mapped[int] = mapped_column(default=0)

    holders: Mapped[list["PostHolder"]] = relationship(
        back_populates="post", order_by="PostHolder.id")

    @property
    def remaining(self) -> int:
        return self.seats - self.held


class PostHolder(Keyed, Ended, db.Model):
    __tablename__ = "post_holders"
    __table_args__ = (
        known(HolderStatus),
        Index("uq_post_holders_one_active", "post_id", "volunteer_id", unique=True,
              sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'")),
    )
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), default=HolderStatus.ACTIVE)
    appointed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[Post] = relationship(back_populates="holders")
    volunteer: Mapped[Volunteer] = relationship()


class PostLog(Keyed, Created, Decided, db.Model):
    """A holder's duty log: `reported → confirmed | rejected`; points on confirmation."""
    __tablename__ = "post_logs"
    __table_args__ = (
        known(LogStatus),
        CheckConstraint(f"minutes between 1 and {MAX_LOG_MINUTES}", name="minutes_range"),
    )
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("post_holders.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    note: Mapped[str] = mapped_column(String(500))
    minutes: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default=LogStatus.REPORTED)

    post: Mapped[Post] = relationship()
    volunteer: Mapped[Volunteer] = relationship()

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)
