"""The jobs process's run log: one row per job run, with its counts or its error."""
from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Keyed
from ..extensions import db
from ..timeutil import UTCDateTime, utcnow


class JobRun(Keyed, db.Model):
    """What a job did and which process ran it (`holder`: host:pid, or cli:host:pid)."""
    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_started", "job", "started_at"),)
    job: Mapped[str] = mapped_column(String(40))
    holder: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ok: Mapped[bool] = mapped_column(default=True)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(String(300))
