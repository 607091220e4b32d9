"""The reports benchmark: a year of one district in a scratch database, then the figures report
over that year timed (`flask --app server reports bench`, figures in docs/reports.md).

The scratch database sits beside the configured one: `<name>_reports_bench` on the same
PostgreSQL server (dropped and created), or a temporary SQLite file. The data: a district of
`streets` streets and `communities` communities, each with residents and active volunteers, and
every day of the last `days` days a few wishes (posted, opened, claimed after a random wait,
confirmed and rated), home-visit orders done, the points they earned, and the nightly snapshot
row of every community for every day before today (today is read live, as in production).
"""
import os
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from ..extensions import db
from ..identity.models import Community, District, Role, RoleGrant, Street, User
from ..orders.models import OrderStatus, ServiceOrder
from ..points.models import PointsEntry
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer, VolunteerStatus
from ..wishes.models import ClaimStatus, Wish, WishClaim, WishStatus
from .models import CommunityFigures

CHUNK = 5000
BASE_ID = 1000  # bulk rows take explicit ids above the admin made through the ORM


def scratch_url(configured: str) -> str:
    """A scratch database next to the configured one (created empty)."""
    url = make_url(configured)
    if url.get_backend_name() != "postgresql":
        path = tempfile.mkstemp(prefix="lianxin-reports-bench-", suffix=".sqlite3")[1]
        return f"sqlite:///{path}"
    name = f"{url.database}_reports_bench"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


class _Writer:
    """Buffers rows per table and inserts them in chunks."""

    def __init__(self):
        self.rows: dict = {}
        self.counts: dict = {}

    def add(self, model, row: dict) -> None:
        buffer = self.rows.setdefault(model, [])
        buffer.append(row)
        if len(buffer) >= CHUNK:
            self.flush()  # every table, in the order first seen: parents before children

    def flush(self, model=None) -> None:
        for table in ([model] if model is not None else list(self.rows)):
            buffer = self.rows.get(table) or []
            if buffer:
                db.session.execute(insert(table), buffer)
                self.counts[table.__tablename__] = self.counts.get(table.__tablename__, 0) \
                    + len(buffer)
                self.rows[table] = []


def build_year(*, streets: int, communities: int, residents: int, volunteers: int,
               wishes_per_day: int, orders_per_day: int, days: int, seed: int = 13) -> dict:
    """Write the district's year; return {table: rows written} and the admin's user id."""
    rng = random.Random(seed)
    now = utcnow()
    district = District(name="基准区", city="杭州市")
    db.session.add(district)
    db.session.flush()
    admin = User(openid="bench-admin", name="基准管理员")
    db.session.add(admin)
    db.session.flush()
    db.session.add(RoleGrant(user_id=admin.id, role=Role.ADMIN, district_id=district.id))
    street_rows = [Street(name=f"基准街道{i + 1}", district_id=district.id) for i in range(streets)]
    db.session.add_all(street_rows)
    db.session.flush()
    places = [Community(name=f"基准社区{i + 1:03d}", street_id=street_rows[i % streets].id,
                        lat=30.2 + i * 0.001, lng=120.1 + i * 0.001) for i in range(communities)]
    db.session.add_all(places)
    db.session.flush()
    out = _Writer()
    people = _people(out, places, residents, volunteers)
    today = now.astimezone(LOCAL_TZ).date()
    first = today - timedelta(days=days - 1)
    ids = {"wish": BASE_ID, "order": BASE_ID}
    for place in places:
        tally = _community_year(out, rng, place, people[place.id], first, days, now,
                                wishes_per_day, orders_per_day, ids)
        _snapshots(out, place.id, first, today, tally, volunteers, now)
    out.flush()
    return {"admin_id": admin.id, **out.counts}


def _people(out: _Writer, places, residents: int, volunteers: int) -> dict:
    """Users of every community (residents, then volunteers); volunteers share their user's id."""
    people, next_id = {}, BASE_ID
    for place in places:
        homes = list(range(next_id, next_id + residents))
        helpers = list(range(next_id + residents, next_id + residents + volunteers))
        next_id += residents + volunteers
        for user_id in homes + helpers:
            out.add(User, {"id": user_id, "openid": f"bench-{user_id}", "name": f"居民{user_id}",
                           "phone": f"139{user_id:08d}", "community_id": place.id,
                           "lat": place.lat, "lng": place.lng})
        people[place.id] = (homes, helpers)
    out.flush(User)
    for place in places:
        for user_id in people[place.id][1]:
            out.add(Volunteer, {"id": user_id, "user_id": user_id,
                                "status": VolunteerStatus.ACTIVE,
                                "community_id": place.id, "skills": [], "availability": [],
                                "lat": place.lat, "lng": place.lng})
    out.flush(Volunteer)
    return people


def _community_year(out, rng, place, people, first, days, now, wishes_per_day, orders_per_day,
                    ids) -> dict:
    """Every wish and order of one community over the days; the per-day tally of the figures."""
    homes, helpers = people
    tally: dict = {}

    def count(day_of, name, value=1):
        row = tally.setdefault(day_of.astimezone(LOCAL_TZ).date(), {})
        row[name] = row.get(name, 0) + value

    for offset in range(days):
        day = first + timedelta(days=offset)
        midnight = datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)
        for _ in range(wishes_per_day):
            posted = midnight + timedelta(hours=rng.uniform(0, 20))
            if posted < now:
                _wish(out, rng, place, rng.choice(homes), rng.choice(helpers), posted, now,
                      ids, count)
        for _ in range(orders_per_day):
            asked = midnight + timedelta(hours=rng.uniform(0, 20))
            if asked < now:
                _order(out, rng, place, rng.choice(homes), rng.choice(helpers), asked, now,
                       ids, count)
    return tally


