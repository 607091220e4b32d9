"""The run log of the jobs process: recorded after each run, pruned daily."""
from datetime import datetime, timedelta

from ..config import settings
from ..extensions import db
from ..identity.actor import Actor
from ..timeutil import utcnow
from .models import JobRun
from .settings import system_only


def record_job_run(actor: Actor, job: str, holder: str, *, started_at: datetime,
                   counts: dict | None = None, error: str | None = None,
                   now: datetime | None = None) -> JobRun:
    """Append one row for a finished run (ok when there is no error)."""
    system_only(actor)
    run = JobRun(job=job, holder=holder[:120], started_at=started_at,
                 finished_at=now or utcnow(), ok=error is None, counts=counts or {},
                 error=error[:300] if error else None)
    db.session.add(run)
    db.session.flush()
    return run


def prune_job_runs(actor: Actor, *, now: datetime | None = None) -> dict:
    """Delete run log rows older than JOBS_RUNS_KEEP_DAYS (default 7)."""
    system_only(actor)
    cutoff = (now or utcnow()) - timedelta(days=settings().jobs_runs_keep_days)
    result = db.session.execute(db.delete(JobRun).where(JobRun.started_at < cutoff))
    return {"deleted": result.rowcount}


def last_runs(job: str | None = None, limit: int = 20) -> list[JobRun]:
    query = db.select(JobRun).order_by(JobRun.id.desc()).limit(limit)
    if job is not None:
        query = query.where(JobRun.job == job)
    return db.session.execute(query).scalars().all()
