"""Faults under load, over real HTTP: gunicorn + the harness's PostgreSQL, fresh demo database.

  .venv/bin/python scripts/reliability/faults.py [--scenario kill|postgres|wechat|all] [--out FILE]

kill:      residents post wishes (each with its own Idempotency-Key, retried with the same key
           after a failure) and volunteers claim open wishes; a web worker is killed with
           SIGKILL, later the whole server (master and workers), which is then started again.
           Checked in the database: every write acknowledged with 2xx is there, no key made two
           wishes, and no transition is half done (claimed/fulfilled wish <=> one active claim
           row of its claimer; no other active claim row). A key whose request died in flight
           answers 409 until its reservation is abandoned (60 s); it is retried after 61 s and
           must then complete, once, with no manual repair.
postgres:  the same load while PostgreSQL is stopped for a few seconds and started again:
           every answer meanwhile is 2xx or a 503 in the error shape (never 500, never a hang),
           and answers are 2xx again afterwards without restarting gunicorn (pool_pre_ping).
wechat:    gunicorn with the real WeChat client pointed at a black hole on loopback (accepts
           connections, never answers): a login answers 503 in the error shape after the
           client's timeout (never 500, never a hang); a posted wish is accepted and held for
           review with its content check "unchecked", never published; the outbox job (run once
           by the CLI) keeps its messages pending with an attempt counted and a later retry.
"""
import argparse
import itertools
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from race import SHAPE, _session, active_volunteers, open_wishes  # noqa: E402
from stack import BASE, BIN, ROOT, Server, log, machine, pg, prepare, sql, write_json  # noqa: E402

sys.path.insert(0, str(ROOT))  # the server's own token code, for scenario_wechat


class Load:
    """Writers in threads, recording what the server acknowledged and every answer's code."""

    def __init__(self, posters, claimers, wish_ids):
        self.posters, self.claimers, self.open_ids = posters, claimers, list(wish_ids)
        self.stop, self.lock = threading.Event(), threading.Lock()
        self.acked_posts, self.acked_claims, self.keys, self.stuck_keys = {}, {}, [], []
        self.settled: list[str] = []
        self.answers, self.bad, self.timeline = Counter(), [], []
        self._ids = itertools.count()

    def _record(self, code, body, what):
        with self.lock:
            self.answers[code] += 1
            self.timeline.append((time.time(), code))
            if code >= 500 and not (code == 503 and isinstance(body, dict) and set(body) == SHAPE):
                self.bad.append(f"{what}: {code} {str(body)[:200]}")

    def _call(self, session, path, body, headers=None):
        try:
            r = session.post(f"{BASE}{path}", json=body, headers=headers, timeout=30)
        except requests.RequestException as exc:
            self._record(0, None, path)  # refused or reset while the server is down: not acked
            return 0, repr(exc)
        try:
            payload = r.json()
        except ValueError:
            payload = r.text
        self._record(r.status_code, payload, path)
        return r.status_code, payload

    def poster(self, session, owner_id):
        while not self.stop.is_set():
            n = next(self._ids)
            key, title = f"fault-{n}", f"故障演练心愿{n}"
            self.keys.append(title)
            body = {"title": title, "description": "需要志愿者帮忙", "category": "errand"}
            for _attempt in range(20):  # the same key until an answer comes back
                code, payload = self._call(session, "/wishes", body, {"Idempotency-Key": key})
                if code == 201:
                    self.acked_posts[payload["id"]] = (owner_id, title)
                    break
                if code == 422 or self.stop.is_set():
                    break
                time.sleep(0.3)  # 0/503: the server or database is down; 409: key in flight
            else:
                self.stuck_keys.append((session, owner_id, key, body))

    def claimer(self, session, seed):
        rng = random.Random(seed)
        while not self.stop.is_set() and self.open_ids:
            wid = rng.choice(self.open_ids)
            code, payload = self._call(session, f"/wishes/{wid}/claim", None)
            if code == 200:
                self.acked_claims[wid] = payload["claimed_by"]
            if code in (0, 503):
                time.sleep(0.2)

    def settle_stuck(self, wait: float = 61.0) -> list[str]:
        """A key whose request died in flight (killed worker, database cut) answers 409 until its
        reservation is abandoned (60 s, server/idempotency): then the same request completes,
        once, with no manual repair."""
        if not self.stuck_keys:
            return []
        log(f"{len(self.stuck_keys)} keys still in flight; retrying them after {wait:.0f} s")
        time.sleep(wait)
        settled = []
        for session, owner_id, key, body in self.stuck_keys:
            code, payload = self._call(session, "/wishes", body, {"Idempotency-Key": key})
            if code == 201:
                self.acked_posts[payload["id"]] = (owner_id, body["title"])
                settled.append(key)
            else:
                self.bad.append(f"key {key} after {wait:.0f} s: {code} {payload}")
        return settled

    def start(self):
        self.threads = [threading.Thread(target=self.poster, args=p) for p in self.posters] + \
                       [threading.Thread(target=self.claimer, args=c) for c in self.claimers]
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join()


