"""Plain data in and out of the engine: tasks, volunteers, parameters, results."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

REASON_CODES = ("no_skill", "too_far", "no_time", "at_capacity", "outcompeted")


@dataclass(frozen=True)
class Task:
    """An open task: a micro-wish or a home-visit order with no chosen provider."""

    id: str
    lat: float
    lng: float
    skills: frozenset[str] = frozenset()
    window_start: datetime | None = None  # aware; None = from the problem start
    window_end: datetime | None = None  # aware; None = until the horizon end
    duration_min: int = 60
    priority: int = 1  # 1 (normal) .. 5 (most urgent)
    needed: int = 1
    in_person: bool = True  # False: no radius rule
    community_id: int | None = None


@dataclass(frozen=True)
class Volunteer:
    """A volunteer with weekly availability in local time and existing commitments."""

    id: str
    lat: float
    lng: float
    skills: frozenset[str] = frozenset()
    # (weekday 0=Mon..6, start_minute, end_minute) in Params.tz; () = available in every slot
    availability: tuple[tuple[int, int, int], ...] = ()
    capacity_per_day: int = 2
    max_distance_m: int = 5000
    load_this_week: int = 0
    community_id: int | None = None
    busy: tuple[tuple[datetime, datetime], ...] = ()  # aware intervals already taken


@dataclass(frozen=True)
class Params:
    """Horizon, slot grid and cost weights of one matching run."""

    start: datetime  # aware; horizon start
    days: int = 7
    tz: str = "Asia/Shanghai"
    slot_minutes: int = 60  # fixed, non-overlapping blocks; a task occupies one whole block
    day_start_min: int = 8 * 60  # first block of each local day starts here
    day_end_min: int = 20 * 60  # last block ends at or before this
    candidates_per_task: int | None = 8  # nearest fully feasible volunteers (3/4 when plentiful)
    candidates_per_volunteer: int = 16  # nearest feasible tasks per volunteer when scarce
    max_scan: int = 4096  # most neighbours examined per task while looking for candidates
    fairness_cost: int = 25  # metres-equivalent per task a volunteer already carries
    other_community_cost: int = 10  # metres-equivalent when communities differ
    spare_skill_cost: int = 5  # per unneeded skill (up to 5): keep specialists free
    day_cost: int = 300  # per day of delay, times priority: urgent work goes sooner
    exact_up_to: int = 6000  # one exact flow up to this many tasks; tiles + seam round above
    tile_tasks: int = 3000  # tasks per tile in large runs (tiles hold half to all of this)
    workers: int = 2  # processes for the tiles of large runs (forked; 1 = in this process)
    verify_tiled: bool = False  # large runs: also compute the max-flow bound of the whole graph
    time_limit_s: float = 10.0  # used by solve_isolated(); solve() itself always completes


@dataclass
class Proposal:
    task_id: str
    volunteer_id: str
    start: datetime
    end: datetime
    distance_m: int
    score: int  # the arc cost the solver paid (lower is better)
    reasons: list[str] = field(default_factory=list)


@dataclass
class Unmatched:
    task_id: str
    reason: str  # one of REASON_CODES
    message: str


@dataclass
class Result:
    proposals: list[Proposal]
    unmatched: list[Unmatched]
    stats: dict


class MatchingError(RuntimeError):
    """The solver did not reach an optimal flow (overflow or an internal error)."""
