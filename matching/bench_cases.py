"""Seeded synthetic cases of MATCHING.md, laid over a real-sized district of Hangzhou.

Households and volunteers cluster around community centres (σ ≈ 600 m); one Saturday with
eight one-hour blocks (09:00–17:00 local); skills, radii, windows, loads and priorities drawn
from fixed distributions, so a seed always gives the same case.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np

from . import geo
from .model import Params, Task, Volunteer

CENTRE = (30.25, 120.17)
SKILLS = ("电器维修", "水管维修", "理发", "陪诊", "助餐", "心理疏导", "法律咨询", "手机电脑")
SKILL_P = np.array([0.2, 0.15, 0.1, 0.15, 0.15, 0.08, 0.07, 0.1])
SATURDAY = 5
# (start, end) minutes of the Saturday availability patterns, and their shares
PATTERNS = ((540, 720), (780, 1020), (540, 1020), (600, 960), (540, 840))
PATTERN_P = (0.3, 0.3, 0.15, 0.15, 0.1)
TASK_WINDOWS = ((None, None), (540, 720), (780, 1020), (600, 840))
TASK_WINDOW_P = (0.4, 0.25, 0.25, 0.1)


@dataclass(frozen=True)
class CaseSpec:
    name: str
    tasks: int
    volunteers: int
    half_km: float  # half side of the square area
    communities: int
    capacities: tuple[int, ...] = (2,)
    radii: tuple[int, ...] = (2000, 3000, 5000)


CASES = {
    "district": CaseSpec("district", 1200, 2400, 7.5, 60),
    "tight": CaseSpec("tight", 1200, 500, 7.5, 60, capacities=(2, 2, 3), radii=(3000, 4000, 5000)),
    "city": CaseSpec("city", 50_000, 100_000, 25.0, 2000),
}


def params_for(spec: CaseSpec) -> Params:
    tz = ZoneInfo("Asia/Shanghai")
    start = datetime(2025, 6, 7, tzinfo=tz).astimezone(timezone.utc)  # a Saturday
    return Params(start=start, days=1, day_start_min=540, day_end_min=1020)


def _places(rng, spec: CaseSpec, n: int, centres: np.ndarray):
    comm = rng.integers(0, len(centres), n)
    xy = centres[comm] + rng.normal(0.0, 600.0, (n, 2))
    lat, lng = geo.offset(CENTRE[0], CENTRE[1], xy[:, 1], xy[:, 0])
    return lat.tolist(), lng.tolist(), comm.tolist()


def _skill_sets(rng, n: int, counts, count_p) -> list[frozenset[str]]:
    """k skills per row without replacement, weighted by SKILL_P (Gumbel top-k), vectorised."""
    k = rng.choice(counts, size=n, p=count_p)
    keys = np.log(SKILL_P)[None, :] + rng.gumbel(size=(n, len(SKILLS)))
    rank = np.argsort(-keys, axis=1)
    chosen = np.zeros((n, len(SKILLS)), dtype=bool)
    rows = np.repeat(np.arange(n), k)
    cols = rank[rows, np.arange(len(rows)) - np.repeat(np.cumsum(k) - k, k)]
    chosen[rows, cols] = True
    code = chosen @ (1 << np.arange(len(SKILLS)))
    sets = {c: frozenset(SKILLS[j] for j in range(len(SKILLS)) if c >> j & 1) for c in np.unique(code).tolist()}
    return [sets[c] for c in code.tolist()]


def _tasks(rng, spec: CaseSpec, centres, start: datetime) -> list[Task]:
    n = spec.tasks
    lat, lng, comm = _places(rng, spec, n, centres)
    skills = _skill_sets(rng, n, [0, 1, 2], [0.55, 0.4, 0.05])
    win = rng.choice(len(TASK_WINDOWS), size=n, p=TASK_WINDOW_P).tolist()
    dur = rng.choice([30, 45, 60], size=n, p=[0.2, 0.2, 0.6]).tolist()
    prio = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.4, 0.25, 0.15, 0.12, 0.08]).tolist()
    needed = rng.choice([1, 2], size=n, p=[0.97, 0.03]).tolist()
    remote = (rng.random(n) < 0.1).tolist()
    local0 = start.astimezone(ZoneInfo("Asia/Shanghai"))

    def at(m):
        return None if m is None else (local0 + timedelta(minutes=m)).astimezone(timezone.utc)

    bounds = [(at(a), at(b)) for a, b in TASK_WINDOWS]
    return [
        Task(
            id=f"task:{i}", lat=lat[i], lng=lng[i], skills=skills[i],
            window_start=bounds[win[i]][0], window_end=bounds[win[i]][1],
            duration_min=dur[i], priority=prio[i], needed=needed[i],
            in_person=not remote[i], community_id=comm[i],
        )
        for i in range(n)
    ]


def _volunteers(rng, spec: CaseSpec, centres, start: datetime) -> list[Volunteer]:
    n = spec.volunteers
    lat, lng, comm = _places(rng, spec, n, centres)
    skills = _skill_sets(rng, n, [0, 1, 2, 3], [0.35, 0.35, 0.2, 0.1])
    pat = rng.choice(len(PATTERNS), size=n, p=PATTERN_P).tolist()
    cap = rng.choice(spec.capacities, size=n).tolist()
    radius = rng.choice(spec.radii, size=n).tolist()
    load = np.minimum(rng.poisson(1.0, n), 6).tolist()
    busy_hour = np.where(rng.random(n) < 0.1, rng.integers(9, 17, n), -1).tolist()
    local0 = start.astimezone(ZoneInfo("Asia/Shanghai"))
    hours = {h: (local0 + timedelta(hours=h)).astimezone(timezone.utc) for h in range(24)}
    busy = {h: ((hours[h], hours[h] + timedelta(hours=1)),) for h in range(24)}
    windows = [((SATURDAY, a, b), (6, 540, 720)) for a, b in PATTERNS]
    return [
        Volunteer(
            id=f"vol:{i}", lat=lat[i], lng=lng[i], skills=skills[i], availability=windows[pat[i]],
            capacity_per_day=cap[i], max_distance_m=radius[i], load_this_week=load[i],
            community_id=comm[i], busy=busy[busy_hour[i]] if busy_hour[i] >= 0 else (),
        )
        for i in range(n)
    ]


def make_case(name: str, seed: int = 1):
    """(tasks, volunteers, params) of the named case, the same for the same seed."""
    return make_spec_case(CASES[name], seed)


def make_spec_case(spec: CaseSpec, seed: int = 1):
    rng = np.random.default_rng([seed, len(spec.name), spec.tasks])
    half = spec.half_km * 1000.0
    centres = rng.uniform(-half, half, (spec.communities, 2))
    params = params_for(spec)
    return _tasks(rng, spec, centres, params.start), _volunteers(rng, spec, centres, params.start), params
