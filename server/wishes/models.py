"""A wish and its claims. States: pending_review → open → claimed → fulfilled → confirmed, with
rejected, cancelled, expired, and claimed → open on release or no-show."""
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Ended, Keyed, Reviewed, known
from ..extensions import db
from ..identity.models import User
from ..statemachine import Machine
from ..timeutil import UTCDateTime, utcnow

if TYPE_CHECKING:  # only for the annotation: volunteers is a later layer
    from ..volunteers.models import Volunteer  # noqa: F401


class WishStatus(StrEnum):
    PENDING_REVIEW = "pending_review"
    OPEN = "open"
    CLAIMED = "claimed"
    FULFILLED = "fulfilled"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


WISH = Machine("心愿", {
    WishStatus.PENDING_REVIEW: {WishStatus.OPEN, WishStatus.REJECTED, WishStatus.CANCELLED,
                                WishStatus.EXPIRED},
    WishStatus.OPEN: {WishStatus.CLAIMED, WishStatus.CANCELLED, WishStatus.EXPIRED},
    WishStatus.CLAIMED: {WishStatus.OPEN, WishStatus.FULFILLED, WishStatus.CANCELLED},
    WishStatus.FULFILLED: {WishStatus.CONFIRMED},
})


class ClaimStatus(StrEnum):
    ACTIVE = "active"
    RELEASED = "released"
    NO_SHOW = "no_show"
    DONE = "done"


CLAIM = Machine("认领", {
    ClaimStatus.ACTIVE: {ClaimStatus.RELEASED, ClaimStatus.NO_SHOW, ClaimStatus.DONE},
})

CATEGORIES = {
    "goods": "物资", "repair": "维修", "health": "健康", "companionship": "陪伴",
    "study": "学习", "errand": "跑腿", "other": "其他",
}


class Wish(Keyed, Reviewed, db.Model):
    __tablename__ = "wishes"
    __table_args__ = (
        known(WishStatus),
        CheckConstraint("(status in ('claimed','fulfilled','confirmed')) = (claimed_by is not null)",
                        name="claimed_has_volunteer"),
        Index("ix_wishes_wall", "status", "community_id", "created_at"),
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # 代办: the secretary or grid worker who posted it for a resident without WeChat.
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    title: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(500))
    category: Mapped[str] = mapped_column(String(20))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    photos: Mapped[list] = mapped_column(JSON, default=list)
    needed_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_min: Mapped[int] = mapped_column(default=60)
    estimated_value_fen: Mapped[int | None]
    lat: Mapped[float]
    lng: Mapped[float]
    address: Mapped[str | None] = mapped_column(String(200))
    priority: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default=WishStatus.PENDING_REVIEW)
    # pass | review | unchecked (WeChat unreachable) | human (approved by a secretary unchecked)
    content_check: Mapped[str] = mapped_column(String(10), default="unchecked")
    content_trace_id: Mapped[str | None] = mapped_column(String(80))
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fulfil_note: Mapped[str | None] = mapped_column(String(500))
    fulfil_photos: Mapped[list] = mapped_column(JSON, default=list)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rating: Mapped[int | None]
    thanks: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    # Read-only: lets the wall eager-load claimers' names (queries.WALL_LOADS); claims change
    # claimed_by through services only.
    claimer: Mapped["Volunteer | None"] = relationship(foreign_keys=[claimed_by], viewonly=True)

    def can_cancel(self) -> bool:
        # The owner's withdrawal; claimed → cancelled is the owner's account being cancelled only.
        return self.status in (WishStatus.PENDING_REVIEW, WishStatus.OPEN)


class WishClaim(Keyed, Ended, db.Model):
    """One claim of a wish by a volunteer; at most one active claim per wish (partial unique)."""
    __tablename__ = "wish_claims"
    __table_args__ = (
        Index("uq_wish_claims_one_active", "wish_id", unique=True,
              sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'")),
        Index("ix_wish_claims_volunteer_status", "volunteer_id", "status"),
    )
    wish_id: Mapped[int] = mapped_column(ForeignKey("wishes.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"))
    # active | released | no_show | done
    status: Mapped[str] = mapped_column(String(10), default=ClaimStatus.ACTIVE)
    source: Mapped[str] = mapped_column(String(10), default="self")  # self | matching
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_progress_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
