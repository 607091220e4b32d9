"""Retention of duty logs (called by the `retention` job): the note of a log decided more than
RETENTION_TEXT_DAYS ago is erased (a mediation note may name people); the row, its hours and its
points stay."""
from datetime import datetime

from sqlalchemy import update

from ..extensions import db
from .models import PostLog


def erase_old_log_notes(before: datetime) -> int:
    return db.session.execute(update(PostLog).where(
        PostLog.decided_at < before, PostLog.note != "").values(note="")
        .execution_options(synchronize_session=False)).rowcount
