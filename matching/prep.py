"""Turn dataclasses into numpy arrays: projected coordinates, skill bits, the slot grid.

Time is counted in whole minutes from Params.start. The slot grid is a list of fixed,
non-overlapping blocks of Params.slot_minutes inside each local day's
[day_start_min, day_end_min); a task occupies one whole block, so two tasks of one volunteer
can never overlap. A task longer than a block has no usable slot (reported as no_time).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from operator import attrgetter
from zoneinfo import ZoneInfo

import numpy as np

from . import geo
from .model import Params, Task, Volunteer

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclass
class Grid:
    off: np.ndarray  # (T,) block start, minutes from Params.start
    weekday: np.ndarray  # (T,) local weekday 0=Mon
    local_min: np.ndarray  # (T,) local minute of day of the block start
    day: np.ndarray  # (T,) index of the local day (0..D-1)
    starts: list[datetime]  # (T,) block starts, aware UTC
    n_days: int
    length: int  # minutes per block


@dataclass
class Problem:
    """Everything the candidate search, the flow model and the explanations need."""

    tasks: list[Task]  # sorted by id
    vols: list[Volunteer]  # sorted by id
    params: Params
    grid: Grid
    skill_names: list[str]
    t_xy: np.ndarray
    v_xy: np.ndarray
    t_skill: np.ndarray  # (N, Ws) uint64 skill bits
    v_skill: np.ndarray  # (V, Ws)
    v_nskill: np.ndarray  # (V,) number of skills
    t_nskill: np.ndarray
    t_slots: np.ndarray  # (N, Wt) uint64: blocks inside the task's window
    v_slots: np.ndarray  # (V, Wt) uint64: blocks the volunteer is free for
    v_window: np.ndarray  # (V, T) int32: index into volunteer.availability covering it, -1
    v_pattern: np.ndarray  # (V,) index into patterns (distinct availability tuples)
    patterns: list
    t_prio: np.ndarray
    t_needed: np.ndarray
    t_in_person: np.ndarray
    t_comm: np.ndarray
    t_dur: np.ndarray
    t_win: np.ndarray  # (N, 2) window in minutes from start
    v_cap: np.ndarray
    v_radius: np.ndarray
    v_load: np.ndarray
    v_comm: np.ndarray
    v_used: np.ndarray  # (V, D) tasks already placed per volunteer-day in this run (tiling)

    @property
    def n_slots(self) -> int:
        return len(self.grid.off)


def pack_bits(b: np.ndarray) -> np.ndarray:
    """(n, T) bool -> (n, ceil(T/64)) uint64, bit t of word t//64 = column t."""
    n, t = b.shape
    words = max(1, -(-t // 64))
    packed = np.packbits(b, axis=1, bitorder="little")
    out = np.zeros((n, words * 8), dtype=np.uint8)
    out[:, : packed.shape[1]] = packed
    return out.view("<u8")


def unpack_bits(words: np.ndarray, t: int) -> np.ndarray:
    """Inverse of pack_bits: (n, W) uint64 -> (n, t) bool."""
    as_bytes = np.ascontiguousarray(words).view(np.uint8)
    return np.unpackbits(as_bytes, axis=1, bitorder="little")[:, :t].astype(bool)


def _minutes(dt: datetime, start: datetime) -> int:
    if dt.tzinfo is None:
        raise ValueError("matching needs timezone-aware datetimes")
    return int((dt - start).total_seconds() // 60)


def build_grid(p: Params) -> Grid:
    if p.start.tzinfo is None:
        raise ValueError("Params.start must be timezone-aware")
    if p.slot_minutes <= 0 or p.days <= 0:
        raise ValueError("slot_minutes and days must be positive")
    tz = ZoneInfo(p.tz)
    horizon = p.days * 1440
    first = p.start.astimezone(tz).date()
    rows = []
    for d in range(p.days + 2):
        date = first + timedelta(days=d)
        midnight = datetime.combine(date, time(0), tz)
        m = p.day_start_min
        while m + p.slot_minutes <= p.day_end_min:
            local = midnight + timedelta(minutes=m)
            utc = local.astimezone(timezone.utc)
            off = _minutes(utc, p.start)
            if off >= 0 and off + p.slot_minutes <= horizon:
                rows.append((off, date.weekday(), m, d, utc))
            m += p.slot_minutes
    days = sorted({r[3] for r in rows})
    day_ix = {d: i for i, d in enumerate(days)}
    return Grid(
        off=np.array([r[0] for r in rows], dtype=np.int64),
        weekday=np.array([r[1] for r in rows], dtype=np.int64),
        local_min=np.array([r[2] for r in rows], dtype=np.int64),
        day=np.array([day_ix[r[3]] for r in rows], dtype=np.int64),
        starts=[r[4] for r in rows],
        n_days=len(days),
        length=p.slot_minutes,
    )


def project(lat: np.ndarray, lng: np.ndarray, lat0: float) -> np.ndarray:
    """(N, 2) metres east and north: matching/geo.py's equirectangular projection."""
    return np.column_stack(geo.project(lat, lng, lat0))


def _distinct(values: list) -> tuple[list, np.ndarray]:
    """Distinct hashable values (first-seen order) and the index of each value among them."""
    uniq = list(dict.fromkeys(values))
    pos = {v: i for i, v in enumerate(uniq)}
    return uniq, np.fromiter(map(pos.__getitem__, values), dtype=np.int64, count=len(values))


def _skill_bits(uniq: list[frozenset[str]], ix: np.ndarray, index: dict[str, int]):
    """Packed skill bits and skill counts; computed once per distinct skill set."""
    b = np.zeros((len(uniq), max(1, len(index))), dtype=bool)
    for r, skills in enumerate(uniq):
        b[r, [index[c] for c in skills]] = True
    return pack_bits(b)[ix], b.sum(axis=1).astype(np.int64)[ix]


def _offsets(values: list, start: datetime, default: int) -> np.ndarray:
    uniq, ix = _distinct(values)
    mins = np.array([default if v is None else _minutes(v, start) for v in uniq] or [0], dtype=np.int64)
    return mins[ix]


def _task_slots(tasks: list[Task], p: Params, g: Grid, dur: np.ndarray) -> tuple[np.ndarray, ...]:
    ws = _offsets([t.window_start for t in tasks], p.start, 0)
    we = _offsets([t.window_end for t in tasks], p.start, p.days * 1440)
    win = np.column_stack([ws, we]).reshape(-1, 2)
    s = g.off[None, :]
    ok = (s >= win[:, :1]) & (s + dur[:, None] <= win[:, 1:]) & (dur[:, None] <= g.length)
    return pack_bits(ok), win


def _window_rows(patterns: list[tuple], g: Grid) -> np.ndarray:
    """Per distinct availability pattern and block: index of the first covering window, -1."""
    t = len(g.off)
    window = np.full((len(patterns), t), -1, dtype=np.int32)
    flat = [(i, j, *w) for i, pat in enumerate(patterns) for j, w in enumerate(pat)]
    window[[i for i, pat in enumerate(patterns) if not pat], :] = -2  # no windows: always free
    if flat:
        w = np.array(flat, dtype=np.int64)
        for col in range(t):
            hit = (w[:, 2] == g.weekday[col]) & (w[:, 3] <= g.local_min[col]) & (w[:, 4] >= g.local_min[col] + g.length)
            rows = w[hit][::-1]  # latest first, so the earliest listed covering window wins
            window[rows[:, 0], col] = rows[:, 1]
    return window


def _volunteer_slots(vols: list[Volunteer], p: Params, g: Grid) -> tuple[np.ndarray, ...]:
    patterns, ix = _distinct([v.availability for v in vols])
    window = _window_rows(patterns, g)[ix]
    free = window != -1
    busy = [(i, _minutes(a, p.start), _minutes(b, p.start)) for i, v in enumerate(vols) if v.busy for a, b in v.busy]
    if busy:
        b = np.array(busy, dtype=np.int64)
        for col in range(len(g.off)):
            s, e = g.off[col], g.off[col] + g.length
            free[b[(b[:, 1] < e) & (b[:, 2] > s), 0], col] = False
    return pack_bits(free), window, ix, patterns


def _check_ids(items, kind: str) -> None:
    if len({x.id for x in items}) != len(items):
        raise ValueError(f"duplicate {kind} ids")


def _task_fields(tasks: list[Task]) -> np.ndarray:
    rows = [(t.lat, t.lng, t.duration_min, t.priority, t.needed, t.in_person,
             -1 if t.community_id is None else t.community_id) for t in tasks]
    return np.array(rows, dtype=float).reshape(-1, 7)


def _vol_fields(vols: list[Volunteer]) -> np.ndarray:
    rows = [(v.lat, v.lng, v.capacity_per_day, v.max_distance_m, v.load_this_week,
             -1 if v.community_id is None else v.community_id) for v in vols]
    return np.array(rows, dtype=float).reshape(-1, 6)


def prepare(tasks, volunteers, params: Params) -> Problem:
    """Validate and vectorise the input; tasks and volunteers are put in id order."""
    tasks = sorted(tasks, key=attrgetter("id"))
    vols = sorted(volunteers, key=attrgetter("id"))
    _check_ids(tasks, "task")
    _check_ids(vols, "volunteer")
    tf, vf = _task_fields(tasks), _vol_fields(vols)
    ti, vi = tf[:, 2:].astype(np.int64), vf[:, 2:].astype(np.int64)
    if len(ti) and (ti[:, 0].min() < 1 or ti[:, 2].min() < 1):
        raise ValueError("every task needs duration_min >= 1 and needed >= 1")
    g = build_grid(params)
    t_sets, v_sets = _distinct([t.skills for t in tasks]), _distinct([v.skills for v in vols])
    names = sorted(set().union(*t_sets[0], *v_sets[0]))
    index = {s: i for i, s in enumerate(names)}
    both = np.vstack([tf[:, :2], vf[:, :2]])
    lat0 = float(both[:, 0].mean()) if len(both) else 0.0
    t_slots, win = _task_slots(tasks, params, g, ti[:, 0])
    v_slots, v_window, v_pattern, patterns = _volunteer_slots(vols, params, g)
    t_skill, t_nskill = _skill_bits(*t_sets, index)
    v_skill, v_nskill = _skill_bits(*v_sets, index)
    return Problem(
        tasks=tasks, vols=vols, params=params, grid=g, skill_names=names,
        t_xy=project(tf[:, 0], tf[:, 1], lat0), v_xy=project(vf[:, 0], vf[:, 1], lat0),
        t_skill=t_skill, v_skill=v_skill, t_nskill=t_nskill, v_nskill=v_nskill,
        t_slots=t_slots, v_slots=v_slots, v_window=v_window, v_pattern=v_pattern, patterns=patterns,
        t_prio=np.clip(ti[:, 1], 1, 5), t_needed=ti[:, 2], t_in_person=ti[:, 3].astype(bool),
        t_comm=ti[:, 4], t_dur=ti[:, 0], t_win=win,
        v_cap=np.maximum(vi[:, 0], 0), v_radius=vi[:, 1], v_load=np.maximum(vi[:, 2], 0),
        v_comm=vi[:, 3], v_used=np.zeros((len(vols), max(g.n_days, 1)), dtype=np.int64),
    )
