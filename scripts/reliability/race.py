"""Contested claims (and slot bookings) over real HTTP: gunicorn with several workers on a fresh
PostgreSQL database loaded with the demo district.

  .venv/bin/python scripts/reliability/race.py [--clients 100] [--wishes 200] [--claims 10000]
        [--workers 4] [--confirm 50] [--out docs/figures/race.json]

200 wishes are posted by 200 residents and approved by the street secretary through the API;
100 active volunteers (each its own keep-alive HTTP client and thread) then fire 10,000 claims
over them, every client its own random order. Asserted: no 5xx, every answer 200 or 409 in the
error shape, exactly one 200 per wish, and the database agrees (wish row claimed by the winner,
exactly one claim row, active, for the winner). Then some winners fulfil and the owners confirm,
and the points ledger must hold exactly the entries the confirmations imply. If the app serves
/orders, residents race for the seats of venue slots the same way (no slot overbooked).
"""
import argparse
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import BASE, Server, log, login, machine, prepare, sql, write_json  # noqa: E402

SHAPE = {"code", "status", "message", "errors", "request_id"}


def _session(openid: str) -> tuple[requests.Session, dict]:
    s = requests.Session()
    s.mount("http://", requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=2))
    return s, login(s, openid)


def _pmap(fn, items, workers=16):
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fn, items))


def open_wishes(n: int) -> list[dict]:
    """n wishes, each posted by a different resident of street 1 and approved by its secretary."""
    residents = [f"demo-res-{i:03d}" for i in range(240) if i % 12 < 10][:n]

    def post(openid):
        s, _ = _session(openid)
        r = s.post(f"{BASE}/wishes", headers={"Idempotency-Key": f"race-{openid}"}, json={
            "title": "想请人帮忙修台灯", "description": "家里台灯不亮了，想请志愿者帮忙看看",
            "category": "repair", "skills": []}, timeout=30)
        assert r.status_code == 201, r.text
        return {"id": r.json()["id"], "owner": openid}

    wishes = _pmap(post, residents)
    secretary, _ = _session("demo-street-secretary")
    for w in wishes:
        r = secretary.post(f"{BASE}/wishes/{w['id']}/review", json={"decision": "approve"},
                           timeout=30)
        assert r.status_code == 200 and r.json()["status"] == "open", r.text
    return wishes


def active_volunteers(n: int) -> list[tuple[requests.Session, dict]]:
    clients = _pmap(_session, [f"demo-vol-{i:03d}" for i in range(320)])
    active = [c for c in clients if c[1]["volunteer_status"] == "active"]
    assert len(active) >= n, f"only {len(active)} active volunteers"
    return active[:n]


def fire(clients, plans, path_of, body_of=lambda t: None) -> list[dict]:
    """Every client runs its plan (a list of targets) in its own thread, all starting at once."""
    barrier, results, lock = threading.Barrier(len(clients)), [], threading.Lock()

    def run(i):
        session, _ = clients[i]
        mine = []
        barrier.wait()
        for target in plans[i]:
            t0 = time.perf_counter()
            try:
                r = session.post(path_of(target), json=body_of(target), timeout=60)
                code, body = r.status_code, r.json()
            except (requests.RequestException, ValueError) as exc:
                code, body = 0, {"error": repr(exc)}
            mine.append({"client": i, "target": target, "code": code, "body": body,
                         "ms": (time.perf_counter() - t0) * 1000})
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _latency(results) -> dict:
    ms = sorted(r["ms"] for r in results)
    pick = lambda q: round(ms[min(len(ms) - 1, int(q * len(ms)))], 1)  # noqa: E731
    return {"p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99),
            "max_ms": round(ms[-1], 1)}


def _check_answers(results, ok_code: int, problems: list) -> Counter:
    codes = Counter(r["code"] for r in results)
    for r in results:
        if r["code"] not in (ok_code, 409):
            problems.append(f"unexpected answer {r['code']}: {r['body']}")
        elif r["code"] == 409 and set(r["body"]) != SHAPE:
            problems.append(f"409 not in the error shape: {r['body']}")
    return codes


