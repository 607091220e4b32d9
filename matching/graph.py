"""The matching graph: source -> task -> [task-volunteer pair] -> volunteer-day -> sink.

A volunteer-day node D(v, d) has capacity c = min(capacity_per_day, free blocks that day).
A task reaches D directly when it may use at least c of those free blocks: then any c tasks
sent there can be put in distinct blocks (each still has a block left when the others are
placed), so the aggregate is exact. A task with fewer usable blocks is routed through
block nodes S(v, t) of capacity 1. Volunteers with several days get a node W(v) that joins
their days. Fairness: the parent (D or W) reaches the sink by k unit arcs with rising cost.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .candidates import Candidates
from .model import MatchingError
from .prep import Problem, unpack_bits

BYPASS_CAP = 40_000_000  # per priority point; 5 x this is the largest cost in the model
# First try: a bypass worth FAST_FACTOR longest paths. Small costs make the cost-scaling solver
# much faster; the engine checks the served count against a max flow and re-solves with the
# provable penalty in the rare case it falls short.
FAST_FACTOR = 4
# Below this many serve arcs a solve takes microseconds either way: use the provable penalty.
FAST_FROM_ARCS = 5_000
LOAD_CAP = 20  # loads beyond this cost the same as 20 (keeps costs bounded)


@dataclass
class Graph:
    tails: np.ndarray
    heads: np.ndarray
    caps: np.ndarray
    costs: np.ndarray
    supplies: np.ndarray
    serve: slice  # arcs task|pair -> volunteer-day|block
    arc_task: np.ndarray  # per serve arc
    arc_vol: np.ndarray
    arc_day: np.ndarray
    arc_slot: np.ndarray  # the block, or -1 = any free block of that day
    arc_cost: np.ndarray
    arc_dist: np.ndarray
    bypass_penalty: int  # per priority point
    exact_penalty: int  # per priority point, provably large enough for lexicographic order
    n_block_nodes: int
    n_day_nodes: int
    priority: np.ndarray  # per task, for the bypass arcs

    @property
    def n_arcs(self) -> int:
        return len(self.tails)

    @property
    def exact(self) -> bool:
        return self.bypass_penalty >= self.exact_penalty

    def set_bypass(self, per_point: int) -> None:
        n = len(self.priority)
        self.costs[n : 2 * n] = per_point * self.priority
        self.bypass_penalty = per_point


def pair_costs(pr: Problem, c: Candidates) -> np.ndarray:
    """Metres (in-person only) + other community + spare skills, per candidate pair."""
    p = pr.params
    metres = np.where(pr.t_in_person[c.task], c.dist, 0)
    tc, vc = pr.t_comm[c.task], pr.v_comm[c.vol]
    other = (tc >= 0) & (vc >= 0) & (tc != vc)
    spare = np.minimum(pr.v_nskill[c.vol] - pr.t_nskill[c.task], 5)
    return metres + p.other_community_cost * other + p.spare_skill_cost * spare


def expand_slots(pr: Problem, c: Candidates):
    """One (pair, block, cost) row per candidate pair and usable block, blocks ascending."""
    both = unpack_bits(pr.t_slots[c.task] & pr.v_slots[c.vol], pr.n_slots)
    pair, slot = np.nonzero(both)
    cost = pair_costs(pr, c)[pair] + pr.params.day_cost * pr.t_prio[c.task[pair]] * pr.grid.day[slot]
    return pair, slot, cost


def _per_day(bits: np.ndarray, pr: Problem) -> np.ndarray:
    """(n, T) bool -> (n, D) counts per local day."""
    if bits.shape[0] == 0 or pr.n_slots == 0:
        return np.zeros((bits.shape[0], pr.grid.n_days), dtype=np.int64)
    first = np.searchsorted(pr.grid.day, np.arange(pr.grid.n_days))
    return np.add.reduceat(bits.astype(np.int64), first, axis=1)


def _serve_arcs(pr: Problem, c: Candidates):
    """(pair, day, slot) of every serve arc, and the volunteer-day nodes with capacity."""
    nd, nt = pr.grid.n_days, pr.n_slots
    allowed = unpack_bits(pr.t_slots[c.task] & pr.v_slots[c.vol], nt)
    counts = _per_day(allowed, pr)
    row_pair, row_day = np.nonzero(counts)
    u_d, row_d = np.unique(c.vol[row_pair] * nd + row_day, return_inverse=True)
    d_vol, d_day = u_d // nd, u_d % nd
    free = _per_day(unpack_bits(pr.v_slots[d_vol], nt), pr)[np.arange(len(u_d)), d_day]
    cap_d = np.minimum(pr.v_cap[d_vol] - pr.v_used[d_vol, d_day], free)
    live = cap_d[row_d] > 0  # a day already full through held work takes nothing more
    row_pair, row_day, row_d = row_pair[live], row_day[live], row_d[live]
    agg = counts[row_pair, row_day] >= cap_d[row_d]
    fine = np.flatnonzero(~agg)
    sub = allowed[row_pair[fine]] & (pr.grid.day[None, :] == row_day[fine][:, None])
    r, slot = np.nonzero(sub)
    pair = np.concatenate([row_pair[agg], row_pair[fine][r]])
    day = np.concatenate([row_day[agg], row_day[fine][r]])
    slot = np.concatenate([np.full(int(agg.sum()), -1), slot])
    o = np.lexsort((slot, day, pair))
    keep_d = np.unique(row_d)
    return pair[o], day[o], slot[o], u_d[keep_d], cap_d[keep_d]


def _fairness(pr: Problem, vol, held, k) -> tuple[np.ndarray, np.ndarray]:
    """k unit arcs per parent node; the j-th costs fairness_cost x (load + held + j): convex."""
    rep = np.repeat(np.arange(len(k)), k)
    j = np.arange(len(rep)) - np.repeat(np.cumsum(k) - k, k)
    base = np.minimum(pr.v_load[vol[rep]], LOAD_CAP) + held[rep]
    return rep, pr.params.fairness_cost * (base + j)


def _seg(tails, heads, caps, costs):
    o = np.lexsort((heads, tails))
    return tails[o], heads[o], np.asarray(caps)[o], np.asarray(costs)[o]


def _parents(pr: Problem, u_d, cap_d, d_node, base_w):
    """Fairness parents: the day node for one-day volunteers, W(v) joining days otherwise."""
    nd = pr.grid.n_days
    d_vol, d_day = u_d // nd, u_d % nd
    u_w, w_ix, w_cnt = np.unique(d_vol, return_inverse=True, return_counts=True)
    multi_day = w_cnt[w_ix] > 1
    single = ~multi_day
    w_used = np.unique(w_ix[multi_day])
    held_w = pr.v_used[u_w[w_used]].sum(axis=1)
    w_room = pr.v_cap[u_w[w_used]] * nd - held_w
    w_cap = np.minimum(w_room, np.bincount(w_ix, cap_d, len(u_w))[w_used].astype(np.int64))
    link = (d_node[multi_day], base_w + w_ix[multi_day], cap_d[multi_day])
    par = (
        np.concatenate([d_node[single], base_w + w_used]),
        np.concatenate([d_vol[single], u_w[w_used]]),
        np.concatenate([pr.v_used[d_vol[single], d_day[single]], held_w]),
        np.concatenate([cap_d[single], np.maximum(w_cap, 0)]),
    )
    return link, par, len(u_w)


def _ones(m: int) -> np.ndarray:
    return np.ones(m, np.int64)


def _zeros(m: int) -> np.ndarray:
    return np.zeros(m, np.int64)


def _penalties(n_units: int, n_days_blocks: int, cost, fair) -> tuple[int, int]:
    """(bypass per priority point to use, the provably lexicographic one).

    An augmenting cycle that would trade a served unit away crosses at most one serve arc per
    block/day node and one fairness arc, so exact bounds what it can save. Small graphs get the
    exact one; large ones the fast one first (the cost-scaling solver is slower with big costs)."""
    c1 = int(cost.max()) if len(cost) else 0
    c2 = int(fair.max()) if len(fair) else 0
    exact = min(min(n_units, n_days_blocks) * c1 + c2 + 1, BYPASS_CAP)
    if len(cost) < FAST_FROM_ARCS:
        return exact, exact
    return min(exact, FAST_FACTOR * (c1 + c2 + 1)), exact


def _stack(segs: list) -> list[np.ndarray]:
    """Concatenate the segments' tails, heads, capacities and costs, segment order kept."""
    return [np.concatenate([np.asarray(sg[i]) for sg in segs]).astype(np.int64) for i in range(4)]


