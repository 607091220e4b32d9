from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Created, Decided, Keyed, known
from ..extensions import db
from ..statemachine import Machine
from ..timeutil import UTCDateTime


class RunStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


RUN = Machine("匹配运行", {RunStatus.RUNNING: {RunStatus.DONE, RunStatus.FAILED}})


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DECLINED = "declined"


PROPOSAL = Machine("匹配建议", {
    ProposalStatus.PROPOSED: {ProposalStatus.ACCEPTED, ProposalStatus.REJECTED,
                              ProposalStatus.DECLINED},
    ProposalStatus.ACCEPTED: {ProposalStatus.DECLINED},  # the volunteer gives the task back
})


class MatchingRun(Keyed, Created, db.Model):
    __tablename__ = "matching_runs"
    __table_args__ = (known(RunStatus),)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"), index=True)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    trigger: Mapped[str] = mapped_column(String(10), default="manual")  # manual | schedule
    status: Mapped[str] = mapped_column(String(10), default=RunStatus.RUNNING)
    stats: Mapped[dict] = mapped_column(JSON, default=dict)
    unmatched: Mapped[list] = mapped_column(JSON, default=list)
    message: Mapped[str | None] = mapped_column(String(200))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposals: Mapped[list["MatchProposal"]] = relationship(
        back_populates="run", order_by="MatchProposal.id")


class MatchProposal(Keyed, Decided, db.Model):
    """One pairing the engine proposes: proposed → accepted | rejected | declined."""
    __tablename__ = "match_proposals"
    __table_args__ = (
        known(ProposalStatus),
        CheckConstraint("task_type in ('wish','order')", name="task_type_known"),
        Index("ix_match_proposals_task", "task_type", "task_id"),
    )
    run_id: Mapped[int] = mapped_column(ForeignKey("matching_runs.id"), index=True)
    task_type: Mapped[str] = mapped_column(String(10))
    task_id: Mapped[int]
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    distance_m: Mapped[int]
    score: Mapped[int]
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default=ProposalStatus.PROPOSED)
    run: Mapped[MatchingRun] = relationship(back_populates="proposals")

    @classmethod
    def about(cls, task_type: str, task_ids):
        """SQL condition: the proposals about these tasks of one kind (the one place outside
        the source registry that compares a task type, as a column, never as a branch)."""
        return (cls.task_type == task_type) & cls.task_id.in_(list(task_ids))
