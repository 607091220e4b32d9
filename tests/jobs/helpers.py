"""Shared by the jobs tests: run a job the way the scheduler does, then read fresh rows."""
from flask import current_app

from jobs.runner import run_job
from server.extensions import db
from server.notifications.models import OutboxMessage


def run(name: str, now=None) -> dict:
    """Run a job through jobs/runner.py (own app context and transaction), as the scheduler does."""
    db.session.commit()  # the job's transaction must not wait for the test's
    counts = run_job(current_app._get_current_object(), name, now=now, holder="test")
    db.session.expire_all()
    return counts


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    query = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.execute(query).scalars().all()
