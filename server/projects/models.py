"""Projects (项目清单): a public-interest project a secretary publishes for a community, claimed
by a unit (through its unit secretary) or by a volunteer, with progress updates until done.

`open → claimed → done`, and `open | claimed → cancelled` (the secretary withdraws it); a done
project is then confirmed by a secretary in scope (`confirmed_at`, not a state: the claimer's
points are credited on it);
`claimed → open` when a claiming volunteer leaves (policy.membership). One
claimer at a time: the claim is a conditional UPDATE on `status = 'open'` (services.claim_project).
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Created, Keyed, Updated, known
from ..extensions import db
from ..identity.models import Community, Unit
from ..statemachine import Machine
from ..timeutil import UTCDateTime
from ..volunteers.models import Volunteer


class ProjectStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    DONE = "done"
    CANCELLED = "cancelled"


STATUS_NAMES = {ProjectStatus.OPEN: "待认领", ProjectStatus.CLAIMED: "已认领",
                ProjectStatus.DONE: "已完成", ProjectStatus.CANCELLED: "已取消"}
OPEN_STATUSES = (ProjectStatus.OPEN, ProjectStatus.CLAIMED)
# action -> (from statuses, to status): the whole machine.
TRANSITIONS = {
    "publish": ((None,), ProjectStatus.OPEN),
    "claim": ((ProjectStatus.OPEN,), ProjectStatus.CLAIMED),
    "complete": ((ProjectStatus.CLAIMED,), ProjectStatus.DONE),
    "cancel": (OPEN_STATUSES, ProjectStatus.CANCELLED),
    "release": ((ProjectStatus.CLAIMED,), ProjectStatus.OPEN),  # the claimer left (membership)
}
ACTION_NAMES = {"publish": "发布", "claim": "认领", "complete": "完成", "cancel": "取消",
                "release": "退回",
                "update": "报告进展", "confirm": "确认"}
PROJECT = Machine("项目", {
    state: {to for starts, to in TRANSITIONS.values() if state in starts}
    for state in (None, *ProjectStatus) if any(state in s for s, _ in TRANSITIONS.values())
})
CATEGORIES = {"environment": "环境整治", "elderly": "助老助残", "children": "关爱儿童",
              "culture": "文化宣传", "safety": "平安建设", "other": "其他"}



class Project(Keyed, Created, Updated, db.Model):
    __tablename__ = "projects"
    __table_args__ = (
        known(ProjectStatus),
        CheckConstraint("progress between 0 and 100", name="progress_range"),
        CheckConstraint("status not in ('claimed','done') or claimed_by is not null",
                        name="claimed_has_claimer"),
        Index("ix_projects_community_status", "community_id", "status"),
    )
    title: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(1000), default="")
    category: Mapped[str] = mapped_column(String(20), default="other")
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    # Where the work happens, as people name it; may be a home, so only the allowed read it.
    address: Mapped[str] = mapped_column(String(200), default="")
    lat: Mapped[float]
    lng: Mapped[float]
    seats: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(10), default=ProjectStatus.OPEN)
    progress: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The claimer: the user who claimed, and either their volunteer profile or their unit.
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"),
                                                             index=True)
    claimed_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A secretary in scope confirms the done work (never the claimer: claimer/confirmer); the
    # claiming volunteer's points are credited then (DESIGN.md: no points before confirmation).
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))

    community: Mapped[Community] = relationship()
    claimed_unit: Mapped[Unit | None] = relationship()
    claimed_volunteer: Mapped[Volunteer | None] = relationship()
    updates: Mapped[list["ProjectUpdate"]] = relationship(
        back_populates="project", order_by="ProjectUpdate.id")

    def can(self, action: str) -> bool:
        return self.status in TRANSITIONS[action][0]


class ProjectUpdate(Keyed, Created, db.Model):
    """A progress report by the claimer."""
    __tablename__ = "project_updates"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(500))
    progress: Mapped[int] = mapped_column(default=0)

    project: Mapped[Project] = relationship(back_populates="updates")