def race_claims(args, db_url, problems) -> dict:
    wishes = open_wishes(args.wishes)
    ids = [w["id"] for w in wishes]
    clients = active_volunteers(args.clients)
    per_client = args.claims // args.clients
    rng = random.Random(args.seed)
    plans = [rng.sample(ids, min(per_client, len(ids))) for _ in clients]
    log(f"claims: {len(clients)} volunteers fire {sum(map(len, plans))} claims over {len(ids)} wishes")
    t0 = time.perf_counter()
    results = fire(clients, plans, lambda wid: f"{BASE}/wishes/{wid}/claim")
    elapsed = time.perf_counter() - t0
    codes = _check_answers(results, 200, problems)
    winners = defaultdict(list)
    for r in results:
        if r["code"] == 200:
            winners[r["target"]].append(r["body"]["claimed_by"])
    for wid in ids:
        if len(winners[wid]) != 1:
            problems.append(f"wish {wid}: {len(winners[wid])} winners")
    rows = {wid: (status, by) for wid, status, by in sql(
        db_url, "SELECT id, status, claimed_by FROM wishes WHERE id = ANY(%s)", (ids,))}
    claims = defaultdict(list)
    for wid, vid, status in sql(db_url, "SELECT wish_id, volunteer_id, status FROM wish_claims "
                                        "WHERE wish_id = ANY(%s)", (ids,)):
        claims[wid].append((vid, status))
    for wid in ids:
        won = winners[wid][0] if len(winners[wid]) == 1 else None
        if rows[wid] != ("claimed", won):
            problems.append(f"wish {wid}: row {rows[wid]} but the winner was {won}")
        if claims[wid] != [(won, "active")]:
            problems.append(f"wish {wid}: claim rows {claims[wid]}, winner {won}")
    ledger = confirm_some(args, wishes, winners, clients, db_url, problems)
    return {"clients": len(clients), "wishes": len(ids), "claims": len(results),
            "seconds": round(elapsed, 2), "claims_per_s": round(len(results) / elapsed, 1),
            "answers": dict(codes), "wishes_with_one_winner":
                sum(1 for wid in ids if len(winners[wid]) == 1),
            "latency": _latency(results), "ledger": ledger}


def confirm_some(args, wishes, winners, clients, db_url, problems) -> dict:
    """Winners fulfil, owners confirm (rating 5 for every other one): the ledger must hold one
    wish_confirmed entry per confirmed wish, one rating_bonus per 5-star one, and nothing else."""
    vol_of = dict(sql(db_url, "SELECT id, user_id FROM volunteers"))
    session_of_user = {user["id"]: s for s, user in clients}
    chosen = wishes[:args.confirm]
    for i, w in enumerate(chosen):
        vid = winners[w["id"]][0]
        s = session_of_user[vol_of[vid]]
        r = s.post(f"{BASE}/wishes/{w['id']}/fulfil", json={"note": "已修好"}, timeout=30)
        assert r.status_code == 200, r.text
        owner, _ = _session(w["owner"])
        r = owner.post(f"{BASE}/wishes/{w['id']}/confirm", json={"rating": 5 if i % 2 else 4},
                       timeout=30)
        assert r.status_code == 200, r.text
    ids = [w["id"] for w in wishes]
    entries = sql(db_url, "SELECT ref_id, volunteer_id, reason FROM points_ledger "
                          "WHERE ref_type = 'wish' AND ref_id = ANY(%s)", (ids,))
    expected = Counter()
    for i, w in enumerate(chosen):
        expected[(w["id"], winners[w["id"]][0], "wish_confirmed")] += 1
        if i % 2:
            expected[(w["id"], winners[w["id"]][0], "rating_bonus")] += 1
    if Counter(entries) != expected:
        problems.append(f"ledger disagrees: {Counter(entries) - expected} extra, "
                        f"{expected - Counter(entries)} missing")
    states = Counter(s for (s,) in sql(db_url, "SELECT status FROM wishes WHERE id = ANY(%s)", (ids,)))
    return {"confirmed": len(chosen), "ledger_entries": len(entries), "wish_states": dict(states)}


