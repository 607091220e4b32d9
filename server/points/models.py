
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Created, Keyed, Updated
from ..extensions import db


class PointsRule(Updated, db.Model):
    """How many points an event is worth; admins change these, the ledger keeps what was paid."""
    __tablename__ = "points_rules"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    points: Mapped[int]
    description: Mapped[str] = mapped_column(String(100), default="")
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PointsEntry(Keyed, Created, db.Model):
    """One line of the ledger. Rows are only ever inserted; a correction is a new negative row."""
    __tablename__ = "points_ledger"
    __table_args__ = (
        # Credited once: one row per volunteer, reason and referenced object.
        UniqueConstraint("volunteer_id", "reason", "ref_type", "ref_id", name="uq_points_once"),
        Index("ix_points_ledger_community_at", "community_id", "created_at"),
    )
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    delta: Mapped[int]
    reason: Mapped[str] = mapped_column(String(40))
    ref_type: Mapped[str] = mapped_column(String(20))
    ref_id: Mapped[int]


# Spending points at the love supermarket (积分兑换, a negative row) is not un-earning them: the
# leaderboard, the reports' points awarded and the ledger count EARNED rows; the balance counts all.
SPENDING = "redemption"
EARNED = PointsEntry.reason != SPENDING
