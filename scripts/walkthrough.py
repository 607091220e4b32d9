"""Walk the demo as its users would, over real HTTP against `make demo`:

    .venv/bin/python scripts/walkthrough.py [--base http://127.0.0.1:5000]

A resident posts a wish, the secretary approves it, the volunteer claims and fulfils it, the
resident confirms it, and the volunteer's points and the leaderboard change. Then a service
order: the resident books a slot of the volunteer's offering from the menu, the volunteer
accepts it (completing it before its slot begins is refused, 409), completes the visit already
under way, the resident rates it, and the volunteer's points change. Last, the
secretary runs matching and reviews its proposals. Exits non-zero on any unexpected answer.
"""
import argparse
import sys
import uuid
from datetime import UTC, datetime

import requests


class Walk:
    def __init__(self, base: str):
        self.api = base.rstrip("/") + "/api/v1"
        self.http = requests.Session()

    def login(self, openid: str) -> dict:
        resp = self.call("POST", "/auth/wechat-login", None,
                         {"code": f"fake:{openid}:{uuid.uuid4().hex[:8]}"})
        print(f"  logged in as {openid}: roles {resp['user']['roles']}")
        return {"Authorization": f"Bearer {resp['token']}"}

    def call(self, method, path, headers, body=None, expect=(200, 201)):
        resp = self.http.request(method, self.api + path, headers=headers, json=body, timeout=10)
        if resp.status_code not in expect:
            sys.exit(f"FAILED {method} {path}: {resp.status_code} {resp.text[:300]}")
        return resp.json()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    walk = Walk(parser.parse_args().base)
    resident, secretary = walk.login("demo-resident"), walk.login("demo-secretary")
    volunteer = walk.login("demo-volunteer")
    before = walk.call("GET", "/points/me", volunteer)["balance"]
    wish = walk.call("POST", "/wishes", {**resident, "Idempotency-Key": uuid.uuid4().hex},
                     {"title": "台灯不亮了", "description": "孩子写作业的台灯坏了，想请人修一修",
                      "category": "repair", "skills": ["lamp_fix"]})
    print(f"resident posted wish {wish['id']}: {wish['status']}")
    wish = walk.call("POST", f"/wishes/{wish['id']}/review", secretary, {"decision": "approve"})
    print(f"secretary reviewed it: {wish['status']}")
    wish = walk.call("POST", f"/wishes/{wish['id']}/claim", volunteer)
    detail = walk.call("GET", f"/wishes/{wish['id']}", volunteer)
    print(f"volunteer claimed it: {wish['status']}, contact shown to the claimer: "
          f"{detail['contact'] is not None} (phone {detail['contact']['phone'][:3]}…)")
    walk.call("POST", f"/wishes/{wish['id']}/claim", volunteer, expect=(409,))
    print("a second claim is refused: 409")
    wish = walk.call("POST", f"/wishes/{wish['id']}/fulfil", volunteer, {"note": "换了灯管，已修好"})
    print(f"volunteer fulfilled it: {wish['status']}")
    wish = walk.call("POST", f"/wishes/{wish['id']}/confirm", resident,
                     {"rating": 5, "thanks": "谢谢李师傅"})
    print(f"resident confirmed it: {wish['status']}, rating {wish['rating']}")
    after = walk.call("GET", "/points/me", volunteer)["balance"]
    board = walk.call("GET", "/points/leaderboard?community_id=1&period=all", None)
    rank = next((i + 1 for i, row in enumerate(board) if row["name"].startswith("李")), None)
    print(f"volunteer points: {before} -> {after}; leaderboard top: {board[:3]}; 李* at #{rank}")
    if after <= before:
        sys.exit("FAILED: points did not change")
    order_walk(walk, resident, volunteer)
    matching_walk(walk, secretary, volunteer)
    print("walkthrough OK")


