"""The flow code path: one min-cost-flow runner, the matching graph, the LAP, the max-flow bound."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from .candidates import Candidates
from .model import MatchingError
from .prep import Problem, unpack_bits

COST_LIMIT = 1_000_000_000  # every arc cost stays well under this
BYPASS_CAP = 40_000_000  # per priority point; 5 x this is the largest cost in the model
LOAD_CAP = 20  # loads beyond this cost the same as 20 (keeps costs bounded)


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


@dataclass
class Graph:
    tails: np.ndarray
    heads: np.ndarray
    caps: np.ndarray
    costs: np.ndarray
    supplies: np.ndarray
    serve: slice  # arcs task|pair -> volunteer-slot
    arc_task: np.ndarray  # per serve arc
    arc_vol: np.ndarray
    arc_slot: np.ndarray
    arc_cost: np.ndarray
    arc_dist: np.ndarray
    bypass_penalty: int
    exact: bool  # bypass penalty large enough that serving provably dominates
    sink_arcs: slice  # volunteer -> sink arcs (for the max-flow bound)

    @property
    def n_arcs(self) -> int:
        return len(self.tails)


def _pair_costs(pr: Problem, c: Candidates) -> np.ndarray:
    p = pr.params
    metres = np.where(pr.t_in_person[c.task], c.dist, 0)
    tc, vc = pr.t_comm[c.task], pr.v_comm[c.vol]
    other = (tc >= 0) & (vc >= 0) & (tc != vc)
    spare = np.minimum(pr.v_nskill[c.vol] - pr.t_nskill[c.task], 5)
    return metres + p.other_community_cost * other + p.spare_skill_cost * spare


def _expand_slots(pr: Problem, c: Candidates):
    """One arc per (candidate pair, free block inside the window)."""
    both = unpack_bits(pr.t_slots[c.task] & pr.v_slots[c.vol], pr.n_slots)
    pair, slot = np.nonzero(both)
    cost = _pair_costs(pr, c)[pair] + pr.params.slot_cost * pr.t_prio[c.task[pair]] * slot
    return pair, slot, cost


def _sorted(tails, heads, caps, costs):
    o = np.lexsort((heads, tails))
    return tails[o], heads[o], caps[o], costs[o], o


def build_graph(pr: Problem, c: Candidates) -> Graph:
    """source -> task -> [pair] -> volunteer-slot -> volunteer-day -> volunteer -> sink."""
    n, t_count, d_count = len(pr.tasks), pr.n_slots, pr.grid.n_days
    pair, slot, cost = _expand_slots(pr, c)
    a_task, a_vol = c.task[pair], c.vol[pair]
    multi = pr.t_needed[a_task] > 1
    u_pair, pair_ix = np.unique(pair[multi], return_inverse=True)
    u_slot, slot_ix = np.unique(a_vol * t_count + slot, return_inverse=True)
    s_vol, s_t = u_slot // t_count, u_slot % t_count
    u_day, day_ix = np.unique(s_vol * d_count + pr.grid.day[s_t], return_inverse=True)
    u_vol, vol_ix = np.unique(u_day // d_count, return_inverse=True)
    base_pair = 2 + n
    base_slot = base_pair + len(u_pair)
    base_day = base_slot + len(u_slot)
    base_vol = base_day + len(u_day)
    n_nodes = base_vol + len(u_vol)

    task_node = 2 + np.arange(n)
    k_v = np.minimum(pr.v_cap[u_vol] * np.bincount(vol_ix, minlength=len(u_vol)),
                     np.bincount(vol_ix[day_ix], minlength=len(u_vol)))
    rep = np.repeat(np.arange(len(u_vol)), k_v)
    j = np.arange(len(rep)) - np.repeat(np.cumsum(k_v) - k_v, k_v)
    fair = pr.params.fairness_cost * (np.minimum(pr.v_load[u_vol[rep]], LOAD_CAP) + j)

    serve_tail = task_node[a_task]
    serve_tail[multi] = base_pair + pair_ix
    st, sh, _, sc, order = _sorted(serve_tail, base_slot + slot_ix, np.ones(len(cost), np.int64), cost)

    c1 = int(cost.max()) if len(cost) else 0
    c2 = int(fair.max()) if len(fair) else 0
    exact_b = min(n + len(u_pair), len(u_slot) + 1) * c1 + c2 + 1
    bypass = int(min(exact_b, BYPASS_CAP))
    needed = pr.t_needed

    segs = [
        (np.zeros(n, np.int64), task_node, needed, np.zeros(n, np.int64)),  # source -> task
        (task_node, np.ones(n, np.int64), needed, bypass * pr.t_prio),  # bypass
        _sorted(2 + c.task[u_pair], base_pair + np.arange(len(u_pair)),
                np.ones(len(u_pair), np.int64), np.zeros(len(u_pair), np.int64))[:4],
        (st, sh, np.ones(len(st), np.int64), sc),  # serve
        (base_slot + np.arange(len(u_slot)), base_day + day_ix,
         np.ones(len(u_slot), np.int64), np.zeros(len(u_slot), np.int64)),
        (base_day + np.arange(len(u_day)), base_vol + vol_ix,
         pr.v_cap[u_vol[vol_ix]], np.zeros(len(u_day), np.int64)),
        (base_vol + rep, np.ones(len(rep), np.int64), np.ones(len(rep), np.int64), fair),
    ]
    lens = np.cumsum([0] + [len(s[0]) for s in segs])
    tails, heads, caps, costs = (np.concatenate([s[i] for s in segs]).astype(np.int64) for i in range(4))
    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[0], supplies[1] = needed.sum(), -needed.sum()
    return Graph(
        tails, heads, caps, costs, supplies,
        serve=slice(lens[3], lens[4]),
        arc_task=a_task[order], arc_vol=a_vol[order], arc_slot=slot[order], arc_cost=cost[order], arc_dist=c.dist[pair][order],
        bypass_penalty=bypass, exact=exact_b <= BYPASS_CAP, sink_arcs=slice(lens[6], lens[7]),
    )


def solve_graph(g: Graph):
    """Min-cost flow on the matching graph; returns the serve-arc mask and the cost."""
    flows, cost, status = run_min_cost_flow(g.tails, g.heads, g.caps, g.costs, g.supplies)
    return flows[g.serve] > 0, cost, status


def max_flow_bound(g: Graph) -> int:
    """Most task-units any assignment could serve on this graph (bypass arcs left out)."""
    keep = np.ones(g.n_arcs, dtype=bool)
    n_tasks = int((g.tails == 0).sum())
    keep[n_tasks : 2 * n_tasks] = False  # the bypass segment follows source -> task
    smf = max_flow.SimpleMaxFlow()
    smf.add_arcs_with_capacity(g.tails[keep].astype(np.int32), g.heads[keep].astype(np.int32), g.caps[keep])
    if smf.solve(0, 1) != smf.OPTIMAL:
        raise MatchingError("max flow failed")
    return int(smf.optimal_flow())
