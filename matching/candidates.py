"""Candidate (task, volunteer) pairs from a spatial index, never from all pairs.

Tasks are grouped by the exact skill set they need; each group queries a cKDTree built over
the volunteers holding all those skills, nearest first, widening the search (k doubles) until it
has Params.candidates_per_task fully feasible volunteers (skill, radius, a free block inside the
window, capacity > 0), or has seen every volunteer inside the largest radius, or max_scan.
Along the way it records how far each task got, which is what the unmatched reasons are built on.

Where volunteers are plentiful (demand under half the capacity on offer) three quarters of
candidates_per_task are kept. Where they are scarce, nearest-first lists of neighbouring tasks
overlap and leave far volunteers idle, so each volunteer also brings its own nearest feasible
tasks: none at half demand, rising to candidates_per_volunteer when demand reaches capacity.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from .prep import Problem, unpack_bits


@dataclass
class Candidates:
    task: np.ndarray  # (P,) task index, sorted by task then distance then volunteer
    vol: np.ndarray  # (P,) volunteer index
    dist: np.ndarray  # (P,) metres
    has_skill: np.ndarray  # (N,) some volunteer has every needed skill
    has_near: np.ndarray  # (N,) ... and is within its radius (always true for remote tasks)
    has_time: np.ndarray  # (N,) ... and is free in a block inside the window
    nearest_skilled_m: np.ndarray  # (N,) metres to the nearest skilled volunteer, -1 if none


def _eligible(pr: Problem, mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(((pr.v_skill & mask[None, :]) == mask[None, :]).all(axis=1))


def _rows(pr, tasks, elig, tree, k, ub):
    """Query k nearest eligible volunteers for each task and classify them."""
    d, ii = tree.query(pr.t_xy[tasks], k=k, distance_upper_bound=ub, workers=-1)
    d, ii = d.reshape(len(tasks), k), ii.reshape(len(tasks), k)
    valid = ii < len(elig)
    vol = elig[np.where(valid, ii, 0)]
    remote = ~pr.t_in_person[tasks]
    near = valid & ((d <= pr.v_radius[vol]) | remote[:, None])
    both = pr.t_slots[tasks][:, None, :] & pr.v_slots[vol]
    timed = near & (both != 0).any(axis=2)
    usable = timed & (pr.v_cap[vol] > 0)
    return d, vol, valid, near, timed, usable


def _scan_group(pr: Problem, tasks: np.ndarray, elig: np.ndarray, want: int, out: dict) -> None:
    tree = cKDTree(pr.v_xy[elig])
    limit = min(len(elig), pr.params.max_scan)
    for remote in (False, True):
        todo = tasks[pr.t_in_person[tasks] != remote]
        ub = np.inf if remote else float(pr.v_radius[elig].max()) + 1.0
        k = min(limit, max(8, 2 * int(min(want, limit))))
        while len(todo):
            d, vol, valid, near, timed, usable = _rows(pr, todo, elig, tree, k, ub)
            more = (usable.sum(axis=1) < want) & valid[:, -1] & (k < limit)
            done = ~more
            keep = usable & (np.cumsum(usable, axis=1) <= want) & done[:, None]
            r, c = np.nonzero(keep)
            out["task"].append(todo[r])
            out["vol"].append(vol[r, c])
            out["dist"].append(d[r, c])
            t = todo[done]
            out["has_near"][t] = near[done].any(axis=1)
            out["has_time"][t] = timed[done].any(axis=1)
            todo, k = todo[more], min(limit, 2 * k)
    out["has_skill"][tasks] = True
    far = tasks[~out["has_near"][tasks]]
    if len(far):
        first, _ = tree.query(pr.t_xy[far], k=1, workers=-1)
        out["nearest"][far] = np.rint(first)


def scarcity(pr: Problem) -> float:
    """Task units wanted per volunteer unit on offer (capacity x days with a free block)."""
    free = _per_day_any(pr)
    offer = int((np.minimum(pr.v_cap[:, None], free)).sum()) if len(pr.vols) else 0
    return float(pr.t_needed.sum()) / max(offer, 1)


def _per_day_any(pr: Problem) -> np.ndarray:
    bits = unpack_bits(pr.v_slots, pr.n_slots)
    if pr.n_slots == 0:
        return np.zeros((len(pr.vols), 1), dtype=np.int64)
    first = np.searchsorted(pr.grid.day, np.arange(pr.grid.n_days))
    return np.add.reduceat(bits.astype(np.int64), first, axis=1)


def _volunteer_side(pr: Problem, tasks: np.ndarray, elig: np.ndarray, kv: int, out: dict) -> None:
    """Each eligible volunteer's kv nearest feasible tasks of this skill group."""
    tree = cKDTree(pr.t_xy[tasks])
    k = min(len(tasks), 2 * kv)
    d, ii = tree.query(pr.v_xy[elig], k=k, workers=-1)
    d, ii = d.reshape(len(elig), k), ii.reshape(len(elig), k)
    t = tasks[ii]
    near = (d <= pr.v_radius[elig][:, None]) | ~pr.t_in_person[t]
    ok = near & ((pr.t_slots[t] & pr.v_slots[elig][:, None, :]) != 0).any(axis=2)
    ok &= (pr.v_cap[elig] > 0)[:, None]
    r, col = np.nonzero(ok)
    out["task"].append(t[r, col])
    out["vol"].append(elig[r])
    out["dist"].append(d[r, col])


