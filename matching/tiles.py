"""Large runs: exact flows on spatial tiles, then an exact re-optimisation of the seams.

One flow over 50,000 tasks is slow (the cost-scaling solver grows faster than linearly), and
matches are local. So the area is cut by recursive median bisection into tiles of about
Params.tile_tasks tasks; every volunteer belongs to the tile of their home; each tile is solved
exactly on its inside pairs. Then every task with a candidate across a tile edge is freed and
re-solved together with everyone it can reach, holding the rest of the round-one work fixed
(capacity, blocks and fairness steps already used). The round-one answer is feasible for that
seam problem, so the seam round never makes the objective worse; it recovers the pairs the cut
removed. Seam components that share no volunteer are solved in separate batches.

Tiles (and seam batches) are independent, so with Params.workers > 1 they are solved in forked
worker processes — the flow solver holds the GIL, threads would not help. Forking is done only
from a single-threaded process (a forked copy of a threaded web worker could deadlock); anywhere
else the parts are solved one after another.
"""
from __future__ import annotations

import multiprocessing as mp
import sys
import threading
from dataclasses import replace
from time import perf_counter

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .candidates import Candidates
from .flow import run_min_cost_flow
from .graph import build_graph, place_blocks
from .prep import Problem, pack_bits, unpack_bits


