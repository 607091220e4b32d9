"""Home-visit orders as a task source of matching: their open tasks (server/matching_runs/sources.py
lists the source: a proposal accepted assigns the order, `assign_order`; given back, `release_order`).
"""
from datetime import datetime

import matching

from .queries import unassigned_home_visits

TASK_TYPE = "order"


def open_tasks(community_ids, now: datetime) -> list[matching.Task]:
    """Home visits with no chosen provider."""
    return [matching.Task(
        id=f"{TASK_TYPE}:{v.order_id}", lat=v.lat, lng=v.lng, skills=frozenset(v.skills),
        window_start=v.window_start, window_end=v.window_end,
        duration_min=min(v.duration_min, 60), priority=v.priority, in_person=True,
        community_id=v.community_id) for v in unassigned_home_visits(community_ids, now=now)]
