"""The registry of task sources: every kind of task matching can propose a volunteer for.

A source is an object with the `TaskSource` shape, defined in its own capability package
(server/wishes/task_source.py, server/orders/task_source.py). Matching never branches on the
task type: it asks `source(kind)`. A new kind of task (pairings, donation pick-ups …) writes
its source and adds one line to `SOURCES` below.
"""
from datetime import datetime
from typing import Any, Protocol

import matching

from ..errors import NotFound
from ..identity.actor import Actor
from ..orders.task_source import OrderSource
from ..wishes.task_source import WishSource


class TaskSource(Protocol):
    task_type: str  # the prefix of the engine's task ids and MatchProposal.task_type

    def open_tasks(self, community_ids, now: datetime) -> list[matching.Task]:
        """The tasks of these communities waiting for a volunteer, as the engine's Task."""

    def get(self, task_id: int) -> Any:
        """The task's row (with lat, lng, community_id), or None."""

    def assign(self, actor: Actor, task_id: int, volunteer_id: int, *, now: datetime) -> None:
        """An accepted proposal: the volunteer takes the task, under the task's own rules."""

    def release(self, actor: Actor, task_id: int, reason: str, *, now: datetime) -> None:
        """The volunteer gives an accepted task back; it is open again."""


SOURCES: dict[str, TaskSource] = {s.task_type: s for s in (WishSource(), OrderSource())}


def source(task_type: str) -> TaskSource:
    try:
        return SOURCES[task_type]
    except KeyError:
        raise NotFound("任务不存在") from None


def open_tasks(community_ids, now: datetime) -> list[matching.Task]:
    """Every source's open tasks, in registry order."""
    return [task for s in SOURCES.values() for task in s.open_tasks(community_ids, now)]


def get_task(task_type: str, task_id: int):
    """The task's row, or None when the kind or the task is unknown."""
    known = SOURCES.get(task_type)
    return known.get(task_id) if known is not None else None


def community_of(task_type: str, task_id: int) -> int | None:
    task = get_task(task_type, task_id)
    return task.community_id if task is not None else None

