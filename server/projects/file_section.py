"""The projects part of a volunteer's file (一人一档): projects they claimed themselves."""
from ..extensions import db
from .models import CATEGORIES, STATUS_NAMES, Project


def file_section(volunteer_id: int) -> list[dict]:
    """The volunteer's claimed projects, newest first (title, status, progress, dates)."""
    projects = db.session.execute(
        db.select(Project).where(Project.claimed_volunteer_id == volunteer_id)
        .order_by(Project.id.desc())).scalars().all()
    return [{"kind": "project", "id": p.id, "title": p.title,
             "category": CATEGORIES.get(p.category, p.category), "community_id": p.community_id,
             "status": p.status, "status_name": STATUS_NAMES[p.status], "progress": p.progress,
             "claimed_at": p.claimed_at, "done_at": p.done_at} for p in projects]
