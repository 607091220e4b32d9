"""What one request costs inside the app (no HTTP server, no load generator): milliseconds per
request and SQL statements per request, for the reads of the load run, on a database that
scripts/reliability/load.py left behind (lianxin_load on the harness's PostgreSQL).

  .venv/bin/python scripts/reliability/cost.py [--db lianxin_load] [--n 50]
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import PGPORT, machine, write_json  # noqa: E402

PATHS = ["/api/v1/health", "/api/v1/health/db", "/api/v1/wishes", "/api/v1/wishes (resident)",
         "/api/v1/services", "/api/v1/wishes/mine (resident)", "/api/v1/points/me (volunteer)"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default="lianxin_load")
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--out")
    args = ap.parse_args()
    os.environ.update(DATABASE_URL=f"postgresql://postgres@127.0.0.1:{PGPORT}/{args.db}",
                      WECHAT_MODE="fake", LOG_LEVEL="WARNING")
    from sqlalchemy import event

    from server import create_app
    from server.extensions import db
    app = create_app({"RATELIMIT_ENABLED": False, "PUBLIC_CACHE_S": 0})
    client, statements = app.test_client(), []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: statements.append(1))
    tokens = {}
    for who, openid in (("resident", "demo-res-001"), ("volunteer", "demo-volunteer")):
        r = client.post("/api/v1/auth/wechat-login", json={"code": f"fake:{openid}:cost{time.time_ns()}"})
        tokens[who] = {"Authorization": "Bearer " + r.get_json()["token"]}
    rows = []
    for label in PATHS:
        path, _, who = label.partition(" ")
        headers = tokens.get(who.strip("()"), {})
        client.get(path, headers=headers)  # warm
        times, statements[:] = [], []
        for _ in range(args.n):
            t0 = time.perf_counter()
            status = client.get(path, headers=headers).status_code
            times.append((time.perf_counter() - t0) * 1000)
        rows.append({"request": f"GET {label}", "status": status,
                     "median_ms": round(statistics.median(times), 2),
                     "sql_per_request": round(len(statements) / args.n, 1)})
    write_json(args.out, {"command": " ".join(sys.argv), "machine_at_start": machine(),
                          "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
