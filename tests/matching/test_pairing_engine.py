"""The pairing engine is optimal: on small random cases its objective equals an exact solver's
(scipy's linear_sum_assignment on the expanded matrix: one column per free seat of a volunteer,
priced by its standing load, plus one bypass column per household), and every proposal has
reasons. Pure: no database."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from server.pairings.engine import (
    Helper,
    Household,
    PairingParams,
    arc_costs,
    bypass_cost,
    project,
    solve_pairings,
)
from server.pairings.proposals import reasons_for

SKILLS = ("a", "b", "c")
points = st.tuples(st.floats(30.25, 30.27), st.floats(120.14, 120.16))
skillsets = st.frozensets(st.sampled_from(SKILLS), max_size=2)


def exact_objective(households, helpers, params):
    """Brute-force-equivalent: the dense assignment over every (household, seat) pair."""
    n = len(households)
    lat0 = float(np.mean([h.lat for h in households]))
    hh = project([h.lat for h in households], [h.lng for h in households], lat0)
    hp = project([v.lat for v in helpers], [v.lng for v in helpers], lat0)
    seats = [(j, k) for j, v in enumerate(helpers) for k in range(max(params.capacity - v.load, 0))]
    big = 10**12
    cols = len(seats) + n
    cost = np.full((n, cols), big, dtype=np.int64)
    arcs = {}  # every feasible (household, volunteer) arc, seats or none (as the engine)
    for i, h in enumerate(households):
        for j, v in enumerate(helpers):
            d = float(np.hypot(*(hh[i] - hp[j])))
            if d <= v.max_distance_m and v.user_id != h.id:
                arcs[i, j] = int(arc_costs([h], [v], params, np.array([0]), np.array([0]),
                                           np.array([d]))[0])
    for (i, j), arc in arcs.items():
        for c, (jj, k) in enumerate(seats):
            if jj == j:
                cost[i, c] = arc + params.load_cost * (helpers[j].load + k)
    max_arc = max(arcs.values(), default=0)
    penalty = bypass_cost(n, params, max_arc)
    for i in range(n):
        cost[i, len(seats) + i] = penalty
    rows, chosen = linear_sum_assignment(cost)
    return int(cost[rows, chosen].sum())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(points, skillsets), min_size=1, max_size=7),
       st.lists(st.tuples(points, skillsets, st.integers(0, 3), st.integers(300, 3000)),
                min_size=1, max_size=5),
       st.integers(1, 3))
def test_objective_equals_the_exact_assignment(hs, vs, capacity):
    households = [Household(i + 1, p[0], p[1], s) for i, (p, s) in enumerate(hs)]
    helpers = [Helper(100 + j, p[0], p[1], s, load, radius)
               for j, (p, s, load, radius) in enumerate(vs)]
    params = PairingParams(capacity=capacity, candidates=None)
    out = solve_pairings(households, helpers, params)
    assert out.objective == exact_objective(households, helpers, params)
    loads = {v.id: v.load for v in helpers}
    for pick in out.picks:
        loads[pick.volunteer_id] += 1
        reasons = reasons_for(pick, {})
        assert reasons and any("公里" in r or "米" in r for r in reasons)
        assert any("已结对" in r for r in reasons)
    assert all(load <= max(capacity, v.load) for v, load in zip(helpers, loads.values()))
    assert len({p.household_id for p in out.picks}) == len(out.picks)
    assert len(out.picks) + len(out.unmatched) == len(households)


def test_a_volunteer_is_never_paired_with_their_own_household():
    households = [Household(7, 30.26, 120.15)]
    helpers = [Helper(1, 30.26, 120.15, user_id=7)]
    out = solve_pairings(households, helpers, PairingParams(candidates=None))
    assert out.picks == [] and out.unmatched == [(7, "too_far")]


def test_load_spreads_pairings_and_skills_count():
    households = [Household(1, 30.26, 120.15, frozenset({"a"})),
                  Household(2, 30.26, 120.1501)]
    helpers = [Helper(10, 30.26, 120.15, frozenset(), load=2),
               Helper(11, 30.2605, 120.15, frozenset({"a"}), load=0)]
    out = solve_pairings(households, helpers, PairingParams(candidates=None))
    by_household = {p.household_id: p.volunteer_id for p in out.picks}
    assert by_household[1] == 11  # has the needed skill, carries no load
    assert len(out.picks) == 2
    assert reasons_for(next(p for p in out.picks if p.household_id == 1),
                       {"a": "电器维修"})[1] == "具备该户所需技能：电器维修"


def test_the_district_case_fits_in_two_seconds():
    rng = np.random.default_rng(7)
    households = [Household(i, 30.2 + rng.random() * 0.2, 120.1 + rng.random() * 0.2)
                  for i in range(5000)]
    helpers = [Helper(10_000 + j, 30.2 + rng.random() * 0.2, 120.1 + rng.random() * 0.2,
                      load=int(rng.integers(0, 3))) for j in range(3000)]
    out = solve_pairings(households, helpers)
    assert out.stats["total_ms"] < 2000
    assert out.stats["paired"] == 5000
