"""Wishes as a task source of matching (server/matching_runs/sources.py lists it)."""
from datetime import datetime

import matching

from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import User
from .models import Wish, WishStatus
from .services import assign_wish, compute_priority, release_wish

# Tasks needing only these skills can be done by phone: no distance rule.
REMOTE_SKILLS = frozenset({"legal_advice", "counselling"})


class WishSource:
    """Open wishes of the communities; a proposal accepted claims the wish for the volunteer."""
    task_type = "wish"

    def open_tasks(self, community_ids, now: datetime) -> list[matching.Task]:
        rows = db.session.execute(
            db.select(Wish, User.need_tier).join(User, User.id == Wish.owner_id)
            .where(Wish.status == WishStatus.OPEN, Wish.community_id.in_(community_ids))
            .order_by(Wish.id)).all()
        tasks = []
        for wish, tier in rows:
            skills = frozenset(wish.skills or ())
            tasks.append(matching.Task(
                id=f"{self.task_type}:{wish.id}", lat=wish.lat, lng=wish.lng, skills=skills,
                window_start=wish.window_start, window_end=wish.window_end or wish.needed_by,
                duration_min=min(wish.duration_min, 60),
                priority=compute_priority(tier, wish.created_at, wish.needed_by, now),
                in_person=not (skills and skills <= REMOTE_SKILLS), community_id=wish.community_id))
        return tasks

    def get(self, task_id: int) -> Wish | None:
        return db.session.get(Wish, task_id)

    def assign(self, actor: Actor, task_id: int, volunteer_id: int, *, now: datetime) -> None:
        assign_wish(actor, task_id, volunteer_id, now=now)

    def release(self, actor: Actor, task_id: int, reason: str, *, now: datetime) -> None:
        release_wish(actor, task_id, reason, now=now)
