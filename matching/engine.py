"""Entry points: solve (min-cost flow), solve_greedy (baseline), solve_isolated (own process)."""
from __future__ import annotations

import multiprocessing as mp
from time import perf_counter

import numpy as np

from . import explain
from .candidates import Candidates, find_candidates
from .flow import _expand_slots, build_graph, solve_graph
from .metrics import assignment_stats
from .model import MatchingError, Params, Result
from .prep import Problem, prepare


def _ms(a: float, b: float) -> float:
    return round((b - a) * 1000.0, 2)


def _result(pr: Problem, c: Candidates, arcs: tuple, stats: dict, t0: float) -> Result:
    """Proposals, reasons and stats from the chosen (task, vol, slot, cost, dist) arcs."""
    task, vol, slot, cost, dist = arcs
    o = np.lexsort((vol, task))
    task, vol, slot, cost, dist = task[o], vol[o], slot[o], cost[o], dist[o]
    t1 = perf_counter()
    props = explain.proposals(pr, task, vol, slot, cost, dist)
    missing = explain.unmatched(pr, c, task, vol, slot)
    t2 = perf_counter()
    feasible = np.zeros(len(pr.tasks), bool)
    feasible[c.task] = True
    stats.update(
        tasks=len(pr.tasks), volunteers=len(pr.vols), unmatched=len(missing),
        feasible_tasks=int(feasible.sum()), candidate_pairs=int(len(c.task)),
        explain_ms=_ms(t1, t2), total_ms=_ms(t0, t2),
        **assignment_stats(pr, task, vol, dist),
    )
    return Result(proposals=props, unmatched=missing, stats=stats)


def solve(tasks, volunteers, params: Params) -> Result:
    """Min-cost flow: most priority-weighted tasks served, then least travel, then fair load."""
    t0 = perf_counter()
    pr = prepare(tasks, volunteers, params)
    c = find_candidates(pr)
    t1 = perf_counter()
    g = build_graph(pr, c)
    t2 = perf_counter()
    chosen, objective, status = solve_graph(g)
    t3 = perf_counter()
    arcs = (g.arc_task[chosen], g.arc_vol[chosen], g.arc_slot[chosen],
            g.arc_cost[chosen], g.arc_dist[chosen])
    stats = {
        "engine": "flow", "status": status, "arcs": g.n_arcs, "serve_arcs": len(g.arc_task),
        "nodes": int(len(g.supplies)), "objective": objective,
        "bypass_penalty": g.bypass_penalty, "lexicographic_exact": g.exact,
        "candidates_ms": _ms(t0, t1), "build_ms": _ms(t0, t2), "solve_ms": _ms(t2, t3),
    }
    return _result(pr, c, arcs, stats, t0)


def _greedy_pick(pr: Problem, task, vol, slot) -> np.ndarray:
    """Urgent tasks first; each takes the nearest volunteer with a free block and capacity."""
    n = len(pr.tasks)
    bounds = np.searchsorted(task, np.arange(n + 1))
    vol_l, slot_l, day_l = vol.tolist(), slot.tolist(), pr.grid.day[slot].tolist()
    cap, needed = pr.v_cap.tolist(), pr.t_needed.tolist()
    used, per_day, picked = set(), {}, []
    for i in np.lexsort((np.arange(n), -pr.t_prio)).tolist():
        need, mine = needed[i], set()
        for a in range(bounds[i], bounds[i + 1]):
            v, key = vol_l[a], (vol_l[a], day_l[a])
            if v in mine or (v, slot_l[a]) in used or per_day.get(key, 0) >= cap[v]:
                continue
            used.add((v, slot_l[a]))
            per_day[key] = per_day.get(key, 0) + 1
            mine.add(v)
            picked.append(a)
            need -= 1
            if need == 0:
                break
    return np.array(picked, dtype=np.int64)


def solve_greedy(tasks, volunteers, params: Params) -> Result:
    """Baseline: nearest free volunteer first, most urgent task first, no look-ahead."""
    t0 = perf_counter()
    pr = prepare(tasks, volunteers, params)
    c = find_candidates(pr)
    t1 = perf_counter()
    pair, slot, cost = _expand_slots(pr, c)
    task, vol = c.task[pair], c.vol[pair]
    t2 = perf_counter()
    a = _greedy_pick(pr, task, vol, slot)
    t3 = perf_counter()
    arcs = (task[a], vol[a], slot[a], cost[a], c.dist[pair][a])
    stats = {
        "engine": "greedy", "status": "FEASIBLE", "arcs": int(len(pair)),
        "candidates_ms": _ms(t0, t1), "build_ms": _ms(t0, t2), "solve_ms": _ms(t2, t3),
    }
    return _result(pr, c, arcs, stats, t0)


def _child(conn, tasks, volunteers, params, greedy):
    try:
        conn.send((solve_greedy if greedy else solve)(tasks, volunteers, params))
    except Exception as exc:  # report, do not hang the parent
        conn.send(MatchingError(repr(exc)))
    finally:
        conn.close()


def solve_isolated(tasks, volunteers, params: Params, greedy: bool = False) -> Result:
    """Run solve in a fresh process (the flow solver holds the GIL) with params.time_limit_s."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, list(tasks), list(volunteers), params, greedy))
    proc.start()
    child.close()
    try:
        if not parent.poll(params.time_limit_s):
            raise MatchingError(f"no result within {params.time_limit_s} s")
        out = parent.recv()
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
    if isinstance(out, Exception):
        raise out
    return out