def order_walk(walk: Walk, resident: dict, volunteer: dict) -> None:
    """Book a slot of the demo volunteer's offering, accept, complete, rate; points follow."""
    me = walk.call("GET", "/volunteers/me", volunteer)["id"]
    menu = walk.call("GET", "/services?page_size=100", resident)
    slot = next(((o, s) for o in menu if o.get("provider_id") == me
                 for s in o["slots"] if s["remaining"] > 0), None)
    if slot is None:
        sys.exit("FAILED: the demo volunteer has no bookable slot on the menu")
    offering, chosen = slot
    before = walk.call("GET", "/points/me", volunteer)["balance"]
    order = walk.call("POST", "/orders", {**resident, "Idempotency-Key": uuid.uuid4().hex},
                      {"service_id": offering["id"], "slot_id": chosen["id"], "note": "周六上午在家"})
    print(f"resident booked 「{offering['title']}」 slot {chosen['id']} "
          f"({chosen['remaining']} seats were left): order {order['id']} {order['status']}")
    order = walk.call("POST", f"/orders/{order['id']}/accept", volunteer)
    print(f"volunteer accepted it: {order['status']}")
    early = walk.call("POST", f"/orders/{order['id']}/complete", volunteer, {"note": "已完成"},
                      expect=(409,))
    print(f"completing it before its slot begins: {early['code']} {early['message']}")
    now = datetime.now(UTC)
    under_way = next((o for o in walk.call("GET", "/orders/mine?page_size=100", volunteer)
                      if o["status"] == "accepted"
                      and datetime.fromisoformat(o["window_start"]) <= now), None)
    if under_way is None:
        sys.exit("FAILED: the demo volunteer has no visit under way to complete")
    order = walk.call("POST", f"/orders/{under_way['id']}/complete", volunteer,
                      {"note": "已完成服务"})
    print(f"the visit under way is order {order['id']}, begun at {order['window_start']}")
    print(f"volunteer completed it: {order['status']}")
    order = walk.call("POST", f"/orders/{order['id']}/rate", resident,
                      {"rating": 5, "comment": "服务很周到"})
    after = walk.call("GET", "/points/me", volunteer)["balance"]
    print(f"resident rated it: {order['status']}, rating {order['rating']}; "
          f"volunteer points: {before} -> {after}")
    if after <= before:
        sys.exit("FAILED: points did not change for the order")


def matching_walk(walk: Walk, secretary: dict, volunteer: dict) -> None:
    """The secretary runs matching for community 1, accepts some proposals and rejects one;
    the demo volunteer declines one accepted for them; the wishes' states follow."""
    run = walk.call("POST", "/matching/runs", secretary, {"community_id": 1})
    stats = run["stats"]
    print(f"matching run {run['id']}: {stats['tasks']} tasks, {stats['volunteers']} volunteers, "
          f"{stats['matched']} proposed, {stats['unmatched']} unmatched, solve {stats['solve_ms']} ms")
    for p in run["proposals"][:3]:
        print(f"  proposal {p['id']}: {p['task_type']} {p['task_id']} -> volunteer "
              f"{p['volunteer_id']}: " + "；".join(p["reasons"]))
    for u in run["unmatched"][:3]:
        print(f"  unmatched {u['task_type']} {u['task_id']}: {u['message']}")
    me = walk.call("GET", "/volunteers/me", volunteer)["id"]
    proposals = run["proposals"]
    if len(proposals) < 3:
        sys.exit("FAILED: expected at least three proposals in community 1")
    mine = [p for p in proposals if p["volunteer_id"] == me]
    others = [p for p in proposals if p["volunteer_id"] != me]
    to_accept = (mine[:1] + others + mine[1:])[:2]
    for p in to_accept:
        walk.call("POST", f"/matching/proposals/{p['id']}/accept", secretary)
        state, holder = task_state(walk, p, secretary)
        print(f"accepted proposal {p['id']}: {state}")
        if holder != p["volunteer_id"]:
            sys.exit(f"FAILED: the task of proposal {p['id']} is not with its volunteer")
    rejected = next(p for p in proposals if p not in to_accept)
    walk.call("POST", f"/matching/proposals/{rejected['id']}/reject", secretary,
              {"reason": "该志愿者本周已安排其他任务"})
    print(f"rejected proposal {rejected['id']}: {task_state(walk, rejected, secretary)[0]}")
    if mine:
        walk.call("POST", f"/matching/proposals/{mine[0]['id']}/decline", volunteer,
                  {"reason": "那天要值班"})
        state, holder = task_state(walk, mine[0], secretary)
        print(f"the volunteer declined proposal {mine[0]['id']}: {state}")
        if holder is not None:
            sys.exit("FAILED: a declined task is still with the volunteer")
    else:
        print("no proposal went to the demo volunteer this time; nothing to decline")


def task_state(walk: Walk, proposal: dict, secretary: dict) -> tuple[str, int | None]:
    """The proposal's task as the secretary sees it now, and the volunteer who holds it (a
    wish's claimer, an order's provider)."""
    wish = proposal["task_type"] == "wish"
    task = walk.call("GET", f"/{'wishes' if wish else 'orders'}/{proposal['task_id']}", secretary)
    holder = task["claimed_by"] if wish else task["provider_id"]
    return (f"{proposal['task_type']} {task['id']} is {task['status']}"
            + (f", with volunteer {holder}" if holder else "")), holder


if __name__ == "__main__":
    main()
