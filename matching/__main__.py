"""Command line: `python -m matching lap FILE`, `python -m matching bench [...]`."""
from __future__ import annotations

import argparse
import json
import sys
from time import perf_counter

import numpy as np

from .flow import solve_assignment


def read_orlib(path: str) -> np.ndarray:
    """OR-Library assignment file: n, then n*n costs; line breaks carry no meaning."""
    with open(path, encoding="ascii") as fh:
        nums = np.array(fh.read().split(), dtype=np.int64)
    n = int(nums[0])
    if len(nums) < 1 + n * n:
        raise SystemExit(f"{path}: expected {n * n} costs, found {len(nums) - 1}")
    return nums[1 : 1 + n * n].reshape(n, n)


def cmd_lap(args) -> None:
    if args.random:
        rng = np.random.default_rng(args.seed)
        cost = rng.integers(1, 101, size=(args.random, args.random))
        print(f"random instance n={args.random} seed={args.seed} costs 1..100")
    else:
        cost = read_orlib(args.file)
    t0 = perf_counter()
    total, _ = solve_assignment(cost)
    print(f"n={len(cost)} arcs={cost.size} solve_ms={(perf_counter() - t0) * 1000:.1f}")
    if args.check:
        from scipy.optimize import linear_sum_assignment

        r, c = linear_sum_assignment(cost)
        print(f"scipy linear_sum_assignment: {int(cost[r, c].sum())}")
    print(total)


def cmd_bench(args) -> None:
    from .bench import run_bench, table

    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    report = run_bench(args.seed, args.repeat, cases)
    print(table(report))
    for r in report["results"]:
        if r["engine"] == "flow":
            print(f"{r['case']}: served units {r['served_units']} / max-flow bound {r['bound']} "
                  f"({r['bound_kind']}); scarcity {r['scarcity']}; mode {r['mode']}")
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    print(text)


def cmd_bench_one(args) -> None:
    from .bench import run_one

    print(json.dumps(run_one(args.case, args.engine, args.seed, args.repeat), ensure_ascii=False))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m matching")
    sub = ap.add_subparsers(dest="cmd", required=True)
    lap = sub.add_parser("lap", help="solve an OR-Library assignment file; last line = optimum")
    lap.add_argument("file", nargs="?")
    lap.add_argument("--random", type=int, default=0, help="solve a random n x n instance instead")
    lap.add_argument("--seed", type=int, default=1)
    lap.add_argument("--check", action="store_true", help="also print scipy's optimum")
    bench = sub.add_parser("bench", help="engine vs greedy on the seeded cases")
    bench.add_argument("--seed", type=int, default=1)
    bench.add_argument("--repeat", type=int, default=3)
    bench.add_argument("--cases", default="district,tight,city")
    bench.add_argument("--json", default=None)
    one = sub.add_parser("bench-one", help=argparse.SUPPRESS)
    for name, kind in (("case", str), ("engine", str), ("seed", int), ("repeat", int)):
        one.add_argument(name, type=kind)
    args = ap.parse_args(argv)
    if args.cmd == "lap" and not args.file and not args.random:
        ap.error("lap needs FILE or --random N")
    {"lap": cmd_lap, "bench": cmd_bench, "bench-one": cmd_bench_one}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
