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
    print("walkthrough OK")


if __name__ == "__main__":
    main()
