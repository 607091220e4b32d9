"""Wishes as a task source of matching: their open tasks (server/matching_runs/sources.py lists
the source: a proposal accepted claims the wish for the volunteer, `assign_wish`; given back,
`release_wish`)."""
from datetime import datetime

import matching

from ..extensions import db
from ..identity.models import User
from .models import Wish, WishStatus
from .services import compute_priority

# Tasks needing only these skills can be done by phone: no distance rule.
REMOTE_SKILLS = frozenset({"legal_advice", "counselling"})
TASK_TYPE = "wish"


def open_tasks(community_ids, now: datetime) -> list[matching.Task]:
    """Open wishes of the communities."""
    rows = db.session.execute(
        db.select(Wish, User.need_tier).join(User, User.id == Wish.owner_id)
        .where(Wish.status == WishStatus.OPEN, Wish.community_id.in_(community_ids))
        .order_by(Wish.id)).all()
    tasks = []
    for wish, tier in rows:
        skills = frozenset(wish.skills or ())
        tasks.append(matching.Task(
            id=f"{TASK_TYPE}:{wish.id}", lat=wish.lat, lng=wish.lng, skills=skills,
            window_start=wish.window_start, window_end=wish.window_end or wish.needed_by,
            duration_min=min(wish.duration_min, 60),
            priority=compute_priority(tier, wish.created_at, wish.needed_by, now),
            in_person=not (skills and skills <= REMOTE_SKILLS), community_id=wish.community_id))
    return tasks
