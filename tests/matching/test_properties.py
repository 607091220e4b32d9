"""Property tests on small random instances, checked against rules rebuilt here and CP-SAT.

Objective under test: the engine serves the most task units weighted by priority. On a flow
(gammoid) the best priority-weighted set of units is also a largest one, so both the plain count
and the priority sum must equal the CP-SAT optima.
"""
import os
import random
from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from matching import Task, Volunteer, solve, solve_greedy
from matching.model import REASON_CODES

from .helpers import SATURDAY, assert_rules_hold, cp_sat_best, haversine_m, local, params, place

SKILLS = ("电器维修", "陪诊")
# MATCHING_EXAMPLES=1000 for a long local run; the suite keeps it quick.
EXAMPLES = int(os.environ.get("MATCHING_EXAMPLES", "50"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def tasks_(draw, n):
    out = []
    for i in range(n):
        lat, lng = place(draw(st.integers(-2500, 2500)), draw(st.integers(-2500, 2500)))
        start_h = draw(st.sampled_from([None, 8, 9, 10, 11]))
        end_h = draw(st.sampled_from([None, 9, 10, 11, 12]))
        if start_h is not None and end_h is not None and end_h <= start_h:
            end_h = None
        out.append(Task(
            id=f"wish:{i}", lat=lat, lng=lng,
            skills=frozenset(draw(st.lists(st.sampled_from(SKILLS), max_size=2))),
            window_start=None if start_h is None else local(start_h),
            window_end=None if end_h is None else local(end_h),
            duration_min=draw(st.sampled_from([30, 45, 60, 60, 90])),
            priority=draw(st.integers(1, 5)), needed=draw(st.sampled_from([1, 1, 1, 2])),
            in_person=draw(st.sampled_from([True, True, True, False])),
            community_id=draw(st.sampled_from([None, 1, 2])),
        ))
    return out


@st.composite
def windows_(draw):
    if draw(st.integers(0, 4)) == 0:
        return ()
    out = []
    for _ in range(draw(st.integers(1, 2))):
        a = draw(st.integers(8, 11))
        b = draw(st.integers(a + 1, 12))
        out.append((draw(st.sampled_from([SATURDAY, SATURDAY, 0])), a * 60, b * 60))
    return tuple(out)


@st.composite
def volunteers_(draw, n):
    out = []
    for i in range(n):
        lat, lng = place(draw(st.integers(-2500, 2500)), draw(st.integers(-2500, 2500)))
        busy = ()
        if draw(st.booleans()):
            s = local(draw(st.integers(8, 11)), draw(st.sampled_from([0, 30])))
            busy = ((s, s + timedelta(minutes=30)),)
        out.append(Volunteer(
            id=f"vol:{i}", lat=lat, lng=lng,
            skills=frozenset(draw(st.lists(st.sampled_from(SKILLS), max_size=2))),
            availability=draw(windows_()), capacity_per_day=draw(st.integers(0, 2)),
            max_distance_m=draw(st.sampled_from([800, 1500, 3000, 6000])),
            load_this_week=draw(st.integers(0, 3)), community_id=draw(st.sampled_from([None, 1, 2])),
            busy=busy,
        ))
    return out


@st.composite
def instances(draw, max_tasks=5, max_vols=4):
    tasks = draw(tasks_(draw(st.integers(0, max_tasks))))
    vols = draw(volunteers_(draw(st.integers(0, max_vols))))
    for t in tasks:  # keep clear of the radius edge, where projections may differ by a metre
        for v in vols:
            d = haversine_m(t.lat, t.lng, v.lat, v.lng)
            assume(not t.in_person or abs(d - v.max_distance_m) > 0.005 * v.max_distance_m)
    return tasks, vols


def _served(result) -> int:
    return len(result.proposals)


def _priority(result, tasks) -> int:
    prio = {t.id: t.priority for t in tasks}
    return sum(prio[p.task_id] for p in result.proposals)


@SETTINGS
@given(instances())
def test_every_proposal_obeys_the_hard_rules(inst):
    tasks, vols = inst
    result = solve(tasks, vols, params())
    assert_rules_hold(result, tasks, vols, params())
    assert result.stats["status"] == "OPTIMAL"
    assert all(p.reasons for p in result.proposals)


@SETTINGS
@given(instances())
def test_every_task_is_served_or_explained(inst):
    tasks, vols = inst
    result = solve(tasks, vols, params())
    served = {}
    for p in result.proposals:
        served[p.task_id] = served.get(p.task_id, 0) + 1
    missing = {u.task_id: u for u in result.unmatched}
    for t in tasks:
        short = served.get(t.id, 0) < t.needed
        assert short == (t.id in missing)
        if short:
            assert missing[t.id].reason in REASON_CODES and missing[t.id].message
    assert result.stats["matched"] + result.stats["unmatched"] == len(tasks)


@SETTINGS
@given(instances())
def test_served_count_and_priority_are_optimal(inst):
    tasks, vols = inst
    result = solve(tasks, vols, params())
    assert _served(result) == cp_sat_best(tasks, vols, params(), weighted=False)
    assert _priority(result, tasks) == cp_sat_best(tasks, vols, params(), weighted=True)
    assert result.stats["max_flow_bound"] == _served(result)
    assert result.stats["lexicographic_exact"]


@SETTINGS
@given(instances())
def test_engine_serves_at_least_greedy(inst):
    tasks, vols = inst
    greedy = solve_greedy(tasks, vols, params())
    assert_rules_hold(greedy, tasks, vols, params())
    assert _served(solve(tasks, vols, params())) >= _served(greedy)


def _fingerprint(result):
    props = [(p.task_id, p.volunteer_id, p.start, p.end, p.distance_m, p.score, tuple(p.reasons))
             for p in result.proposals]
    return props, [(u.task_id, u.reason, u.message) for u in result.unmatched]


@settings(max_examples=30, deadline=None)
@given(instances(), st.integers(0, 1000))
def test_same_input_gives_same_output_in_any_order(inst, seed):
    tasks, vols = inst
    first = solve(tasks, vols, params())
    rng = random.Random(seed)
    shuffled_t, shuffled_v = tasks[:], vols[:]
    rng.shuffle(shuffled_t)
    rng.shuffle(shuffled_v)
    assert _fingerprint(solve(tasks, vols, params())) == _fingerprint(first)
    assert _fingerprint(solve(shuffled_t, shuffled_v, params())) == _fingerprint(first)


def two_days():
    """Saturday and Sunday, two blocks each: exercises per-day capacity across days."""
    return params(days=2, day_start_min=8 * 60, day_end_min=10 * 60)


@st.composite
def weekend_instances(draw):
    tasks, vols = draw(instances(max_tasks=6, max_vols=3))
    vols = [replace(v, availability=tuple((6 if wd == 0 else wd, a, b) for wd, a, b in v.availability))
            for v in vols]
    return tasks, vols


@SETTINGS
@given(weekend_instances())
def test_two_day_horizon_obeys_rules_and_is_optimal(inst):
    tasks, vols = inst
    result = solve(tasks, vols, two_days())
    assert_rules_hold(result, tasks, vols, two_days())
    assert _served(result) == cp_sat_best(tasks, vols, two_days(), weighted=False)
    assert _priority(result, tasks) == cp_sat_best(tasks, vols, two_days(), weighted=True)
