"""Small builders and independent checks for the matching tests (no engine internals)."""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ortools.sat.python import cp_model

from matching import Params

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2025, 6, 7, 0, 0, tzinfo=timezone.utc)  # Saturday 08:00 in Shanghai
SATURDAY = 5
LAT0, LNG0 = 30.25, 120.17


def params(**kw) -> Params:
    """One Saturday morning: four one-hour blocks, 08:00-12:00 local."""
    base = dict(start=START, days=1, day_start_min=8 * 60, day_end_min=12 * 60)
    base.update(kw)
    return Params(**base)


def local(hour: int, minute: int = 0) -> datetime:
    """Saturday hh:mm in Shanghai, as an aware UTC datetime."""
    return datetime(2025, 6, 7, hour, minute, tzinfo=TZ).astimezone(timezone.utc)


def place(dx_m: float, dy_m: float) -> tuple[float, float]:
    """(lat, lng) of a point dx metres east and dy metres north of the reference point."""
    lat = LAT0 + dy_m / 111_195.0
    lng = LNG0 + dx_m / (111_195.0 * math.cos(math.radians(LAT0)))
    return lat, lng


def haversine_m(a_lat, a_lng, b_lat, b_lng) -> float:
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lng - a_lng)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def blocks(p: Params) -> list[datetime]:
    """Block starts of the grid, rebuilt independently of the engine."""
    out, day0 = [], p.start.astimezone(ZoneInfo(p.tz)).date()
    for d in range(p.days + 1):
        date = day0 + timedelta(days=d)
        m = p.day_start_min
        while m + p.slot_minutes <= p.day_end_min:
            s = datetime(date.year, date.month, date.day, tzinfo=ZoneInfo(p.tz)) + timedelta(minutes=m)
            if p.start <= s and s + timedelta(minutes=p.slot_minutes) <= p.start + timedelta(days=p.days):
                out.append(s.astimezone(timezone.utc))
            m += p.slot_minutes
    return out


def _covered(v, s: datetime, e: datetime, tz: str) -> bool:
    """The whole block lies inside one of the volunteer's weekly windows (none = always)."""
    if not v.availability:
        return True
    ls = s.astimezone(ZoneInfo(tz))
    a_min = ls.hour * 60 + ls.minute
    b_min = a_min + int((e - s).total_seconds() // 60)
    return any(wd == ls.weekday() and a <= a_min and b_min <= b for wd, a, b in v.availability)


def feasible(task, vol, start: datetime, p: Params, slack: float = 0.0) -> bool:
    """Every hard rule for `vol` doing `task` in the block starting at `start`."""
    end = start + timedelta(minutes=p.slot_minutes)
    ws = task.window_start or p.start
    we = task.window_end or p.start + timedelta(days=p.days)
    if not task.skills <= vol.skills or vol.capacity_per_day < 1:
        return False
    if task.duration_min > p.slot_minutes or start < ws or start + timedelta(minutes=task.duration_min) > we:
        return False
    if task.in_person and haversine_m(task.lat, task.lng, vol.lat, vol.lng) > vol.max_distance_m * (1 + slack):
        return False
    if any(a < end and b > start for a, b in vol.busy):
        return False
    return _covered(vol, start, end, p.tz)


def assert_rules_hold(result, tasks, vols, p: Params) -> None:
    """Skills, radius, window, availability, capacity, distinct volunteers, no overlap."""
    t_by, v_by = {t.id: t for t in tasks}, {v.id: v for v in vols}
    per_vol, per_task = defaultdict(list), defaultdict(set)
    for pr in result.proposals:
        t, v = t_by[pr.task_id], v_by[pr.volunteer_id]
        block = max(b for b in blocks(p) if b <= pr.start)
        assert pr.start == block, "a task starts at a block start"
        assert pr.end - pr.start == timedelta(minutes=t.duration_min)
        assert feasible(t, v, pr.start, p, slack=0.005), (pr, t, v)
        assert pr.volunteer_id not in per_task[pr.task_id], "one volunteer twice on a task"
        per_task[pr.task_id].add(pr.volunteer_id)
        per_vol[pr.volunteer_id].append(pr)
    for vid, props in per_vol.items():
        props.sort(key=lambda x: x.start)
        assert all(a.end <= b.start for a, b in zip(props, props[1:])), f"overlap for {vid}"
        days = defaultdict(int)
        for x in props:
            days[x.start.astimezone(ZoneInfo(p.tz)).date()] += 1
        assert max(days.values()) <= v_by[vid].capacity_per_day
    for tid, vids in per_task.items():
        assert len(vids) <= t_by[tid].needed


def cp_sat_best(tasks, vols, p: Params, weighted: bool, slack: float = 0.0) -> int:
    """Most task units (or priority points) any assignment can serve, by CP-SAT."""
    m = cp_model.CpModel()
    x = {}
    for ti, t in enumerate(tasks):
        for vi, v in enumerate(vols):
            for bi, b in enumerate(blocks(p)):
                if feasible(t, v, b, p, slack):
                    x[ti, vi, bi] = m.new_bool_var(f"x{ti}_{vi}_{bi}")
    group = defaultdict(list)
    for (ti, vi, bi), var in x.items():
        group["t", ti].append(var)
        group["tv", ti, vi].append(var)
        group["vb", vi, bi].append(var)
        day = blocks(p)[bi].astimezone(ZoneInfo(p.tz)).date()
        group["vd", vi, day].append(var)
    for key, vars_ in group.items():
        limit = {"t": lambda: tasks[key[1]].needed, "tv": lambda: 1, "vb": lambda: 1,
                 "vd": lambda: vols[key[1]].capacity_per_day}[key[0]]()
        m.add(sum(vars_) <= limit)
    m.maximize(sum(var * (tasks[k[0]].priority if weighted else 1) for k, var in x.items()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(m) == cp_model.OPTIMAL
    return int(round(solver.objective_value))
