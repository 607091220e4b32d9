"""Walk the demo as its users would, over real HTTP against `make demo`:

    .venv/bin/python scripts/walkthrough.py [--base http://127.0.0.1:5000]

A resident posts a wish, the secretary approves it, the volunteer claims and fulfils it, the
resident confirms it, and the volunteer's points and the leaderboard change. Exits non-zero on
any unexpected answer.
"""
import argparse
import sys
import uuid

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
    matching_walk(walk, secretary, volunteer)
    print("walkthrough OK")


def matching_walk(walk: Walk, secretary: dict, volunteer: dict) -> None:
    """The secretary runs matching for community 1, accepts some proposals and rejects one;
    the demo volunteer declines one accepted for them; the wishes' states follow."""
    run = walk.call("POST", "/matching/runs", secretary, {"community_id": 1})
    stats = run["stats"]
    print(f"matching run {run['id']}: {stats['tasks']} tasks, {stats['volunteers']} volunteers, "
          f"{stats['matched']} proposed, {stats['unmatched']} unmatched, solve {stats['solve_ms']} ms")
    for p in run["proposals"][:3]:
        print(f"  proposal {p['id']}: wish {p['task_id']} -> volunteer {p['volunteer_id']}: "
              + "；".join(p["reasons"]))
    for u in run["unmatched"][:3]:
        print(f"  unmatched wish {u['task_id']}: {u['message']}")
    me = walk.call("GET", "/volunteers/me", volunteer)["id"]
    proposals = run["proposals"]
    if len(proposals) < 3:
        sys.exit("FAILED: expected at least three proposals in community 1")
    mine = [p for p in proposals if p["volunteer_id"] == me]
    others = [p for p in proposals if p["volunteer_id"] != me]
    to_accept = (mine[:1] + others + mine[1:])[:2]
    for p in to_accept:
        walk.call("POST", f"/matching/proposals/{p['id']}/accept", secretary)
        wish = walk.call("GET", f"/wishes/{p['task_id']}", secretary)
        print(f"accepted proposal {p['id']}: wish {wish['id']} is {wish['status']} "
              f"by volunteer {wish['claimed_by']}")
    rejected = next(p for p in proposals if p not in to_accept)
    walk.call("POST", f"/matching/proposals/{rejected['id']}/reject", secretary,
              {"reason": "该志愿者本周已安排其他任务"})
    wish = walk.call("GET", f"/wishes/{rejected['task_id']}", secretary)
    print(f"rejected proposal {rejected['id']}: wish {wish['id']} stays {wish['status']}")
    if mine:
        walk.call("POST", f"/matching/proposals/{mine[0]['id']}/decline", volunteer,
                  {"reason": "那天要值班"})
        wish = walk.call("GET", f"/wishes/{mine[0]['task_id']}", secretary)
        print(f"the volunteer declined proposal {mine[0]['id']}: wish {wish['id']} is "
              f"{wish['status']} again")
    else:
        print("no proposal went to the demo volunteer this time; nothing to decline")


if __name__ == "__main__":
    main()