def clients(n_posters=8, n_claimers=8):
    posters = []
    for i in range(n_posters):
        s, user = _session(f"demo-res-{i:03d}")
        posters.append((s, user["id"]))
    claimers = [(s, i) for i, (s, _) in enumerate(active_volunteers(n_claimers))]
    return posters, claimers


def check_database(db_url, load: Load, problems: list) -> dict:
    rows = {wid: (owner, title) for wid, owner, title in sql(
        db_url, "SELECT id, owner_id, title FROM wishes WHERE id = ANY(%s)",
        (list(load.acked_posts),))}
    for wid, expected in load.acked_posts.items():
        if rows.get(wid) != expected:
            problems.append(f"acknowledged wish {wid} {expected} is {rows.get(wid)}")
    per_title = Counter(t for (t,) in sql(db_url, "SELECT title FROM wishes WHERE title = ANY(%s)",
                                          (load.keys,)))
    problems += [f"key of {t!r} made {n} wishes" for t, n in per_title.items() if n > 1]
    claimed = dict(sql(db_url, "SELECT id, claimed_by FROM wishes WHERE id = ANY(%s)",
                       (list(load.acked_claims),)))
    for wid, vid in load.acked_claims.items():
        if claimed.get(wid) != vid:
            problems.append(f"acknowledged claim of wish {wid} by {vid}: now {claimed.get(wid)}")
    half_done = sql(db_url, """
        SELECT w.id, w.status, w.claimed_by, count(c.id) FILTER (WHERE c.status = 'active'),
               min(c.volunteer_id) FILTER (WHERE c.status = 'active')
        FROM wishes w LEFT JOIN wish_claims c ON c.wish_id = w.id GROUP BY w.id
        HAVING (w.status IN ('claimed', 'fulfilled')) <> (count(c.id) FILTER (WHERE c.status = 'active') = 1)
            OR (w.status IN ('claimed', 'fulfilled')
                AND min(c.volunteer_id) FILTER (WHERE c.status = 'active') <> w.claimed_by)""")
    problems += [f"half-done transition: {row}" for row in half_done]
    return {"acknowledged_posts": len(load.acked_posts),
            "acknowledged_claims": len(load.acked_claims), "answers": dict(load.answers),
            "keys_in_flight_at_the_fault": [k for _s, _o, k, _b in load.stuck_keys],
            "keys_settled_after_abandon_window": load.settled}


def scenario_kill(args, env, problems) -> dict:
    server = Server(env, workers=args.workers, threads=args.threads).start()
    load = None
    try:
        ids = [w["id"] for w in open_wishes(60)]
        load = Load(*clients(), ids)
        load.start()
        time.sleep(args.phase)
        victim = server.kill9_worker()
        log(f"kill -9 worker {victim}")
        time.sleep(args.phase)
        log("kill -9 the whole server (master and workers)")
        server.kill9_all()
        time.sleep(2)
        server.start()
        log("server started again")
        time.sleep(args.phase)
    finally:
        if load:
            load.finish()
            load.settled = load.settle_stuck()
        server.stop()
    problems += load.bad
    return {"events": [f"kill -9 worker after {args.phase}s", "kill -9 server, 2 s down, restart"],
            **check_database(env["DATABASE_URL"], load, problems)}


def scenario_postgres(args, env, problems) -> dict:
    server = Server(env, workers=args.workers, threads=args.threads).start()
    load = None
    try:
        ids = [w["id"] for w in open_wishes(60)]
        load = Load(*clients(), ids)
        load.start()
        time.sleep(args.phase)
        log("PostgreSQL stop")
        down_at = time.time()
        pg("stop")
        time.sleep(args.down)
        pg("start")
        up_at = time.time()
        log("PostgreSQL started again")
        time.sleep(args.phase)
    finally:
        if load:
            load.finish()
            load.settled = load.settle_stuck()
    during = Counter(c for t, c in load.timeline if down_at <= t <= up_at)
    after = [c for t, c in load.timeline if t > up_at + 2]
    recovered = next((t - up_at for t, c in load.timeline if t > up_at and 200 <= c < 300), None)
    health = requests.get(f"{BASE}/health/db", timeout=10).status_code
    server.stop()
    problems += load.bad
    if not after or not any(200 <= c < 300 for c in after):
        problems.append("no 2xx after PostgreSQL came back")
    if health != 200:
        problems.append(f"/health/db after recovery: {health}")
    return {"events": [f"PostgreSQL stopped for {args.down}s under load"],
            "answers_while_down": dict(during),
            "seconds_to_first_2xx_after_restart": round(recovered, 2) if recovered else None,
            **check_database(env["DATABASE_URL"], load, problems)}


