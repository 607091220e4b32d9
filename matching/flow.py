"""The flow code path: one min-cost-flow runner, the matching graph, the LAP, the max-flow bound."""
from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from .model import MatchingError

COST_LIMIT = 1_000_000_000  # every arc cost stays well under this


def run_min_cost_flow(tails, heads, caps, costs, supplies):
    """Solve one min-cost flow; returns (flows per arc, optimal cost, status name)."""
    costs = np.asarray(costs, dtype=np.int64)
    if len(costs) and int(np.abs(costs).max()) >= COST_LIMIT:
        raise MatchingError("arc cost out of range")
    smcf = min_cost_flow.SimpleMinCostFlow()
    arcs = smcf.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, dtype=np.int32), np.asarray(heads, dtype=np.int32),
        np.asarray(caps, dtype=np.int64), costs,
    )
    nodes = np.flatnonzero(supplies)
    if len(nodes) == 0:
        return np.zeros(len(costs), dtype=np.int64), 0, "OPTIMAL"
    smcf.set_nodes_supplies(nodes.astype(np.int32), np.asarray(supplies, dtype=np.int64)[nodes])
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise MatchingError(f"min cost flow ended with status {status.name}")
    return smcf.flows(arcs), int(smcf.optimal_cost()), "OPTIMAL"


def solve_assignment(cost_matrix) -> tuple[int, list[int]]:
    """Dense linear assignment (rows <= columns) through run_min_cost_flow.

    Returns (optimal total cost, column assigned to each row).
    """
    c = np.asarray(cost_matrix, dtype=np.int64)
    if c.ndim != 2 or c.shape[0] > c.shape[1]:
        raise ValueError("cost matrix must be 2-D with rows <= columns")
    r, n = c.shape
    if r == 0:
        return 0, []
    sink = r + n
    tails = np.concatenate([np.repeat(np.arange(r), n), np.arange(r, r + n)])
    heads = np.concatenate([np.tile(np.arange(r, r + n), r), np.full(n, sink)])
    costs = np.concatenate([c.ravel(), np.zeros(n, dtype=np.int64)])
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:r], supplies[sink] = 1, -r
    flows, cost, _ = run_min_cost_flow(tails, heads, np.ones(len(tails)), costs, supplies)
    used = np.flatnonzero(flows[: r * n] > 0)
    cols = np.empty(r, dtype=np.int64)
    cols[used // n] = used % n
    return cost, cols.tolist()


def max_flow_bound(g) -> int:
    """Most task-units any assignment could serve on this graph (bypass arcs left out)."""
    keep = np.ones(g.n_arcs, dtype=bool)
    n_tasks = int((g.tails == 0).sum())
    keep[n_tasks : 2 * n_tasks] = False  # the bypass segment follows source -> task
    smf = max_flow.SimpleMaxFlow()
    smf.add_arcs_with_capacity(g.tails[keep].astype(np.int32), g.heads[keep].astype(np.int32), g.caps[keep])
    if smf.solve(0, 1) != smf.OPTIMAL:
        raise MatchingError("max flow failed")
    return int(smf.optimal_flow())
