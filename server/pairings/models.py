"""Pairings (结对, 一帮一): a volunteer and a household (a resident user) for the long term, with a
visit every N days; `active → ended`. The engine proposes pairings for a community's unpaired
households (server/pairings/proposals.py): a run holds proposals, `proposed → accepted |
rejected`; accepting one creates the pairing.
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Authored, Created, Decided, Ended, InCommunity, Keyed, known
from ..extensions import db
from ..identity.models import User
from ..statemachine import Machine, Tenure, tenure
from ..timeutil import UTCDateTime, utcnow
from ..volunteers.models import Volunteer

PairingStatus = Tenure  # active → ended
PAIRING = tenure("结对")


class PairingKind(StrEnum):
    ONE_TO_ONE = "one_to_one"   # 一帮一
    ELDERLY = "elderly"         # 关爱老人
    HARDSHIP = "hardship"       # 困难家庭帮扶
    CHILD = "child"             # 关爱儿童


KIND_NAMES = {PairingKind.ONE_TO_ONE: "一帮一", PairingKind.ELDERLY: "关爱老人",
              PairingKind.HARDSHIP: "困难家庭帮扶", PairingKind.CHILD: "关爱儿童"}


class PairingProposalStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


PAIRING_PROPOSAL = Machine("结对建议", {
    PairingProposalStatus.PROPOSED: {PairingProposalStatus.ACCEPTED,
                                     PairingProposalStatus.REJECTED}})


class PairingRunStatus(StrEnum):
    DONE = "done"
    FAILED = "failed"


class Pairing(Keyed, Authored, Ended, db.Model):
    __tablename__ = "pairings"
    __table_args__ = (
        known(PairingStatus),
        known(PairingKind, "kind"),
        CheckConstraint("visit_every_days between 1 and 366", name="visit_every_range"),
        # One active pairing per volunteer and household, even when two requests race.
        Index("uq_pairings_one_active", "volunteer_id", "household_id", unique=True,
              sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'")),
        Index("ix_pairings_community_status", "community_id", "status"),
    )
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))  # the household's
    kind: Mapped[str] = mapped_column(String(12))
    visit_every_days: Mapped[int]
    status: Mapped[str] = mapped_column(String(8), default=PairingStatus.ACTIVE)
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_visit_due: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reminded_due: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the due date reminded
    ended_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("pairing_proposals.id"))

    volunteer: Mapped[Volunteer] = relationship()
    household: Mapped[User] = relationship(foreign_keys=[household_id])
    visits: Mapped[list["PairingVisit"]] = relationship(
        back_populates="pairing", order_by="PairingVisit.id")

    def is_overdue(self, now: datetime) -> bool:
        return self.status == PairingStatus.ACTIVE and self.next_visit_due < now


class PairingVisit(Keyed, db.Model):
    __tablename__ = "pairing_visits"
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    note: Mapped[str] = mapped_column(String(500))
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    was_overdue: Mapped[bool] = mapped_column(default=False)

    pairing: Mapped[Pairing] = relationship(back_populates="visits")


class PairingRun(Keyed, InCommunity, Created, db.Model):
    __tablename__ = "pairing_runs"
    __table_args__ = (
        known(PairingRunStatus),
        known(PairingKind, "kind"),
    )
    started_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(12), default=PairingKind.ONE_TO_ONE)
    visit_every_days: Mapped[int] = mapped_column(default=30)
    status: Mapped[str] = mapped_column(String(8), default=PairingRunStatus.DONE)
    stats: Mapped[dict] = mapped_column(JSON, default=dict)
    unmatched: Mapped[list] = mapped_column(JSON, default=list)
    proposals: Mapped[list["PairingProposal"]] = relationship(
        back_populates="run", order_by="PairingProposal.id")


class PairingProposal(Keyed, Decided, db.Model):
    __tablename__ = "pairing_proposals"
    __table_args__ = (known(PairingProposalStatus),)
    run_id: Mapped[int] = mapped_column(ForeignKey("pairing_runs.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    distance_m: Mapped[int]
    score: Mapped[int]
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default=PairingProposalStatus.PROPOSED)

    run: Mapped[PairingRun] = relationship(back_populates="proposals")
    volunteer: Mapped[Volunteer] = relationship()
    household: Mapped[User] = relationship(foreign_keys=[household_id])
