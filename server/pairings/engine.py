"""The pairing engine: households × volunteers by min-cost flow (the matching engine's solver).

Pure: plain dataclasses in, a result out; no database. Its graph, in MATCHING.md's form:

    household (supply 1) → volunteer   cost = metres + skill gap + nothing else   (candidates only)
    volunteer → sink                   one unit arc per free seat, cost = load_cost × (load + k)
    household → sink                   the bypass: cost = `bypass`, dearer than any pairing path

The k-th new pairing of a volunteer who already carries `load` costs load_cost × (load + k), so
the objective is convex in each volunteer's standing load (fair spread at once), and a volunteer
never takes more than `capacity` pairings in all. The bypass penalty exceeds the dearest possible
set of pairing arcs on one augmenting path, so the number of households paired is maximal first,
then the cost is least. `matching.flow.run_min_cost_flow` solves it (OR-Tools SimpleMinCostFlow,
status checked). Candidates come from a cKDTree: each household's `candidates` nearest volunteers
within their travel radius (None = every volunteer within radius, the exact graph the tests check
against a brute-force assignment).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from time import perf_counter

import numpy as np
from scipy.spatial import cKDTree

from matching import geo
from matching.flow import run_min_cost_flow


@dataclass(frozen=True)
class Household:
    id: int
    lat: float
    lng: float
    needs: frozenset[str] = frozenset()  # skills the household's wishes and orders asked for


@dataclass(frozen=True)
class Helper:
    id: int
    lat: float
    lng: float
    skills: frozenset[str] = frozenset()
    load: int = 0  # active pairings already carried
    max_distance_m: int = 5000
    user_id: int | None = None  # the person: never paired with their own household


@dataclass(frozen=True)
class PairingParams:
    capacity: int = 3  # pairings a volunteer carries at most, standing ones included
    load_cost: int = 300  # metres-equivalent per pairing a volunteer carries
    skill_gap_cost: int = 800  # metres-equivalent per needed skill the volunteer lacks
    candidates: int | None = 12  # nearest volunteers per household; None = all within radius


@dataclass
class PairingPick:
    household_id: int
    volunteer_id: int
    distance_m: int
    cost: int
    matched_skills: list[str] = field(default_factory=list)
    missing_skills: list[str] = field(default_factory=list)
    load_before: int = 0


@dataclass
class PairingOutcome:
    picks: list[PairingPick]
    unmatched: list[tuple[int, str]]  # (household id, reason code: too_far | at_capacity)
    stats: dict
    objective: int = 0


def project(lat, lng, lat0: float) -> np.ndarray:
    """(north, east) metres of arrays of points, by the one projection of matching/geo.py."""
    x, y = geo.project(np.asarray(lat, float), np.asarray(lng, float), lat0)
    return np.column_stack([y, x])


def _candidates(hh_xy, hp_xy, radius, k):
    """(household index, helper index, metres) of every household's candidate helpers."""
    if len(hp_xy) == 0 or len(hh_xy) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    k = len(hp_xy) if k is None else min(k, len(hp_xy))
    d, ii = cKDTree(hp_xy).query(hh_xy, k=k, distance_upper_bound=float(radius.max()) + 1.0)
    d, ii = d.reshape(len(hh_xy), k), ii.reshape(len(hh_xy), k)
    valid = ii < len(hp_xy)
    safe = np.where(valid, ii, 0)
    ok = valid & (d <= radius[safe])
    rows = np.nonzero(ok)
    return rows[0].astype(np.int64), safe[rows].astype(np.int64), d[rows]


def _own_households(households, helpers, h_ix, v_ix) -> np.ndarray:
    """Arcs that would pair a volunteer with their own household (nobody on both sides)."""
    return np.fromiter((helpers[v].user_id is not None and helpers[v].user_id == households[h].id
                        for h, v in zip(h_ix.tolist(), v_ix.tolist())), bool, len(h_ix))


def _skill_gaps(households, helpers, h_ix, v_ix) -> np.ndarray:
    return np.fromiter((len(households[h].needs - helpers[v].skills)
                        for h, v in zip(h_ix.tolist(), v_ix.tolist())), np.int64, len(h_ix))