class BlackHole:
    """A TCP server on loopback that accepts connections and never answers: WeChat timing out."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port, self.held = self.sock.getsockname()[1], []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.held.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self):
        for conn in self.held:
            conn.close()
        self.sock.close()


def _token(env, openid: str) -> str:
    """A token of ours for a demo user, minted with the server's key (logins cannot reach WeChat)."""
    from server.identity.tokens import issue_token
    (user_id,), = sql(env["DATABASE_URL"], "SELECT id FROM users WHERE openid = %s", (openid,))
    return issue_token(user_id, env["SECRET_KEY"], 600)


def scenario_wechat(args, env, problems) -> dict:
    hole = BlackHole()
    real = {**env, "WECHAT_MODE": "real", "WECHAT_BASE_URL": f"http://127.0.0.1:{hole.port}"}
    server = Server(real, workers=args.workers, threads=args.threads).start()
    out = {"events": [f"WeChat answers nothing (black hole on 127.0.0.1:{hole.port})"]}
    try:
        t0 = time.time()
        r = requests.post(f"{BASE}/auth/wechat-login", json={"code": "081xYz0w3abcdEFG"},
                          timeout=60)
        body = r.json() if r.headers.get("Content-Type", "").startswith("application/json") else {}
        out["login"] = {"status": r.status_code, "seconds": round(time.time() - t0, 1),
                        "message": body.get("message")}
        if r.status_code != 503 or set(body) != SHAPE:
            problems.append(f"login with WeChat down: {r.status_code} {r.text[:200]}")
        headers = {"Authorization": f"Bearer {_token(env, 'demo-resident')}",
                   "Idempotency-Key": "fault-wechat-1"}
        t0 = time.time()
        r = requests.post(f"{BASE}/wishes", headers=headers, timeout=60, json={
            "title": "想请人帮忙修水龙头", "description": "厨房水龙头一直滴水",
            "category": "repair", "skills": []})
        out["post_wish"] = {"status": r.status_code, "seconds": round(time.time() - t0, 1)}
        if r.status_code != 201:
            problems.append(f"posting with WeChat down: {r.status_code} {r.text[:200]}")
            return out
        wish_id = r.json()["id"]
        (status, check), = sql(env["DATABASE_URL"],
                               "SELECT status, content_check FROM wishes WHERE id = %s", (wish_id,))
        out["post_wish"].update(stored_status=status, content_check=check)
        if (status, check) != ("pending_review", "unchecked"):
            problems.append(f"wish posted with WeChat down is {status}/{check}")
        # The secretary turns it down: the owner's notification waits in the outbox.
        secretary = {"Authorization": f"Bearer {_token(env, 'demo-secretary')}"}
        r = requests.post(f"{BASE}/wishes/{wish_id}/review", headers=secretary, timeout=60,
                          json={"decision": "reject", "reason": "请补充具体地址后重新发布"})
        out["review"] = {"status": r.status_code}
        if r.status_code != 200:
            problems.append(f"review with WeChat down: {r.status_code} {r.text[:200]}")
        out["outbox"] = _outbox_run(real, problems)
    finally:
        server.stop()
        hole.close()
    return out


def _outbox_run(env, problems) -> dict:
    """The outbox job once, as an operator would run it, against the black hole."""
    due = "SELECT count(*) FROM outbox WHERE status = 'pending' AND next_attempt_at <= now()"
    (before,), = sql(env["DATABASE_URL"], due)
    t0 = time.time()
    run = subprocess.run([str(BIN / "flask"), "--app", "server", "jobs", "run", "outbox"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    rows = sql(env["DATABASE_URL"], """SELECT status, count(*), sum(attempts),
        bool_and(next_attempt_at > now()) FROM outbox WHERE attempts > 0 GROUP BY status""")
    out = {"due_before": before, "exit_code": run.returncode, "seconds": round(time.time() - t0, 1),
           "tried": {status: {"messages": n, "attempts": int(a), "all_retry_later": later}
                     for status, n, a, later in rows}}
    if run.returncode != 0:
        problems.append(f"outbox job with WeChat down exited {run.returncode}: {run.stderr[-300:]}")
    if any(status != "pending" for status, *_ in rows) or not rows:
        problems.append(f"outbox with WeChat down: {rows} (expected pending, retried later)")
    elif not all(later for *_, later in rows):
        problems.append("outbox: a message tried with WeChat down is due again at once")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", default="all", choices=["kill", "postgres", "wechat", "all"])
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--phase", type=float, default=4.0, help="seconds of load between events")
    ap.add_argument("--down", type=float, default=4.0, help="seconds PostgreSQL stays down")
    ap.add_argument("--out")
    args = ap.parse_args()
    results, problems, started = {}, [], machine()
    for name, run in (("kill", scenario_kill), ("postgres", scenario_postgres),
                      ("wechat", scenario_wechat)):
        if args.scenario in (name, "all"):
            env = prepare(f"lianxin_faults_{name}")
            results[name] = run(args, env, problems)
    write_json(args.out, {"command": " ".join(sys.argv), "machine_at_start": started,
                          "results": results,
                          "problems": problems[:50], "ok": not problems})
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
