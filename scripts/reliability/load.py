"""Load: locust (headless) against gunicorn + PostgreSQL on loopback, on a fresh demo database.

  .venv/bin/python scripts/reliability/load.py [--users 50] [--seconds 30] [--workers 3]
        [--threads 2] [--max-requests 200000] [--out docs/figures/load.json]

Runs, each bounded in time (-t) and in requests (LOAD_MAX_REQUESTS):
  ceiling      GET /health (answers without touching the database): the stack's ceiling here
  ceiling_db   GET /health/db (SELECT 1)
  wall, menu   GET /wishes (anonymous), GET /services alone, closed loop like the ceiling:
               their ratio to it (both may come from the public cache, PUBLIC_CACHE_S)
  wall_resident  GET /wishes as logged-in residents (the caller loaded each time; the page
               cached unless it holds their own wishes)
  mixed        residents browse the wall and menu, post wishes, book slots; volunteers claim
               and release; the street secretary reviews and runs matching; --think seconds of
               think time per user; per-endpoint requests/s, p50/p95/p99 and error rate; after
               --warmup seconds of the same load that are not reported.
Expected refusals (409: a claim lost, a full slot) count as answers, not errors.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import BASE, BIN, PORT, ROOT, Server, log, login, machine, prepare, sql, write_json  # noqa: E402

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
RUNS = {"ceiling": "HealthUser", "ceiling_db": "HealthDbUser", "wall": "WallUser",
        "wall_resident": "ResidentWallUser", "menu": "MenuUser",
        "mixed": "Resident Volunteer Secretary"}


def seed_menu(offerings: int = 12) -> None:
    """Service offerings with roomy slots, published through the API by the demo volunteer."""
    s = requests.Session()
    login(s, "demo-volunteer")
    start = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    for k in range(offerings):
        r = s.post(f"{BASE}/services", json={
            "title": f"党员志愿服务第{k + 1}项", "category": "daily", "skills": [], "mode": "venue",
            "venue": "卖鱼桥社区服务站", "description": "理发、量血压、家电小修",
            "slots": [{"start": (start + timedelta(hours=24 * j + k % 8)).isoformat(),
                       "end": (start + timedelta(hours=24 * j + k % 8 + 1)).isoformat(),
                       "capacity": 500} for j in range(4)]}, timeout=30)
        if r.status_code != 201:
            raise RuntimeError(r.text)


def run_locust(name, users, seconds, think, max_requests, volunteers, spawn_rate=0) -> list[dict]:
    prefix = os.path.join(tempfile.mkdtemp(prefix="lianxin-load-"), name)
    env = {**os.environ, "LOAD_THINK_S": str(think), "LOAD_MAX_REQUESTS": str(max_requests),
           "LOAD_VOLUNTEERS": json.dumps(volunteers)}
    cmd = [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "-u", str(users),
           "-r", str(spawn_rate or users), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{PORT}",
           "--csv", prefix, "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING",
           *RUNS[name].split()]
    log(f"{name}: {users} users for {seconds}s, think {think}s")
    subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    with open(prefix + "_stats.csv") as f:
        for row in csv.DictReader(f):
            count = int(row["Request Count"])
            rows.append({
                "endpoint": row["Name"] if row["Name"] != "Aggregated" else "all",
                "requests": count, "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": _num(row["50%"]), "p95_ms": _num(row["95%"]), "p99_ms": _num(row["99%"]),
                "errors": int(row["Failure Count"]),
                "error_rate": round(int(row["Failure Count"]) / count, 4) if count else 0.0})
    return rows


def _num(value):
    return None if value in ("", "N/A") else float(value)


def _rps(rows, endpoint):
    return next((r["rps"] for r in rows if r["endpoint"] == endpoint), 0.0)


def markdown(results: dict) -> str:
    lines = ["| run | endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for run, rows in results.items():
        for r in rows:
            lines.append(f"| {run} | {r['endpoint']} | {r['requests']} | {r['rps']} | "
                         f"{r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
                         f"{r['errors']} ({r['error_rate']:.2%}) |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--think", type=float, default=1.0, help="think time of the mixed run (s)")
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-requests", type=int, default=200_000)
    ap.add_argument("--spawn-rate", type=float, default=5,
                    help="users started per second in the mixed run (0: all at once)")
    ap.add_argument("--warmup", type=int, default=10,
                    help="seconds of the mixed load run first and not reported, so the figures "
                         "are those of warm workers (compiled SQL, pools, fork servers)")
    ap.add_argument("--runs", default=",".join(RUNS))
    ap.add_argument("--out")
    args = ap.parse_args()
    env = prepare("lianxin_load")
    server = Server(env, workers=args.workers, threads=args.threads).start()
    results, started = {}, machine()
    try:
        seed_menu()
        volunteers = [o for (o,) in sql(env["DATABASE_URL"], """
            SELECT u.openid FROM users u JOIN volunteers v ON v.user_id = u.id
            WHERE v.status = 'active' AND u.openid LIKE 'demo-vol-%' ORDER BY u.openid""")]
        for name in args.runs.split(","):
            think = args.think if name == "mixed" else 0
            if name == "mixed" and args.warmup > 0:
                run_locust(name, args.users, args.warmup, think, args.max_requests, volunteers,
                           args.spawn_rate)
            results[name] = run_locust(name, args.users, args.seconds, think, args.max_requests,
                                       volunteers, args.spawn_rate if name == "mixed" else 0)
    finally:
        server.stop()
    ceiling = _rps(results.get("ceiling", []), "GET /health")
    ratios = {f"{run} / ceiling": round(_rps(results[run], ep) / ceiling, 3)
              for run, ep in (("ceiling_db", "GET /health/db"), ("wall", "GET /wishes"),
                              ("wall_resident", "GET /wishes (logged in)"),
                              ("menu", "GET /services")) if run in results and ceiling}
    report = {"command": " ".join(sys.argv), "machine_at_start": started,
              "server": server.command,
              "users": args.users, "seconds": args.seconds, "think_s": args.think,
              "warmup_s": args.warmup, "spawn_rate": args.spawn_rate,
              "ratios": ratios, "runs": results}
    write_json(args.out, report)
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
