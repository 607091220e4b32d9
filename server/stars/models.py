"""争六星: a period (`2026H2`) opened every June and December; per volunteer one review,
`self_assessed → peer_reviewed → branch_reviewed → approved`. Six stars with their share of 100
points; a final score of 95 or more is commended. Each peer scores a review once (unique).
"""
import re
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Created, Keyed, Updated, known
from ..extensions import db
from ..statemachine import Machine
from ..timeutil import UTCDateTime, utcnow
from ..volunteers.models import Volunteer

# code -> (name, the most points the star may carry); the maxima add up to 100.
STARS = {"zongzhi": ("宗旨星", 20), "zhifu": ("致富星", 15), "bangdai": ("帮带星", 20),
         "shoufa": ("守法星", 15), "tuanjie": ("团结星", 15), "wenming": ("文明星", 15)}
TOTAL_POINTS = 100
COMMENDED_AT = 95
PEER_SCORES_REQUIRED = 3  # peers who must score before the branch may review
PERIOD_CODE = re.compile(r"^(20\d\d)H([12])$")


class PeriodStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


PERIOD = Machine("评星周期", {None: {PeriodStatus.OPEN}, PeriodStatus.OPEN: {PeriodStatus.CLOSED}})


class ReviewStatus(StrEnum):
    SELF_ASSESSED = "self_assessed"
    PEER_REVIEWED = "peer_reviewed"
    BRANCH_REVIEWED = "branch_reviewed"
    APPROVED = "approved"


STATUS_NAMES = {ReviewStatus.SELF_ASSESSED: "已自评", ReviewStatus.PEER_REVIEWED: "已互评",
                ReviewStatus.BRANCH_REVIEWED: "支部已评议", ReviewStatus.APPROVED: "街道已审定"}
REVIEW = Machine("六星评定", {
    None: {ReviewStatus.SELF_ASSESSED},
    ReviewStatus.SELF_ASSESSED: {ReviewStatus.PEER_REVIEWED},
    ReviewStatus.PEER_REVIEWED: {ReviewStatus.BRANCH_REVIEWED},
    ReviewStatus.BRANCH_REVIEWED: {ReviewStatus.APPROVED},
})
PEER_STATUSES = (ReviewStatus.SELF_ASSESSED, ReviewStatus.PEER_REVIEWED)


def period_code(day: date) -> str:
    return f"{day.year}H{1 if day.month <= 6 else 2}"


def period_bounds(code: str) -> tuple[date, date]:
    """[first day, day after the last) of a half-year period."""
    year, half = PERIOD_CODE.match(code).groups()
    year = int(year)
    return ((date(year, 1, 1), date(year, 7, 1)) if half == "1"
            else (date(year, 7, 1), date(year + 1, 1, 1)))


def total_of(scores: dict) -> int:
    return sum(int(scores.get(code, 0)) for code in STARS)


class StarPeriod(Keyed, db.Model):
    __tablename__ = "star_periods"
    __table_args__ = (known(PeriodStatus),)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(8), default=PeriodStatus.OPEN)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StarReview(Keyed, Created, Updated, db.Model):
    __tablename__ = "star_reviews"
    __table_args__ = (
        UniqueConstraint("period_id", "volunteer_id", name="uq_star_review_once"),
        known(ReviewStatus),
        CheckConstraint("self_total between 0 and 100", name="self_total_range"),
        Index("ix_star_reviews_period_community", "period_id", "community_id", "status"),
    )
    period_id: Mapped[int] = mapped_column(ForeignKey("star_periods.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    # The branch: the volunteer's community party branch when the review was made.
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    status: Mapped[str] = mapped_column(String(16), default=ReviewStatus.SELF_ASSESSED)
    self_scores: Mapped[dict] = mapped_column(JSON, default=dict)
    self_total: Mapped[int] = mapped_column(default=0)
    self_note: Mapped[str] = mapped_column(String(500), default="")
    # What the ledger held for the period when the volunteer assessed themself.
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    peer_count: Mapped[int] = mapped_column(default=0)
    peer_average: Mapped[float | None]
    branch_scores: Mapped[dict | None] = mapped_column(JSON)
    branch_total: Mapped[int | None]
    branch_comment: Mapped[str | None] = mapped_column(String(500))
    branch_reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    branch_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    commended: Mapped[bool] = mapped_column(default=False)

    period: Mapped[StarPeriod] = relationship()
    volunteer: Mapped[Volunteer] = relationship()

    @property
    def final_total(self) -> int | None:
        return self.branch_total if self.status == ReviewStatus.APPROVED else None


class StarPeerScore(Keyed, Created, db.Model):
    __tablename__ = "star_peer_scores"
    __table_args__ = (
        UniqueConstraint("review_id", "scorer_volunteer_id", name="uq_star_peer_once"),
        CheckConstraint("total between 0 and 100", name="total_range"),
    )
    review_id: Mapped[int] = mapped_column(ForeignKey("star_reviews.id"), index=True)
    scorer_volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"))
    scorer_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    total: Mapped[int]