def race_bookings(args, db_url, problems) -> dict | None:
    paths = requests.get(f"{BASE}/openapi.json", timeout=30).json()["paths"]
    if not any(p.endswith("/orders") for p in paths):
        log("bookings: the app serves no /orders; skipped")
        return None
    provider, _ = _session("demo-volunteer")
    start = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    slots = []
    for k in range(args.offerings):
        body = {"title": f"义务理发第{k + 1}场", "category": "daily", "skills": [],
                "mode": "venue", "venue": "卖鱼桥社区服务站", "description": "志愿者义务理发",
                "slots": [{"start": (start + timedelta(hours=2 * j + 24 * k)).isoformat(),
                           "end": (start + timedelta(hours=2 * j + 1 + 24 * k)).isoformat(),
                           "capacity": args.capacity} for j in range(5)]}
        r = provider.post(f"{BASE}/services", json=body, timeout=30)
        assert r.status_code == 201, r.text
        slots += [(r.json()["id"], s["id"]) for s in r.json()["slots"]]
    clients = _pmap(_session, [f"demo-res-{i:03d}" for i in range(args.clients)])
    rng = random.Random(args.seed + 1)
    plans = [rng.sample(slots, len(slots)) for _ in clients]
    log(f"bookings: {len(clients)} residents race for {len(slots)} slots of {args.capacity} seats")
    t0 = time.perf_counter()
    results = fire(clients, plans, lambda _t: f"{BASE}/orders",
                   lambda t: {"service_id": t[0], "slot_id": t[1]})
    elapsed = time.perf_counter() - t0
    codes = _check_answers(results, 201, problems)
    won = Counter(r["target"][1] for r in results if r["code"] == 201)
    slot_ids = [s for _, s in slots]
    booked = dict(sql(db_url, "SELECT id, booked FROM service_slots WHERE id = ANY(%s)", (slot_ids,)))
    orders = Counter(s for (s,) in sql(db_url, "SELECT slot_id FROM service_orders WHERE slot_id = "
                                               "ANY(%s) AND status = 'requested'", (slot_ids,)))
    for s in slot_ids:
        if not (won[s] == booked[s] == orders[s] == min(args.capacity, len(clients))):
            problems.append(f"slot {s}: {won[s]} won, booked {booked[s]}, {orders[s]} orders")
    return {"clients": len(clients), "slots": len(slots), "capacity": args.capacity,
            "bookings": len(results), "seconds": round(elapsed, 2),
            "bookings_per_s": round(len(results) / elapsed, 1), "answers": dict(codes),
            "latency": _latency(results)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--wishes", type=int, default=200)
    ap.add_argument("--claims", type=int, default=10_000)
    ap.add_argument("--confirm", type=int, default=50)
    ap.add_argument("--offerings", type=int, default=10)
    ap.add_argument("--capacity", type=int, default=4)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out")
    args = ap.parse_args()
    started = machine()
    env = prepare("lianxin_race", WISH_MAX_ACTIVE_CLAIMS=1000)
    server = Server(env, workers=args.workers, threads=args.threads).start()
    problems: list[str] = []
    try:
        claims = race_claims(args, env["DATABASE_URL"], problems)
        bookings = race_bookings(args, env["DATABASE_URL"], problems)
    finally:
        server.stop()
    write_json(args.out, {"command": " ".join(sys.argv), "machine_at_start": started,
                          "server": server.command,
                          "claims": claims, "bookings": bookings, "problems": problems[:50],
                          "ok": not problems})
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
