"""Whole-engine behaviour: tiled large runs, scarce districts, the isolated process, the bench."""
import json
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from matching import MatchingError, solve, solve_greedy, solve_isolated
from matching.bench_cases import CaseSpec, make_spec_case
from matching.candidates import find_candidates
from matching.flow import max_flow_bound
from matching.graph import build_graph
from matching.prep import prepare

from .helpers import assert_rules_hold

REPO = Path(__file__).resolve().parents[2]
MINI = CaseSpec("mini", 500, 1000, 3.5, 20)
SCARCE = CaseSpec("scarce", 300, 130, 3.5, 20, capacities=(2, 2, 3), radii=(3000, 4000, 5000))


def objective(result, vols, p) -> int:
    """Arc costs plus the convex fairness steps, recomputed from the proposals."""
    load = {v.id: min(v.load_this_week, 20) for v in vols}
    runs = Counter(x.volunteer_id for x in result.proposals)
    fair = sum(p.fairness_cost * sum(load[v] + j for j in range(n)) for v, n in runs.items())
    return sum(x.score for x in result.proposals) + fair


def full_bound(tasks, vols, p) -> int:
    pr = prepare(tasks, vols, replace(p, candidates_per_task=None, max_scan=10**6))
    return max_flow_bound(build_graph(pr, find_candidates(pr)))


@pytest.fixture(scope="module")
def mini():
    return make_spec_case(MINI, seed=3)


def test_tiles_and_seams_stay_feasible_and_near_the_exact_optimum(mini):
    tasks, vols, p = mini
    exact = solve(tasks, vols, p)
    tiled_p = replace(p, exact_up_to=100, tile_tasks=120)
    tiled = solve(tasks, vols, tiled_p)
    assert exact.stats["mode"] == "exact" and tiled.stats["mode"] == "tiled"
    assert tiled.stats["tiles"] > 2 and tiled.stats["seam_tasks"] > 0
    assert_rules_hold(tiled, tasks, vols, p)
    assert len(tiled.proposals) == len(exact.proposals) == exact.stats["max_flow_bound"]
    assert objective(exact, vols, p) <= objective(tiled, vols, p) <= 1.01 * objective(exact, vols, p)


def test_exact_mode_beats_or_equals_greedy_on_cost_when_fairness_is_off(mini):
    tasks, vols, p = mini
    p = replace(p, fairness_cost=0, other_community_cost=0, spare_skill_cost=0, day_cost=0)
    flow, greedy = solve(tasks, vols, p), solve_greedy(tasks, vols, p)
    assert len(flow.proposals) >= len(greedy.proposals)
    if len(flow.proposals) == len(greedy.proposals):
        assert sum(x.score for x in flow.proposals) <= sum(x.score for x in greedy.proposals)


def test_scarce_district_reaches_the_max_flow_bound_of_all_feasible_pairs():
    tasks, vols, p = make_spec_case(SCARCE, seed=2)
    result = solve(tasks, vols, p)
    assert_rules_hold(result, tasks, vols, p)
    assert len(result.proposals) == full_bound(tasks, vols, p)
    assert len(result.proposals) > len(solve_greedy(tasks, vols, p).proposals)


def test_isolated_process_gives_the_same_answer_and_honours_the_time_limit(mini):
    tasks, vols, p = mini
    tasks, vols = tasks[:60], vols[:120]
    here, there = solve(tasks, vols, p), solve_isolated(tasks, vols, p)
    assert [(x.task_id, x.volunteer_id, x.start) for x in here.proposals] == \
        [(x.task_id, x.volunteer_id, x.start) for x in there.proposals]
    with pytest.raises(MatchingError):
        solve_isolated(tasks, vols, replace(p, time_limit_s=0.001))  # a warm child takes ~25 ms


def test_bench_command_prints_table_and_json(tmp_path):
    out_file = tmp_path / "bench.json"
    cmd = [sys.executable, "-m", "matching", "bench", "--cases", "tight", "--repeat", "1",
           "--json", str(out_file)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True, timeout=300)
    assert "served" in done.stdout.splitlines()[0]
    report = json.loads(out_file.read_text(encoding="utf-8"))
    flow, greedy = report["results"]
    assert (flow["engine"], greedy["engine"]) == ("flow", "greedy")
    assert flow["served_units"] == flow["bound"] > greedy["served_units"]
    assert flow["same_output"] and report["meta"]["nproc"] >= 1


def test_tiled_answer_is_the_same_serial_forked_or_from_a_thread(mini):
    tasks, vols, p = mini
    p = replace(p, exact_up_to=100, tile_tasks=120)
    key = lambda r: [(x.task_id, x.volunteer_id, x.start) for x in r.proposals]  # noqa: E731
    forked = solve(tasks, vols, replace(p, workers=2))
    serial = solve(tasks, vols, replace(p, workers=1))
    box = {}
    worker = threading.Thread(target=lambda: box.setdefault("r", solve(tasks, vols, p)))
    worker.start()
    worker.join()
    assert key(forked) == key(serial) == key(box["r"])