def _wish(out, rng, place, owner, helper, posted, now, ids, count) -> None:
    ids["wish"] += 1
    wish_id = ids["wish"]
    opened = posted + timedelta(minutes=30)
    claimed = opened + timedelta(hours=rng.lognormvariate(1.5, 1.0))
    confirmed = claimed + timedelta(hours=rng.uniform(2, 72))
    status = (WishStatus.CONFIRMED if confirmed < now else WishStatus.CLAIMED if claimed < now
              else WishStatus.OPEN if opened < now else WishStatus.PENDING_REVIEW)
    taken = status in (WishStatus.CONFIRMED, WishStatus.CLAIMED)
    done = status == WishStatus.CONFIRMED
    out.add(Wish, {
        "id": wish_id, "owner_id": owner, "community_id": place.id, "title": "基准心愿",
        "description": "基准数据", "category": "daily", "skills": [], "photos": [],
        "fulfil_photos": [], "lat": place.lat, "lng": place.lng, "status": status,
        "content_check": "pass", "duration_min": 60, "created_at": posted, "updated_at": posted,
        "reviewed_at": opened if opened < now else None,
        "claimed_by": helper if taken else None, "claimed_at": claimed if taken else None,
        "fulfilled_at": confirmed if done else None, "confirmed_at": confirmed if done else None,
        "rating": rng.randint(3, 5) if done else None})
    count(posted, "wishes_posted")
    if taken:
        out.add(WishClaim, {"id": wish_id, "wish_id": wish_id, "volunteer_id": helper,
                            "status": ClaimStatus.DONE if done else ClaimStatus.ACTIVE,
                            "claimed_at": claimed, "last_progress_at": claimed})
        count(claimed, "wishes_claimed")
        count(opened, "opened")
        count(claimed, "closed")
    elif opened < now:
        count(opened, "opened")
    if done:
        count(confirmed, "wishes_confirmed")
        _served(out, helper, place.id, "wish_confirmed", "wish", wish_id, 10, confirmed, count, 60)


def _order(out, rng, place, resident, helper, asked, now, ids, count) -> None:
    ids["order"] += 1
    order_id = ids["order"]
    start = asked + timedelta(days=1)
    done = start + timedelta(hours=1)
    finished = done < now
    out.add(ServiceOrder, {
        "id": order_id, "kind": "visit", "mode": "home", "resident_id": resident,
        "community_id": place.id, "provider_id": helper, "category": "repair", "skills": [],
        "window_start": start, "window_end": start + timedelta(hours=3), "duration_min": 90,
        "lat": place.lat, "lng": place.lng, "status": OrderStatus.RATED if finished else OrderStatus.ACCEPTED,
        "accepted_at": asked, "done_at": done if finished else None,
        "rating": rng.randint(3, 5) if finished else None, "created_at": asked,
        "updated_at": asked})
    count(asked, "orders_requested")
    if finished:
        count(done, "orders_done")
        _served(out, helper, place.id, "order_done", "order", order_id, 5, done, count, 90)


def _served(out, volunteer, community, reason, ref_type, ref_id, delta, at, count,
            minutes) -> None:
    """A task done at `at`: the volunteer's minutes and the points credited for it."""
    count(at, "volunteer_minutes", minutes)
    out.add(PointsEntry, {"volunteer_id": volunteer, "community_id": community, "delta": delta,
                          "reason": reason, "ref_type": ref_type, "ref_id": ref_id,
                          "created_at": at})
    count(at, "points_credited", delta)


def _snapshots(out, community_id, first, today, tally, volunteers, now) -> None:
    """The nightly rows of the days before today, as the 23:55 job would have written them."""
    waiting, day = 0, first
    while day < today:
        row = tally.get(day, {})
        waiting += row.get("opened", 0) - row.get("closed", 0)
        out.add(CommunityFigures, {
            "community_id": community_id, "day": day, "active_volunteers": volunteers,
            "wishes_open": max(0, waiting),
            "taken_at": datetime(day.year, day.month, day.day, 23, 55, tzinfo=LOCAL_TZ),
            **{name: row.get(name, 0) for name in (
                "wishes_posted", "wishes_claimed", "wishes_confirmed", "points_credited",
                "orders_requested", "orders_done", "volunteer_minutes")}})
        day += timedelta(days=1)


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """(median seconds, best seconds, last result) of `repeat` calls, each in a fresh session."""
    times, result = [], None
    for _ in range(repeat):
        db.session.remove()
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
        db.session.rollback()
    return statistics.median(times), min(times), result


def drop_scratch(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        for suffix in ("", "-wal", "-shm"):  # SQLite's write-ahead log and its index
            if os.path.exists(parsed.database + suffix):
                os.remove(parsed.database + suffix)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
    admin.dispose()


REPORT_INDEXES = ("ix_community_figures_day", "ix_wishes_confirmed_at", "ix_wish_claims_claimed_at",
                  "ix_wish_claims_wish_claimed",
                  "ix_service_orders_done_at", "ix_points_ledger_volunteer_created")


def drop_report_indexes() -> None:
    """Drop the indexes migration 0017 adds, to measure what they buy."""
    for name in REPORT_INDEXES:
        db.session.execute(text(f"DROP INDEX {name}"))
