"""Entry points: solve (min-cost flow), solve_greedy (baseline), solve_isolated (own process)."""
from __future__ import annotations

import multiprocessing as mp
from time import perf_counter

import numpy as np

from . import explain
from .candidates import Candidates, find_candidates
from .flow import max_flow_bound, run_min_cost_flow
from .graph import build_graph, expand_slots, place_blocks
from .metrics import assignment_stats
from .model import MatchingError, Params, Result
from .prep import Problem, prepare
from .tiles import solve_tiled


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 2)


def _result(pr: Problem, c: Candidates, arcs, stats: dict, t0: float) -> Result:
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
        explain_ms=_ms(t2 - t1), total_ms=_ms(t2 - t0),
        **assignment_stats(pr, task, vol, dist),
    )
    return Result(proposals=props, unmatched=missing, stats=stats)


def _solve_whole(pr: Problem, c: Candidates):
    """One exact flow; the served count is checked against a max flow on the same graph."""
    t0 = perf_counter()
    g = build_graph(pr, c)
    t1 = perf_counter()
    flows, objective, status = run_min_cost_flow(g.tails, g.heads, g.caps, g.costs, g.supplies)
    t2 = perf_counter()
    bound, resolved = max_flow_bound(g), False
    if int(flows[g.serve].sum()) < bound and not g.exact:
        g.set_bypass(g.exact_penalty)  # the fast penalty gave a unit away: use the provable one
        flows, objective, status = run_min_cost_flow(g.tails, g.heads, g.caps, g.costs, g.supplies)
        resolved = True
    t3 = perf_counter()
    ch = flows[g.serve] > 0
    task, vol = g.arc_task[ch], g.arc_vol[ch]
    slot = place_blocks(pr, task, vol, g.arc_day[ch], g.arc_slot[ch])
    stats = {
        "mode": "exact", "status": status, "arcs": g.n_arcs, "serve_arcs": len(g.arc_task),
        "block_nodes": g.n_block_nodes, "day_nodes": g.n_day_nodes, "objective": objective,
        "bypass_penalty": g.bypass_penalty, "lexicographic_exact": g.exact,
        "max_flow_bound": bound, "resolved_exact": resolved,
        "graph_ms": _ms(t1 - t0), "solve_ms": _ms(t2 - t1), "verify_ms": _ms(t3 - t2),
    }
    return (task, vol, slot, g.arc_cost[ch], g.arc_dist[ch]), stats


def _solve_tiles(pr: Problem, c: Candidates):
    t0 = perf_counter()
    (task, vol, _day, slot, cost, dist), info = solve_tiled(pr, c)
    t1 = perf_counter()
    bound = max_flow_bound(build_graph(pr, c)) if pr.params.verify_tiled else None
    # Tiles are built and solved together (possibly in parallel): solve_ms is that wall time;
    # the per-tile graph building and flow solving are also given as summed CPU figures.
    stats = {
        "mode": "tiled", "status": "OPTIMAL_PER_TILE", "arcs": info["arcs"],
        "tiles": info["tiles"], "seam_tasks": info["seam_tasks"], "max_flow_bound": bound,
        "graph_ms": 0.0, "solve_ms": _ms(t1 - t0), "workers": pr.params.workers,
        "tile_graph_sum_ms": _ms(info["build_s"]), "tile_flow_sum_ms": _ms(info["solve_s"]),
        "verify_ms": _ms(perf_counter() - t1),
    }
    return (task, vol, slot, cost, dist), stats


def solve(tasks, volunteers, params: Params) -> Result:
    """Min-cost flow: most priority-weighted tasks served, then least travel, then fair load."""
    t0 = perf_counter()
    pr = prepare(tasks, volunteers, params)
    t1 = perf_counter()
    c = find_candidates(pr)
    t2 = perf_counter()
    if len(pr.tasks) > params.exact_up_to:
        arcs, stats = _solve_tiles(pr, c)
    else:
        arcs, stats = _solve_whole(pr, c)
    stats.update(engine="flow", prepare_ms=_ms(t1 - t0), candidates_ms=_ms(t2 - t1))
    stats["build_ms"] = round(_ms(t2 - t0) + stats["graph_ms"], 2)
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
    t1 = perf_counter()
    c = find_candidates(pr)
    t2 = perf_counter()
    pair, slot, cost = expand_slots(pr, c)
    task, vol = c.task[pair], c.vol[pair]
    t3 = perf_counter()
    a = _greedy_pick(pr, task, vol, slot)
    t4 = perf_counter()
    arcs = (task[a], vol[a], slot[a], cost[a], c.dist[pair][a])
    stats = {
        "engine": "greedy", "mode": "greedy", "status": "FEASIBLE", "arcs": int(len(pair)),
        "prepare_ms": _ms(t1 - t0), "candidates_ms": _ms(t2 - t1),
        "build_ms": _ms(t3 - t0), "solve_ms": _ms(t4 - t3),
    }
    return _result(pr, c, arcs, stats, t0)


def _child(conn, tasks, volunteers, params, greedy):
    try:
        conn.send((solve_greedy if greedy else solve)(tasks, volunteers, params))
    except Exception as exc:  # report, do not hang the parent
        conn.send(MatchingError(repr(exc)))
    finally:
        conn.close()


def _isolated_context():
    """A fork server that has imported the engine once (numpy, scipy, OR-Tools: ~0.5 s of CPU
    per fresh interpreter), so each run forks a warm child; spawn where there is no fork server.
    Never a plain fork: the caller may be a threaded web worker. (A child still runs the
    caller's main script again if it was started from a path: for gunicorn, its small launcher;
    `python -m jobs` is skipped by name.)"""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["matching"])
    return ctx


def start_solver_server() -> None:
    """Start the fork server now (at a web worker's boot) rather than at the first run."""
    if _isolated_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver
        forkserver.ensure_running()


def solve_isolated(tasks, volunteers, params: Params, greedy: bool = False) -> Result:
    """Run solve in a fresh process (the flow solver holds the GIL) with params.time_limit_s."""
    ctx = _isolated_context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, list(tasks), list(volunteers), params, greedy))
    try:
        proc.start()
    except (OSError, RuntimeError) as exc:  # no process to be had (limits, a bad main module)
        parent.close()
        raise MatchingError(f"cannot start the solver process: {exc}") from None
    finally:
        child.close()
    try:
        if not parent.poll(params.time_limit_s):
            raise MatchingError(f"no result within {params.time_limit_s} s")
        try:
            out = parent.recv()
        except EOFError:  # the child died (killed, out of memory) before it could answer
            raise MatchingError("the solver process ended without a result") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
    if isinstance(out, Exception):
        raise out
    return out
