"""Daily figures per community, written by the jobs process (one row per community and day)."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UTCDateTime, utcnow


class CommunityFigures(db.Model):
    """Flows count what happened on the local (Asia/Shanghai) day up to `taken_at`; stocks
    (wishes_open, active_volunteers) are as of `taken_at`. Order counts stay NULL while the
    orders capability is not installed."""
    __tablename__ = "community_figures"
    __table_args__ = (UniqueConstraint("community_id", "day", name="uq_community_figures_day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    day: Mapped[date] = mapped_column(Date)
    wishes_posted: Mapped[int] = mapped_column(default=0)
    wishes_open: Mapped[int] = mapped_column(default=0)
    wishes_claimed: Mapped[int] = mapped_column(default=0)
    wishes_confirmed: Mapped[int] = mapped_column(default=0)
    active_volunteers: Mapped[int] = mapped_column(default=0)
    points_credited: Mapped[int] = mapped_column(default=0)
    orders_requested: Mapped[int | None]
    orders_done: Mapped[int | None]
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
