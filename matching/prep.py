"""Turn dataclasses into numpy arrays: projected coordinates, skill bits, the slot grid.

Time is counted in whole minutes from Params.start. The slot grid is a list of fixed,
non-overlapping blocks of Params.slot_minutes inside each local day's
[day_start_min, day_end_min); a task occupies one whole block, so two tasks of one volunteer
can never overlap. A task longer than a block has no usable slot (reported as no_time).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np

from .model import Params, Task, Volunteer

EARTH_M = 6_371_008.8
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
    """Equirectangular projection to metres; accurate to well under 1 % at city scale."""
    k = np.pi / 180.0
    x = EARTH_M * np.cos(lat0 * k) * lng * k
    y = EARTH_M * lat * k
    return np.column_stack([x, y])


def _skill_bits(sets: list[frozenset[str]], index: dict[str, int]) -> np.ndarray:
    rows = [i for i, s in enumerate(sets) for _ in s]
    cols = [index[c] for s in sets for c in s]
    b = np.zeros((len(sets), max(1, len(index))), dtype=bool)
    b[rows, cols] = True
    return pack_bits(b)


def _task_slots(tasks: list[Task], p: Params, g: Grid) -> tuple[np.ndarray, ...]:
    horizon = p.days * 1440
    win = np.array(
        [
            (
                0 if t.window_start is None else _minutes(t.window_start, p.start),
                horizon if t.window_end is None else _minutes(t.window_end, p.start),
            )
            for t in tasks
        ],
        dtype=np.int64,
    ).reshape(-1, 2)
    dur = np.array([t.duration_min for t in tasks], dtype=np.int64)
    s = g.off[None, :]
    ok = (s >= win[:, :1]) & (s + dur[:, None] <= win[:, 1:]) & (dur[:, None] <= g.length)
    return pack_bits(ok), win, dur


def _volunteer_slots(vols: list[Volunteer], p: Params, g: Grid) -> tuple[np.ndarray, ...]:
    n, t = len(vols), len(g.off)
    window = np.full((n, t), -1, dtype=np.int32)
    always = np.array([not v.availability for v in vols], dtype=bool)
    window[always, :] = -2  # no declared windows: free in every block
    flat = [(i, j, *w) for i, v in enumerate(vols) for j, w in enumerate(v.availability)]
    if flat:
        w = np.array(flat, dtype=np.int64)
        # latest window first so the earliest listed covering window wins
        for col in range(t):
            hit = (
                (w[:, 2] == g.weekday[col])
                & (w[:, 3] <= g.local_min[col])
                & (w[:, 4] >= g.local_min[col] + g.length)
            )
            rows = w[hit][::-1]
            window[rows[:, 0], col] = rows[:, 1]
    free = window != -1
    busy = [(i, _minutes(a, p.start), _minutes(b, p.start)) for i, v in enumerate(vols) for a, b in v.busy]
    if busy:
        b = np.array(busy, dtype=np.int64)
        for col in range(t):
            s, e = g.off[col], g.off[col] + g.length
            free[b[(b[:, 1] < e) & (b[:, 2] > s), 0], col] = False
    return pack_bits(free), window


def _check_ids(items, kind: str) -> None:
    ids = [x.id for x in items]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate {kind} ids")


def prepare(tasks, volunteers, params: Params) -> Problem:
    """Validate and vectorise the input; tasks and volunteers are put in id order."""
    tasks = sorted(tasks, key=lambda t: t.id)
    vols = sorted(volunteers, key=lambda v: v.id)
    _check_ids(tasks, "task")
    _check_ids(vols, "volunteer")
    for t in tasks:
        if t.needed < 1 or t.duration_min < 1:
            raise ValueError(f"task {t.id}: needed and duration_min must be >= 1")
    g = build_grid(params)
    names = sorted({s for x in tasks for s in x.skills} | {s for x in vols for s in x.skills})
    index = {s: i for i, s in enumerate(names)}
    t_ll = np.array([(t.lat, t.lng) for t in tasks], dtype=float).reshape(-1, 2)
    v_ll = np.array([(v.lat, v.lng) for v in vols], dtype=float).reshape(-1, 2)
    both = np.vstack([t_ll, v_ll])
    lat0 = float(both[:, 0].mean()) if len(both) else 0.0
    t_slots, win, dur = _task_slots(tasks, params, g)
    v_slots, v_window = _volunteer_slots(vols, params, g)
    t_skill, v_skill = _skill_bits([t.skills for t in tasks], index), _skill_bits([v.skills for v in vols], index)

    def arr(items, attr, dtype=np.int64, none=-1):
        return np.array([none if getattr(x, attr) is None else getattr(x, attr) for x in items], dtype=dtype)

    return Problem(
        tasks=tasks, vols=vols, params=params, grid=g, skill_names=names,
        t_xy=project(t_ll[:, 0], t_ll[:, 1], lat0), v_xy=project(v_ll[:, 0], v_ll[:, 1], lat0),
        t_skill=t_skill, v_skill=v_skill,
        t_nskill=np.array([len(t.skills) for t in tasks], dtype=np.int64),
        v_nskill=np.array([len(v.skills) for v in vols], dtype=np.int64),
        t_slots=t_slots, v_slots=v_slots, v_window=v_window,
        t_prio=np.clip(arr(tasks, "priority"), 1, 5), t_needed=arr(tasks, "needed"),
        t_in_person=arr(tasks, "in_person", bool), t_comm=arr(tasks, "community_id"),
        t_dur=dur, t_win=win,
        v_cap=np.maximum(arr(vols, "capacity_per_day"), 0), v_radius=arr(vols, "max_distance_m"),
        v_load=np.maximum(arr(vols, "load_this_week"), 0), v_comm=arr(vols, "community_id"),
    )