def arc_costs(households, helpers, params: PairingParams, h_ix, v_ix, dist) -> np.ndarray:
    """The household → volunteer arc cost: rounded metres plus the skill-gap term."""
    return np.round(dist).astype(np.int64) + params.skill_gap_cost * _skill_gaps(
        households, helpers, h_ix, v_ix)


def bypass_cost(n_households: int, params: PairingParams, max_arc: int) -> int:
    """Dearer than any augmenting path's pairing arcs, so pairing more always wins."""
    seat_max = params.load_cost * max(params.capacity, 1)
    return (max_arc + seat_max + 1) * (n_households + 1)


def solve_pairings(households: list[Household], helpers: list[Helper],
                   params: PairingParams = PairingParams()) -> PairingOutcome:
    t0 = perf_counter()
    n, m = len(households), len(helpers)
    lat0 = float(np.mean([h.lat for h in households])) if n else 30.0
    hh_xy = project([h.lat for h in households], [h.lng for h in households], lat0)
    hp_xy = project([v.lat for v in helpers], [v.lng for v in helpers], lat0)
    radius = np.array([v.max_distance_m for v in helpers], dtype=float)
    h_ix, v_ix, dist = _candidates(hh_xy, hp_xy, radius, params.candidates)
    own = _own_households(households, helpers, h_ix, v_ix)
    h_ix, v_ix, dist = h_ix[~own], v_ix[~own], dist[~own]
    cost = arc_costs(households, helpers, params, h_ix, v_ix, dist)
    free = np.array([max(params.capacity - v.load, 0) for v in helpers], dtype=np.int64)
    t1 = perf_counter()
    picks, objective = _solve(households, helpers, params, (h_ix, v_ix, dist, cost), free)
    t2 = perf_counter()
    paired = {p.household_id for p in picks}
    near = np.zeros(n, bool)
    near[h_ix] = True
    unmatched = [(h.id, "at_capacity" if near[i] else "too_far")
                 for i, h in enumerate(households) if h.id not in paired]
    stats = {"households": n, "volunteers": m, "candidate_pairs": int(len(h_ix)),
             "paired": len(picks), "unpaired": len(unmatched),
             "total_distance_m": int(sum(p.distance_m for p in picks)),
             "candidates_ms": round((t1 - t0) * 1000, 1), "solve_ms": round((t2 - t1) * 1000, 1),
             "total_ms": round((perf_counter() - t0) * 1000, 1)}
    return PairingOutcome(picks, unmatched, stats, objective)


def _solve(households, helpers, params, arcs, free):
    h_ix, v_ix, dist, cost = arcs
    n, m = len(households), len(helpers)
    if n == 0:
        return [], 0
    sink = n + m
    seat_v = np.repeat(np.arange(m), free)
    seat_k = np.concatenate([np.arange(f) for f in free]) if m else np.zeros(0, np.int64)
    loads = np.array([v.load for v in helpers], dtype=np.int64)
    seat_cost = params.load_cost * (loads[seat_v] + seat_k) if len(seat_v) else seat_v
    penalty = bypass_cost(n, params, int(cost.max()) if len(cost) else 0)
    tails = np.concatenate([h_ix, n + seat_v, np.arange(n)])
    heads = np.concatenate([n + v_ix, np.full(len(seat_v), sink), np.full(n, sink)])
    costs = np.concatenate([cost, seat_cost, np.full(n, penalty)])
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n], supplies[sink] = 1, -n
    flows, objective, _ = run_min_cost_flow(tails, heads, np.ones(len(tails), np.int64), costs,
                                            supplies)
    chosen = np.flatnonzero(flows[: len(h_ix)] > 0)
    seen: dict[int, int] = {}
    picks = []
    for a in chosen.tolist():
        h, v = households[int(h_ix[a])], helpers[int(v_ix[a])]
        before = v.load + seen.get(v.id, 0)
        seen[v.id] = seen.get(v.id, 0) + 1
        picks.append(PairingPick(h.id, v.id, int(round(dist[a])), int(cost[a]),
                                 sorted(h.needs & v.skills), sorted(h.needs - v.skills), before))
    return picks, objective
