"""Benchmark of pairing proposals: a district of 5,000 households × 3,000 volunteers.

    python -m server.pairings.bench [--households 5000] [--volunteers 3000] [--repeat 5]

Prints each run's time and the median, as a table and as JSON (the figures in
docs/service-system-a.md come from this command). Pure engine: no database.
"""
import argparse
import json
import statistics
import sys
from time import perf_counter

import numpy as np

from .engine import Helper, Household, PairingParams, solve_pairings

SKILLS = ("appliance_repair", "plumbing", "elder_care", "health_check", "legal_advice",
          "phone_help", "errands", "haircut")
CENTRE = (30.2968, 120.1523)
SPREAD_DEG = 0.06  # ≈ 6.7 km north-south: a district


def district(households: int, volunteers: int, seed: int):
    rng = np.random.default_rng(seed)

    def point():
        return (CENTRE[0] + rng.normal(0, SPREAD_DEG / 3), CENTRE[1] + rng.normal(0, SPREAD_DEG / 3))

    hh = []
    for i in range(households):
        lat, lng = point()
        needs = frozenset(rng.choice(SKILLS, size=int(rng.integers(0, 3)), replace=False))
        hh.append(Household(i + 1, lat, lng, needs))
    helpers = []
    for j in range(volunteers):
        lat, lng = point()
        skills = frozenset(rng.choice(SKILLS, size=int(rng.integers(1, 4)), replace=False))
        helpers.append(Helper(100_000 + j, lat, lng, skills, load=int(rng.integers(0, 2)),
                              max_distance_m=int(rng.choice([2000, 3000, 5000]))))
    return hh, helpers


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m server.pairings.bench")
    ap.add_argument("--households", type=int, default=5000)
    ap.add_argument("--volunteers", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    hh, helpers = district(args.households, args.volunteers, args.seed)
    params = PairingParams()
    times, out = [], None
    for _ in range(args.repeat):
        t0 = perf_counter()
        out = solve_pairings(hh, helpers, params)
        times.append((perf_counter() - t0) * 1000)
    median = statistics.median(times)
    print(f"{'households':>10} {'volunteers':>10} {'pairs':>8} {'paired':>7} {'unpaired':>8} "
          f"{'cand_ms':>8} {'solve_ms':>8} {'median_ms':>9}")
    print(f"{args.households:>10} {args.volunteers:>10} {out.stats['candidate_pairs']:>8} "
          f"{out.stats['paired']:>7} {out.stats['unpaired']:>8} {out.stats['candidates_ms']:>8} "
          f"{out.stats['solve_ms']:>8} {median:>9.1f}")
    print(json.dumps({"households": args.households, "volunteers": args.volunteers,
                      "runs_ms": [round(t, 1) for t in times], "median_ms": round(median, 1),
                      **out.stats}, ensure_ascii=False))
    print(f"time: {median / 1000:.3f} s (median of {args.repeat}; target ≤ 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
