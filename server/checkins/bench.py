"""The check-in benchmark: a district's service day (12 main and 108 branch venues, 6,665
members) whose check-ins arrive at random over ten minutes, each one a real
`POST /api/v1/service-days/{id}/check-ins` through the whole app (token, actor, service,
commit), from concurrent client threads: in-process test clients, or real HTTP to a running
server (`--url`, e.g. gunicorn started on the same database). Latency is measured open-loop: from the moment a
request was due to arrive to its answer, so queueing behind a slow server counts.

The day, venues and members are added to the current database under a new street."""
import random
import statistics
import threading
import time as clock
from concurrent.futures import ThreadPoolExecutor
from datetime import time

import requests
from flask import current_app

from ..config import settings
from ..database import unit_of_work
from ..extensions import db
from ..identity.models import Community, District, Street, User
from ..identity.tokens import issue_token
from ..service_days.models import ServiceDay, ServiceDayVenue, Venue
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer, VolunteerStatus

MAIN, BRANCH = 12, 108
JITTER_DEG = 0.0012  # members stand within ~130 m of their venue (radius 300 m)


def _district() -> District:
    district = db.session.execute(db.select(District).limit(1)).scalar_one_or_none()
    if district is None:
        district = District(name="基准区", city="杭州市")
        db.session.add(district)
        db.session.flush()
    return district


def _venues(tag: str, street: Street, rng: random.Random) -> list[Venue]:
    communities = [Community(name=f"报到基准社区{tag}-{i}", street_id=street.id,
                             lat=30.2 + i * 0.01, lng=120.1 + i * 0.01) for i in range(MAIN)]
    db.session.add_all(communities)
    db.session.flush()
    venues = [Venue(name=f"{c.name}{'主' if k == 0 else '分'}会场{k}", community_id=c.id,
                    lat=c.lat + rng.uniform(-0.004, 0.004), lng=c.lng + rng.uniform(-0.004, 0.004))
              for c in communities for k in range((MAIN + BRANCH) // MAIN)]
    db.session.add_all(venues)
    db.session.flush()
    return venues


def build_day(members: int, seed: int = 1) -> tuple[int, list[tuple[int, int, float, float]]]:
    """The day and, per member, (user id, venue id, lat, lng) of their check-in."""
    rng, tag = random.Random(seed), str(int(clock.time()))
    street = Street(name=f"报到基准街道{tag}", district_id=_district().id)
    db.session.add(street)
    db.session.flush()
    venues = _venues(tag, street, rng)
    day = ServiceDay(title="党员义务奉献日（基准）", street_id=street.id,
                     day=utcnow().astimezone(LOCAL_TZ).date(), opens_at=time(0),
                     closes_at=time(23, 59, 59))
    db.session.add(day)
    db.session.flush()
    db.session.add_all(ServiceDayVenue(service_day_id=day.id, venue_id=v.id,
                                       kind="main" if i % 10 == 0 else "branch", radius_m=300)
                       for i, v in enumerate(venues))
    users = [User(openid=f"bench-checkin-{tag}-{i}", name=f"党员{i:05d}",
                  community_id=venues[i % len(venues)].community_id) for i in range(members)]
    db.session.add_all(users)
    db.session.flush()
    plan = []
    for i, user in enumerate(users):
        venue = venues[rng.randrange(len(venues))]
        db.session.add(Volunteer(user_id=user.id, status=VolunteerStatus.ACTIVE,
                                 community_id=user.community_id, lat=venue.lat, lng=venue.lng))
        plan.append((user.id, venue.id, venue.lat + rng.uniform(-JITTER_DEG, JITTER_DEG) / 2,
                     venue.lng + rng.uniform(-JITTER_DEG, JITTER_DEG) / 2))
    db.session.flush()
    return day.id, plan


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class _TestClientSender:
    """Requests through the app in this process (Flask's test client, one per thread)."""

    def __init__(self, app):
        self.app, self.local = app, threading.local()

    def post(self, path: str, token: str, body: dict) -> int:
        client = getattr(self.local, "client", None) or self.app.test_client()
        self.local.client = client
        return client.post(path, headers={"Authorization": f"Bearer {token}"},
                           json=body).status_code


class _HttpSender:
    """Real HTTP to a running server (e.g. gunicorn), one keep-alive session per thread."""

    def __init__(self, base_url: str):
        self.base, self.local = base_url.rstrip("/"), threading.local()

    def post(self, path: str, token: str, body: dict) -> int:
        session = getattr(self.local, "session", None) or requests.Session()
        self.local.session = session
        return session.post(self.base + path, json=body, timeout=30,
                            headers={"Authorization": f"Bearer {token}"}).status_code


def run_bench(members: int = 6665, minutes: float = 10.0, clients: int = 32,
              seed: int = 1, url: str | None = None) -> str:
    app = current_app._get_current_object()
    sender = _HttpSender(url) if url else _TestClientSender(app)
    with unit_of_work():
        day_id, plan = build_day(members, seed)
    secret, ttl = app.config["SECRET_KEY"], settings().token_ttl_s
    rng = random.Random(seed + 1)
    span = minutes * 60
    arrivals = sorted((rng.uniform(0, span), *member) for member in plan)
    latencies, codes, lock = [], {}, threading.Lock()
    start = clock.perf_counter()

    def send(arrival):
        due, user_id, venue_id, lat, lng = arrival
        wait = start + due - clock.perf_counter()
        if wait > 0:
            clock.sleep(wait)
        status = sender.post(f"/api/v1/service-days/{day_id}/check-ins",
                             issue_token(user_id, secret, ttl),
                             {"venue_id": venue_id, "lat": lat, "lng": lng})
        took = clock.perf_counter() - (start + due)
        with lock:
            latencies.append(took * 1000)
            codes[status] = codes.get(status, 0) + 1

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(send, arrivals))
    elapsed = clock.perf_counter() - start
    p99 = _percentile(latencies, 99)
    return "\n".join([
        f"check-in benchmark ({db.engine.dialect.name}), service day {day_id}: "
        f"{MAIN} main + {BRANCH} branch venues, {members} members, arrivals over "
        f"{minutes:g} min, {clients} client threads, "
        f"{'HTTP to ' + url if url else 'in-process test clients'}",
        f"  requests {len(latencies)} in {elapsed:.1f} s ({len(latencies) / elapsed:.1f}/s); "
        f"status {dict(sorted(codes.items()))}",
        f"  latency ms: p50 {_percentile(latencies, 50):.1f}  p95 {_percentile(latencies, 95):.1f}"
        f"  p99 {p99:.1f}  max {max(latencies):.1f}  mean {statistics.fmean(latencies):.1f}",
        f"  p99 <= 100 ms: {'yes' if p99 <= 100 else 'NO'}",
    ])
