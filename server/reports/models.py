"""Daily figures per community, written by the jobs process (one row per community and day),
and the indexes the reports read live rows by."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Keyed
from ..extensions import db
from ..orders.models import ServiceOrder
from ..points.models import PointsEntry
from ..timeutil import UTCDateTime, utcnow
from ..wishes.models import Wish, WishClaim


class CommunityFigures(Keyed, db.Model):
    """Flows count what happened on the local (Asia/Shanghai) day up to `taken_at`; stocks
    (wishes_open, active_volunteers) are as of `taken_at`. Order counts stay NULL while the
    orders capability is not installed; volunteer_minutes is NULL in rows taken before it was
    counted (migration 0017)."""
    __tablename__ = "community_figures"
    __table_args__ = (UniqueConstraint("community_id", "day", name="uq_community_figures_day"),
                      Index("ix_community_figures_day", "day"))
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
    # Service time of the day's finished tasks (wishes confirmed + orders done), in minutes.
    volunteer_minutes: Mapped[int | None]
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The reports read a range of finished tasks, claims and points by time (figures) and by
# volunteer (the ledger); these indexes keep a district's year under a second (docs/reports.md).
Index("ix_wishes_confirmed_at", Wish.confirmed_at)
Index("ix_wish_claims_claimed_at", WishClaim.claimed_at)
Index("ix_wish_claims_wish_claimed", WishClaim.wish_id, WishClaim.claimed_at)  # a wish's first claim
Index("ix_service_orders_done_at", ServiceOrder.done_at)
Index("ix_points_ledger_volunteer_created", PointsEntry.volunteer_id, PointsEntry.created_at)
