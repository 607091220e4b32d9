"""Home-visit orders as a task source of matching (server/matching_runs/sources.py lists it)."""
from datetime import datetime

import matching

from ..extensions import db
from ..identity.actor import Actor
from .models import ServiceOrder
from .queries import unassigned_home_visits
from .services import assign_order, release_order


class OrderSource:
    """Home visits with no chosen provider; a proposal accepted assigns the order."""
    task_type = "order"

    def open_tasks(self, community_ids, now: datetime) -> list[matching.Task]:
        return [matching.Task(
            id=f"{self.task_type}:{v.order_id}", lat=v.lat, lng=v.lng, skills=frozenset(v.skills),
            window_start=v.window_start, window_end=v.window_end,
            duration_min=min(v.duration_min, 60), priority=v.priority, in_person=True,
            community_id=v.community_id) for v in unassigned_home_visits(community_ids, now=now)]

    def get(self, task_id: int) -> ServiceOrder | None:
        return db.session.get(ServiceOrder, task_id)

    def assign(self, actor: Actor, task_id: int, volunteer_id: int, *, now: datetime) -> None:
        assign_order(actor, task_id, volunteer_id, now=now)

    def release(self, actor: Actor, task_id: int, reason: str, *, now: datetime) -> None:
        release_order(actor, task_id, reason, now=now)
