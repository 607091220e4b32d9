"""Large runs: exact flows on spatial tiles, then an exact re-optimisation of the seams.

One flow over 50,000 tasks is slow (the cost-scaling solver grows faster than linearly), and
matches are local. So the area is cut by recursive median bisection into tiles of about
Params.tile_tasks tasks; every volunteer belongs to the tile of their home; each tile is solved
exactly on its inside pairs. Then every task with a candidate across a tile edge is freed and
re-solved together with everyone it can reach, holding the rest of the round-one work fixed
(capacity, blocks and fairness steps already used). The round-one answer is feasible for that
seam problem, so the seam round never makes the objective worse; it recovers the pairs the cut
removed. Seam components that share no volunteer are solved in separate batches.
"""
from __future__ import annotations

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


def solve_tiled(pr: Problem, c: Candidates) -> tuple[list[np.ndarray], dict]:
    size = pr.params.tile_tasks
    t_tile, v_tile = bisect(pr.t_xy, pr.v_xy, size)
    inside = t_tile[c.task] == v_tile[c.vol]
    pair_groups = {int(t_tile[c.task[g[0]]]): g for g in _groups(np.where(inside, t_tile[c.task], -1)) if inside[g[0]]}
    parts, arcs_total, clock = [], 0, {"build": 0.0, "solve": 0.0}
    for tasks in _groups(t_tile):
        tile = int(t_tile[tasks[0]])
        part, n_arcs = _solve_part(pr, c, pair_groups.get(tile, np.zeros(0, np.int64)), tasks, clock)
        parts.append(part)
        arcs_total += n_arcs
    first = _concat(parts)
    seam = np.zeros(len(pr.tasks), bool)
    seam[c.task[~inside]] = True
    keep = ~seam[first[0]]
    held = [a[keep] for a in first]
    pr2 = _hold(pr, held)
    s_idx = np.flatnonzero(seam[c.task])
    parts = [held]
    n_comp = 0
    if len(s_idx):
        n, v = len(pr.tasks), len(pr.vols)
        adj = coo_matrix((np.ones(len(s_idx)), (c.task[s_idx], n + c.vol[s_idx])), shape=(n + v, n + v))
        n_comp, label = connected_components(adj, directed=False)
        comp_pairs = _groups(label[c.task[s_idx]])
        weights = [len(np.unique(c.task[s_idx[g]])) for g in comp_pairs]
        for batch in _batches([s_idx[g] for g in comp_pairs], weights, size):
            tasks = np.unique(c.task[batch])
            part, n_arcs = _solve_part(pr2, c, batch, tasks, clock)
            parts.append(part)
            arcs_total += n_arcs
    info = {
        "tiles": int(t_tile.max()) + 1 if len(t_tile) else 0,
        "seam_tasks": int(seam.sum()), "arcs": arcs_total,
        "build_s": clock["build"], "solve_s": clock["solve"],
    }
    return _concat(parts), info
