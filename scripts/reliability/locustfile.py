"""Locust users for scripts/reliability/load.py (run headless by it; not meant to be run alone).

Each simulated user logs in once through the fake WeChat as a distinct demo user of its role.
LOAD_THINK_S sets a think time between actions ("0" = closed loop, as fast as answers come).
Expected refusals are not errors: a claim that lost the race or a full slot (409).
"""
import itertools
import json
import os
import random
import time

import gevent
from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

THINK = float(os.environ.get("LOAD_THINK_S", "0"))
VOLUNTEERS = json.loads(os.environ.get("LOAD_VOLUNTEERS", "[]"))
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "0"))  # 0: bounded by -t alone
_counter, _requests = itertools.count(), itertools.count(1)


_env: dict = {}


@events.init.add_listener
def _keep(environment, **_kw):
    _env["environment"] = environment


@events.request.add_listener
def _bound(**_kw):
    """Stop the run after LOAD_MAX_REQUESTS requests, so a run is bounded in count too."""
    if MAX_REQUESTS and next(_requests) == MAX_REQUESTS:
        gevent.spawn(_env["environment"].runner.quit)


def _wait():
    return constant(0) if THINK == 0 else between(THINK * 0.5, THINK * 1.5)


class ApiUser(FastHttpUser):
    abstract = True
    wait_time = _wait()
    openids: list = []

    def on_start(self):
        n = next(_counter)
        openid = self.openids[n % len(self.openids)] if self.openids else None
        self.headers = {}
        if openid:
            code = f"fake:{openid}:{os.getpid()}-{n}-{time.time_ns()}"
            with self.client.post("/api/v1/auth/wechat-login", json={"code": code},
                                  name="POST /auth/wechat-login", catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"login {r.status_code}")
                    return
                self.headers = {"Authorization": f"Bearer {r.json()['token']}"}

    def get(self, path, name, **kw):
        return self.client.get(path, headers=self.headers, name=name, **kw)

    def post(self, path, name, body=None, ok=(200, 201), **kw):
        with self.client.post(path, headers=self.headers, json=body, name=name,
                              catch_response=True, **kw) as r:
            if r.status_code in ok or r.status_code == 409:
                r.success()
            else:
                r.failure(f"{r.status_code} {r.text[:200]}")
            return r


# --- single-endpoint users: the ceiling and the reads ------------------------------------------

class HealthUser(ApiUser):
    @task
    def health(self):
        self.get("/api/v1/health", "GET /health")


class HealthDbUser(ApiUser):
    @task
    def health_db(self):
        self.get("/api/v1/health/db", "GET /health/db")


class WallUser(ApiUser):
    @task
    def wall(self):
        self.get("/api/v1/wishes", "GET /wishes")


class ResidentWallUser(ApiUser):
    """The wall as logged-in residents see it: from the public cache unless the page holds
    their own wishes (then computed for them)."""
    openids = [f"demo-res-{i:03d}" for i in range(240)]

    @task
    def wall(self):
        self.get("/api/v1/wishes", "GET /wishes (logged in)")


class MenuUser(ApiUser):
    @task
    def menu(self):
        self.get("/api/v1/services", "GET /services")


# --- the mixed day: residents, volunteers, a secretary -----------------------------------------

class Resident(ApiUser):
    weight = 12
    openids = [f"demo-res-{i:03d}" for i in range(240)]

    @task(8)
    def browse_wall(self):
        params = random.choice(["", "?community_id=1", "?category=repair", "?page=2",
                                "?lat=30.2968&lng=120.1523&radius_m=2000"])
        r = self.get("/api/v1/wishes" + params, "GET /wishes")
        ids = [w["id"] for w in (r.json() if r.status_code == 200 else [])]
        if ids:
            self.get(f"/api/v1/wishes/{random.choice(ids)}", "GET /wishes/{id}")

    @task(4)
    def browse_menu(self):
        r = self.get("/api/v1/services", "GET /services")
        slots = [(o["id"], s["id"]) for o in (r.json() if r.status_code == 200 else [])
                 for s in o.get("slots", []) if s.get("remaining", 0) > 0]
        if slots and random.random() < 0.5:
            service_id, slot_id = random.choice(slots)
            self.post("/api/v1/orders", "POST /orders",
                      {"service_id": service_id, "slot_id": slot_id})

    @task(1)
    def post_wish(self):
        self.post("/api/v1/wishes", "POST /wishes", {
            "title": "需要帮忙换灯泡", "description": "楼道灯坏了，老人上下楼不方便",
            "category": "repair", "skills": []})

    @task(1)
    def mine(self):
        self.get("/api/v1/wishes/mine", "GET /wishes/mine")


class Volunteer(ApiUser):
    weight = 6
    openids = VOLUNTEERS

    @task(4)
    def claim(self):
        r = self.get("/api/v1/wishes?status=open&page_size=50", "GET /wishes?status=open")
        ids = [w["id"] for w in (r.json() if r.status_code == 200 else [])]
        if not ids:
            return
        wid = random.choice(ids)
        r = self.post(f"/api/v1/wishes/{wid}/claim", "POST /wishes/{id}/claim")
        if r.status_code == 200:  # give it back, so the wall keeps open wishes to contend for
            self.post(f"/api/v1/wishes/{wid}/release", "POST /wishes/{id}/release",
                      {"reason": "时间冲突"})

    @task(1)
    def points(self):
        self.get("/api/v1/points/me", "GET /points/me")


class Secretary(ApiUser):
    fixed_count = 1  # one street secretary at the desk, whatever the number of users
    openids = ["demo-street-secretary"]

    @task(10)
    def review(self):
        r = self.get("/api/v1/wishes?status=pending_review&page_size=20",
                     "GET /wishes?status=pending_review")
        for w in (r.json() if r.status_code == 200 else [])[:5]:
            self.post(f"/api/v1/wishes/{w['id']}/review", "POST /wishes/{id}/review",
                      {"decision": "approve"})

    @task(1)
    def matching(self):
        self.post("/api/v1/matching/runs", "POST /matching/runs",
                  {"community_id": random.randint(1, 10)})
