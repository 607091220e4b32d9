"""The daily figures snapshot per community (run by the jobs process, shown in reports).

A snapshot is taken at `now` for the local (Asia/Shanghai) day that contains it: flows (posted,
claimed, confirmed, points, orders) count events of that day up to `now`; stocks (open wishes,
active volunteers) are as of `now`. It is an upsert on (community, day) that only touches rows
whose figures changed, so running it again the same day with nothing new changes nothing.
"""
import importlib
import logging
from datetime import datetime, timedelta

from sqlalchemy import inspect, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community
from ..points.models import EARNED, PointsEntry
from ..scheduling.settings import system_only
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer, VolunteerStatus
from ..wishes.models import Wish, WishClaim, WishStatus
from .models import CommunityFigures

log = logging.getLogger(__name__)

FIGURES = ("wishes_posted", "wishes_open", "wishes_claimed", "wishes_confirmed",
           "active_volunteers", "points_credited", "orders_requested", "orders_done",
           "volunteer_minutes")
CHUNK = 500  # rows per INSERT, well under SQLite's limit on bound parameters


def snapshot_figures(actor: Actor, *, now: datetime | None = None) -> dict:
    """Write (or refresh) today's figures row of every community."""
    system_only(actor)
    now = now or utcnow()
    day = now.astimezone(LOCAL_TZ).date()
    start = datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)
    window = (start, min(start + timedelta(days=1), now))
    figures = live_figures(window)
    communities = db.session.execute(db.select(Community.id).order_by(Community.id)).scalars().all()
    rows = [{"community_id": cid, "day": day, "taken_at": now,
             **{name: figures[name].get(cid, 0) if name in figures else None
                for name in FIGURES}} for cid in communities]
    return {"day": day.isoformat(), "communities": len(rows), "written": write_figures(rows)}


def write_figures(rows: list[dict]) -> int:
    """Upsert figures rows ({community_id, day, taken_at, *FIGURES}) in chunks; rows changed.
    The nightly snapshot writes through it, and so does the demo's history (server/demo)."""
    return sum(_upsert(rows[i:i + CHUNK]) for i in range(0, len(rows), CHUNK))


def live_figures(window) -> dict[str, dict[int, int]]:
    """Each figure of FIGURES per community for the (start, end) window, read from live rows
    (the snapshot writes these; the reports use them for today)."""
    return (_wish_figures(window) | _people_figures(window) | _order_figures(window)
            | {"volunteer_minutes": _minutes_by_community(window)})


def _minutes_by_community(window) -> dict[int, int]:
    """Service minutes of the tasks finished in the window: wishes confirmed, orders done."""
    minutes = _count_by_community(
        db.select(Wish.community_id, db.func.sum(Wish.duration_min))
        .where(_in(Wish.confirmed_at, window)).group_by(Wish.community_id))
    order = _order_model()
    if order is not None:
        done = _count_by_community(
            db.select(order.community_id, db.func.sum(order.duration_min))
            .where(_in(order.done_at, window)).group_by(order.community_id))
        for cid, value in done.items():
            minutes[cid] = minutes.get(cid, 0) + value
    return minutes


def _in(column, window):
    return (column >= window[0]) & (column <= window[1])


def _count_by_community(query) -> dict[int, int]:
    return {cid: int(n) for cid, n in db.session.execute(query).all()}


def _wish_figures(window) -> dict[str, dict[int, int]]:
    count = db.func.count()
    by = Wish.community_id
    return {
        "wishes_posted": _count_by_community(
            db.select(by, count).where(_in(Wish.created_at, window)).group_by(by)),
        "wishes_open": _count_by_community(
            db.select(by, count).where(Wish.status == WishStatus.OPEN).group_by(by)),
        "wishes_claimed": _count_by_community(
            db.select(by, count).join(WishClaim, WishClaim.wish_id == Wish.id)
            .where(_in(WishClaim.claimed_at, window)).group_by(by)),
        "wishes_confirmed": _count_by_community(
            db.select(by, count).where(_in(Wish.confirmed_at, window)).group_by(by)),
    }


def _people_figures(window) -> dict[str, dict[int, int]]:
    return {
        "active_volunteers": _count_by_community(
            db.select(Volunteer.community_id, db.func.count())
            .where(Volunteer.status == VolunteerStatus.ACTIVE)
            .group_by(Volunteer.community_id)),
        "points_credited": _count_by_community(
            db.select(PointsEntry.community_id, db.func.sum(PointsEntry.delta))
            .where(_in(PointsEntry.created_at, window), EARNED)
            .group_by(PointsEntry.community_id)),
    }


def _order_figures(window) -> dict[str, dict[int, int]]:
    """Order counts when the orders capability is installed and migrated; none otherwise."""
    order = _order_model()
    if order is None:
        return {}
    by = order.community_id
    return {
        "orders_requested": _count_by_community(
            db.select(by, db.func.count()).where(_in(order.created_at, window)).group_by(by)),
        "orders_done": _count_by_community(
            db.select(by, db.func.count()).where(_in(order.done_at, window)).group_by(by)),
    }


def _order_model():
    try:
        module = importlib.import_module("..orders.models", __package__)
    except ImportError:
        return None
    model = getattr(module, "ServiceOrder", None)
    needed = ("community_id", "created_at", "done_at")
    if model is None or not all(hasattr(model, name) for name in needed):
        log.warning("figures: server.orders.models has no usable ServiceOrder; orders skipped")
        return None
    if not inspect(db.session.connection()).has_table(model.__tablename__):
        return None
    return model


def _upsert(rows: list[dict]) -> int:
    """Insert new rows, update rows whose figures differ; return how many rows changed."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # Executed with the rows as parameters (executemany): compiled once, cached, batched by the
    # driver layer; a statement with the rows as literal VALUES compiles anew for every chunk.
    table = CommunityFigures.__table__
    stmt = insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["community_id", "day"],
        set_={name: stmt.excluded[name] for name in (*FIGURES, "taken_at")},
        where=or_(*[table.c[name].is_distinct_from(stmt.excluded[name]) for name in FIGURES]))
    return len(db.session.execute(stmt.returning(table.c.id), rows).all())
