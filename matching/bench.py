"""Benchmark: the engine against greedy on the seeded cases, each run in a fresh process."""
from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timezone
from time import perf_counter

from .bench_cases import CASES, make_case
from .candidates import find_candidates, scarcity
from .engine import solve, solve_greedy
from .flow import max_flow_bound
from .graph import build_graph
from .prep import prepare

TIMINGS = ("prepare_ms", "candidates_ms", "build_ms", "solve_ms", "explain_ms", "total_ms")
KEEP = (
    "tasks", "volunteers", "arcs", "matched", "served_units", "needed_units", "feasible_tasks",
    "total_distance_m", "mean_distance_m", "max_load", "gini", "mode", "tiles", "seam_tasks",
    "status", "max_flow_bound", "lexicographic_exact", "served_priority", "workers",
    "tile_graph_sum_ms", "tile_flow_sum_ms",
)


def _rss_mb(who=resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024.0, 1)


def _bound(tasks, vols, params, full: bool) -> int:
    """Max-flow bound: on every feasible pair (full) or on the engine's candidate graph."""
    if full:
        params = replace(params, candidates_per_task=None, max_scan=10**9)
    pr = prepare(tasks, vols, params)
    return max_flow_bound(build_graph(pr, find_candidates(pr)))


def run_one(case: str, engine: str, seed: int, repeat: int) -> dict:
    """Generate the case, run one engine `repeat` times; medians of timings, last run's figures."""
    t0 = perf_counter()
    tasks, vols, params = make_case(case, seed)
    gen_ms = round((perf_counter() - t0) * 1000.0, 1)
    rss_before = _rss_mb()
    fn = solve if engine == "flow" else solve_greedy
    runs, cpu = [], []
    for _ in range(repeat):
        before = os.times()
        runs.append(fn(tasks, vols, params))
        after = os.times()  # CPU of this process and of its finished (forked) workers
        cpu.append(sum(after[i] - before[i] for i in range(4)) * 1000.0)
    out = {k: runs[-1].stats.get(k) for k in KEEP}
    out.update({k: statistics.median(r.stats[k] for r in runs) for k in TIMINGS})
    out["cpu_ms"] = round(statistics.median(cpu), 1)
    out["load_avg"] = os.getloadavg()[0]
    out.update(engine=engine, case=case, generate_ms=gen_ms, rss_before_mb=rss_before, peak_rss_mb=_rss_mb(),
               worker_peak_rss_mb=_rss_mb(resource.RUSAGE_CHILDREN))
    out["reasons"] = _reason_counts(runs[-1])
    out["same_output"] = all(_fingerprint(r) == _fingerprint(runs[0]) for r in runs)
    if engine == "flow":
        out["scarcity"] = round(scarcity(prepare(tasks, vols, params)), 3)
        full = len(tasks) <= 5000
        out["bound_kind"] = "all feasible pairs" if full else "candidate graph"
        out["bound"] = _bound(tasks, vols, params, full)
    return out


def _reason_counts(result) -> dict:
    counts: dict[str, int] = {}
    for u in result.unmatched:
        counts[u.reason] = counts.get(u.reason, 0) + 1
    return counts


def _fingerprint(result) -> tuple:
    return tuple((p.task_id, p.volunteer_id, p.start.isoformat()) for p in result.proposals)


def _child(case: str, engine: str, seed: int, repeat: int) -> dict:
    cmd = [sys.executable, "-m", "matching", "bench-one", case, engine, str(seed), str(repeat)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def meta(seed: int, repeat: int, cases: list[str]) -> dict:
    import ortools

    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(), "cpu": _cpu_model(), "python": platform.python_version(),
        "ortools": ortools.__version__, "seed": seed, "repeat": repeat, "cases": cases,
        "command": "python -m matching " + " ".join(sys.argv[1:]),
    }


def run_bench(seed: int, repeat: int, cases: list[str]) -> dict:
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        raise SystemExit(f"unknown case(s): {', '.join(unknown)}; known: {', '.join(CASES)}")
    rows = [_child(c, e, seed, repeat) for c in cases for e in ("flow", "greedy")]
    return {"meta": meta(seed, repeat, cases), "results": rows}


COLUMNS = (
    ("case", "case", "{}"), ("engine", "engine", "{}"), ("tasks", "tasks", "{}"),
    ("vols", "volunteers", "{}"), ("arcs", "arcs", "{}"), ("served", "matched", "{}"),
    ("served%", "served_pct", "{:.1f}"), ("units", "served_units", "{}"), ("bound", "bound", "{}"),
    ("km", "total_km", "{:.1f}"), ("mean m", "mean_distance_m", "{:.0f}"), ("maxload", "max_load", "{}"),
    ("gini", "gini", "{:.3f}"), ("build ms", "build_ms", "{:.0f}"), ("solve ms", "solve_ms", "{:.1f}"),
    ("total ms", "total_ms", "{:.0f}"), ("cpu ms", "cpu_ms", "{:.0f}"), ("peak MB", "peak_rss_mb", "{:.0f}"),
)


def table(report: dict) -> str:
    bounds = {r["case"]: r.get("bound") for r in report["results"] if r["engine"] == "flow"}
    lines = [" | ".join(h for h, _, _ in COLUMNS)]
    for r in report["results"]:
        row = dict(r, served_pct=100.0 * r["matched"] / max(r["tasks"], 1),
                   total_km=r["total_distance_m"] / 1000.0, bound=bounds.get(r["case"]))
        lines.append(" | ".join("-" if row.get(k) is None else f.format(row[k]) for _, k, f in COLUMNS))
    return "\n".join(lines)