def build_graph(pr: Problem, c: Candidates, tasks: np.ndarray | None = None) -> Graph:
    """The flow model for `tasks` (default all) over their candidate pairs in `c`."""
    tasks = np.arange(len(pr.tasks)) if tasks is None else np.asarray(tasks, dtype=np.int64)
    n, nd, nt = len(tasks), pr.grid.n_days, pr.n_slots
    task_node = np.full(len(pr.tasks), -1, dtype=np.int64)
    task_node[tasks] = 2 + np.arange(n)
    pair, day, slot, u_d, cap_d = _serve_arcs(pr, c)
    a_task, a_vol = c.task[pair], c.vol[pair]
    cost = pair_costs(pr, c)[pair] + pr.params.day_cost * pr.t_prio[a_task] * day
    multi, blocks = pr.t_needed[a_task] > 1, slot >= 0
    u_p, p_ix = np.unique(pair[multi], return_inverse=True)
    u_s, s_ix = np.unique(a_vol[blocks] * nt + slot[blocks], return_inverse=True)
    base_p = 2 + n  # node ids: source 0, sink 1, tasks, pairs, blocks, days, volunteers
    base_s = base_p + len(u_p)
    d_node = base_s + len(u_s) + np.arange(len(u_d))
    base_w = d_node[-1] + 1 if len(u_d) else base_s + len(u_s)
    link, (par_node, par_vol, par_held, par_k), n_w = _parents(pr, u_d, cap_d, d_node, base_w)
    rep, fair = _fairness(pr, par_vol, par_held, par_k)
    head = d_node[np.searchsorted(u_d, a_vol * nd + day)]
    head[blocks] = base_s + s_ix
    tail = task_node[a_task]
    tail[multi] = base_p + p_ix
    order = np.lexsort((head, tail))
    bypass, exact = _penalties(n + len(u_p), len(u_s) + len(u_d), cost, fair)
    prio, needed = pr.t_prio[tasks], pr.t_needed[tasks]
    t_nodes = 2 + np.arange(n)
    s_day = d_node[np.searchsorted(u_d, (u_s // nt) * nd + pr.grid.day[u_s % nt])]
    segs = [
        (_zeros(n), t_nodes, needed, _zeros(n)),  # source -> task
        (t_nodes, _ones(n), needed, bypass * prio),  # task -> sink: not served
        _seg(task_node[c.task[u_p]], base_p + np.arange(len(u_p)), _ones(len(u_p)), _zeros(len(u_p))),
        (tail[order], head[order], _ones(len(order)), cost[order]),  # serve
        _seg(base_s + np.arange(len(u_s)), s_day, _ones(len(u_s)), _zeros(len(u_s))),
        _seg(*link, _zeros(len(link[0]))),  # day -> volunteer (several days)
        (par_node[rep], _ones(len(rep)), _ones(len(rep)), fair),  # fairness steps -> sink
    ]
    lens = np.cumsum([0] + [len(sg[0]) for sg in segs])
    supplies = _zeros(base_w + n_w)
    supplies[0], supplies[1] = needed.sum(), -needed.sum()
    return Graph(
        *_stack(segs), supplies, serve=slice(lens[3], lens[4]),
        arc_task=a_task[order], arc_vol=a_vol[order], arc_day=day[order], arc_slot=slot[order],
        arc_cost=cost[order], arc_dist=c.dist[pair][order], bypass_penalty=bypass,
        exact_penalty=exact, n_block_nodes=len(u_s), n_day_nodes=len(u_d), priority=prio,
    )


def place_blocks(pr: Problem, task, vol, day, slot) -> np.ndarray:
    """Give every chosen day-level arc a concrete free block; most constrained first."""
    slot = slot.copy()
    nd = pr.grid.n_days
    allowed = unpack_bits(pr.t_slots[task] & pr.v_slots[vol], pr.n_slots)
    allowed &= pr.grid.day[None, :] == day[:, None]
    key = vol * nd + day
    _, inv, cnt = np.unique(key, return_inverse=True, return_counts=True)
    lone = (slot < 0) & (cnt[inv] == 1)
    slot[lone] = np.argmax(allowed[lone], axis=1)
    rest = np.flatnonzero(cnt[inv] > 1)
    if len(rest) == 0:
        return slot
    nallow = allowed.sum(axis=1)
    rest = rest[np.lexsort((task[rest], -pr.t_prio[task[rest]], nallow[rest], slot[rest] < 0, key[rest]))]
    used: set[tuple[int, int]] = set()
    for a in rest.tolist():
        if slot[a] < 0:
            k = int(key[a])
            free = [t for t in np.flatnonzero(allowed[a]).tolist() if (k, t) not in used]
            if not free:
                raise MatchingError("no free block left for a day-level assignment")
            slot[a] = free[0]
        used.add((int(key[a]), int(slot[a])))
    return slot