def _keep_nearest_per_volunteer(task, vol, dist, kv):
    o = np.lexsort((task, dist, vol))
    v = vol[o]
    rank = np.arange(len(v)) - np.searchsorted(v, v)
    keep = o[rank < kv]
    return task[keep], vol[keep], dist[keep]


def find_candidates(pr: Problem) -> Candidates:
    n = len(pr.tasks)
    out = {
        "task": [np.zeros(0, np.int64)], "vol": [np.zeros(0, np.int64)], "dist": [np.zeros(0)],
        "has_skill": np.zeros(n, bool), "has_near": np.zeros(n, bool),
        "has_time": np.zeros(n, bool), "nearest": np.full(n, -1.0),
    }
    side = {"task": [np.zeros(0, np.int64)], "vol": [np.zeros(0, np.int64)], "dist": [np.zeros(0)]}
    if n and len(pr.vols):
        rho = scarcity(pr)
        ramp = min(1.0, max(0.0, 2.0 * rho - 1.0))  # 0 up to half, 1 at full demand
        kv = int(round(pr.params.candidates_per_volunteer * ramp))
        k_opt = pr.params.candidates_per_task
        want = np.iinfo(np.int64).max if k_opt is None else max(1, int(k_opt) * (4 if rho >= 0.5 else 3) // 4)
        masks, group = np.unique(pr.t_skill, axis=0, return_inverse=True)
        group = group.reshape(-1)
        order = np.argsort(group, kind="stable")
        bounds = np.searchsorted(group[order], np.arange(len(masks) + 1))
        for g in range(len(masks)):
            elig = _eligible(pr, masks[g])
            if len(elig):
                _scan_group(pr, order[bounds[g] : bounds[g + 1]], elig, want, out)
                if kv > 0 and pr.params.candidates_per_task is not None:
                    _volunteer_side(pr, order[bounds[g] : bounds[g + 1]], elig, kv, side)
        if kv > 0:
            extra = _keep_nearest_per_volunteer(*(np.concatenate(side[x]) for x in ("task", "vol", "dist")), kv)
            for name, arr in zip(("task", "vol", "dist"), extra):
                out[name].append(arr)
    task = np.concatenate(out["task"]).astype(np.int64)
    vol = np.concatenate(out["vol"]).astype(np.int64)
    dist = np.rint(np.concatenate(out["dist"])).astype(np.int64)
    if len(side["task"]) > 1:  # volunteer-side pairs may repeat task-side ones
        _, first = np.unique(task * max(len(pr.vols), 1) + vol, return_index=True)
        task, vol, dist = task[first], vol[first], dist[first]
        o = np.lexsort((vol, dist, task))
    else:  # each task's row came nearest first from one query: a stable sort by task keeps it
        o = np.argsort(task, kind="stable")
    return Candidates(
        task=task[o], vol=vol[o], dist=dist[o],
        has_skill=out["has_skill"], has_near=out["has_near"] & out["has_skill"],
        has_time=out["has_time"], nearest_skilled_m=out["nearest"].astype(np.int64),
    )