def bisect(t_xy: np.ndarray, v_xy: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Tile index per task and per volunteer; tiles hold at most about `size` tasks."""
    t_tile, v_tile = np.zeros(len(t_xy), np.int64), np.zeros(len(v_xy), np.int64)
    todo, next_id = [(np.arange(len(t_xy)), np.arange(len(v_xy)))], 0
    while todo:
        ti, vi = todo.pop()
        span = t_xy[ti].max(axis=0) - t_xy[ti].min(axis=0) if len(ti) else np.zeros(2)
        axis = int(np.argmax(span))
        cut = float(np.median(t_xy[ti, axis])) if len(ti) else 0.0
        left = t_xy[ti, axis] <= cut
        if len(ti) <= size or left.all() or not left.any():
            t_tile[ti], v_tile[vi] = next_id, next_id
            next_id += 1
            continue
        vleft = v_xy[vi, axis] <= cut
        todo += [(ti[~left], vi[~vleft]), (ti[left], vi[vleft])]
    return t_tile, v_tile


def _subset(c: Candidates, idx: np.ndarray) -> Candidates:
    return replace(c, task=c.task[idx], vol=c.vol[idx], dist=c.dist[idx])


def _solve_part(pr: Problem, c: Candidates, idx: np.ndarray, tasks: np.ndarray, clock: dict):
    """Exact flow for `tasks` over candidate pairs `idx`; chosen arcs with blocks placed."""
    t0 = perf_counter()
    g = build_graph(pr, _subset(c, idx), tasks)
    t1 = perf_counter()
    flows, _, _ = run_min_cost_flow(g.tails, g.heads, g.caps, g.costs, g.supplies)
    clock["build"] += t1 - t0
    clock["solve"] += perf_counter() - t1
    ch = flows[g.serve] > 0
    task, vol, day = g.arc_task[ch], g.arc_vol[ch], g.arc_day[ch]
    slot = place_blocks(pr, task, vol, day, g.arc_slot[ch])
    return [task, vol, day, slot, g.arc_cost[ch], g.arc_dist[ch]], g.n_arcs


_SHARED: tuple | None = None  # (problem, candidates, jobs) inherited by forked workers


def _work(k: int):
    pr, c, jobs = _SHARED
    clock = {"build": 0.0, "solve": 0.0}
    part, n_arcs = _solve_part(pr, c, jobs[k][0], jobs[k][1], clock)
    return part, n_arcs, clock


def _can_fork() -> bool:
    return (sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()
            and threading.active_count() == 1)


def _run_parts(pr: Problem, c: Candidates, jobs: list, workers: int, clock: dict):
    """Solve every (pair indices, tasks) job; in forked workers when allowed. Order is kept."""
    global _SHARED
    _SHARED = (pr, c, jobs)
    try:
        if workers > 1 and len(jobs) > 1 and _can_fork():
            with mp.get_context("fork").Pool(min(workers, len(jobs))) as pool:
                done = pool.map(_work, range(len(jobs)), chunksize=1)
        else:
            done = [_work(k) for k in range(len(jobs))]
    finally:
        _SHARED = None
    for _, _, ck in done:
        clock["build"] += ck["build"]
        clock["solve"] += ck["solve"]
    return [d[0] for d in done], sum(d[1] for d in done)


def _groups(labels: np.ndarray) -> list[np.ndarray]:
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    return np.split(order, cuts) if len(order) else []


def _batches(pieces: list[np.ndarray], weights: list[int], size: int) -> list[np.ndarray]:
    out, cur, load = [], [], 0
    for p, w in zip(pieces, weights):
        if cur and load + w > size:
            out.append(np.concatenate(cur))
            cur, load = [], 0
        cur.append(p)
        load += w
    if cur:
        out.append(np.concatenate(cur))
    return out


def _hold(pr: Problem, arcs: list[np.ndarray]) -> Problem:
    """The problem seen by the seam round: held work takes capacity, blocks and fairness steps."""
    task, vol, day, slot = arcs[:4]
    used = np.zeros_like(pr.v_used)
    np.add.at(used, (vol, day), 1)
    bits = unpack_bits(pr.v_slots, pr.n_slots)
    bits[vol, slot] = False
    return replace(pr, v_slots=pack_bits(bits), v_used=pr.v_used + used)


def _concat(parts: list[list[np.ndarray]]) -> list[np.ndarray]:
    if not parts:
        return [np.zeros(0, np.int64) for _ in range(6)]
    return [np.concatenate([p[i] for p in parts]) for i in range(6)]


def _seam_jobs(pr: Problem, c: Candidates, s_idx: np.ndarray, size: int) -> list:
    """Seam pairs split by connected component (no shared volunteer), packed into batches."""
    n, v = len(pr.tasks), len(pr.vols)
    adj = coo_matrix((np.ones(len(s_idx)), (c.task[s_idx], n + c.vol[s_idx])), shape=(n + v, n + v))
    _, label = connected_components(adj, directed=False)
    comp_pairs = _groups(label[c.task[s_idx]])
    weights = [len(np.unique(c.task[s_idx[g]])) for g in comp_pairs]
    return [(b, np.unique(c.task[b])) for b in _batches([s_idx[g] for g in comp_pairs], weights, size)]


def solve_tiled(pr: Problem, c: Candidates) -> tuple[list[np.ndarray], dict]:
    size, workers = pr.params.tile_tasks, pr.params.workers
    t_tile, v_tile = bisect(pr.t_xy, pr.v_xy, size)
    inside = t_tile[c.task] == v_tile[c.vol]
    pair_groups = {int(t_tile[c.task[g[0]]]): g for g in _groups(np.where(inside, t_tile[c.task], -1)) if inside[g[0]]}
    empty = np.zeros(0, np.int64)
    jobs = [(pair_groups.get(int(t_tile[tasks[0]]), empty), tasks) for tasks in _groups(t_tile)]
    clock = {"build": 0.0, "solve": 0.0}
    parts, arcs_total = _run_parts(pr, c, jobs, workers, clock)
    first = _concat(parts)
    seam = np.zeros(len(pr.tasks), bool)
    seam[c.task[~inside]] = True
    held = [a[~seam[first[0]]] for a in first]
    s_idx = np.flatnonzero(seam[c.task])
    parts = [held]
    if len(s_idx):
        more, n_arcs = _run_parts(_hold(pr, held), c, _seam_jobs(pr, c, s_idx, size), workers, clock)
        parts += more
        arcs_total += n_arcs
    info = {
        "tiles": len(jobs), "seam_tasks": int(seam.sum()), "arcs": arcs_total,
        "build_s": clock["build"], "solve_s": clock["solve"],
    }
    return _concat(parts), info
