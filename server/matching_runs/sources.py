"""The registry of task sources: every kind of task matching can propose a volunteer for.

A source is an object with the `TaskSource` shape. Where a task is a row that the capability's
own services assign and release, the source is a `RowSource`: the capability writes its open
tasks (`open_tasks` in server/wishes/task_source.py, server/orders/task_source.py) and this
registry names them with the row's model and the two services. Matching never branches on the
task type: it asks `source(kind)`. A new kind of task (donation pick-ups …) writes its open tasks
and adds one line to `SOURCES` below.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import matching

from ..errors import NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..orders import task_source as orders
from ..orders.models import ServiceOrder
from ..orders.services import assign_proposed_order, release_order
from ..wishes import task_source as wishes
from ..wishes.models import Wish
from ..wishes.services import assign_wish, release_wish


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


@dataclass(frozen=True)
class RowSource:
    """A TaskSource whose tasks are rows of `model`, assigned and released by the capability's
    own services (`assign(actor, task_id, volunteer_id, *, now)`, `release(actor, task_id,
    reason, *, now)`), under the task's own rules."""
    task_type: str
    model: type
    open_tasks: Callable[[Any, datetime], list[matching.Task]]
    assign: Callable[..., None]
    release: Callable[..., None]

    def get(self, task_id: int) -> Any:
        return db.session.get(self.model, task_id)


SOURCES: dict[str, TaskSource] = {s.task_type: s for s in (
    RowSource(wishes.TASK_TYPE, Wish, wishes.open_tasks, assign_wish, release_wish),
    RowSource(orders.TASK_TYPE, ServiceOrder, orders.open_tasks, assign_proposed_order,
                release_order),
)}


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

