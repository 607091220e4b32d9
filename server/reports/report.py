"""The figures report: the nightly snapshot for past days plus today's live counts, per period.

Flows that add up over days and communities (posted, claimed, confirmed, orders, service minutes,
points) are summed from the snapshot rows; stocks (open wishes, active volunteers) are the
period's last day. A median and a count of distinct households do not add up, so those two are
read from the live rows of the period (docs/reports.md).
"""
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy.orm import aliased

from ..extensions import db
from ..identity.models import Community
from ..orders.models import ServiceOrder
from ..timeutil import LOCAL_TZ
from ..wishes.models import Wish, WishClaim
from .figures import live_figures
from .models import CommunityFigures
from .request import Period, ReportRequest, local_midnight, periods, resolve_request

SUMMED = ("wishes_posted", "wishes_claimed", "wishes_confirmed", "orders_requested",
          "orders_done", "volunteer_minutes", "points_credited")
STOCKS = ("wishes_open", "active_volunteers")


def figures_report(actor, filters: dict, *, now: datetime | None = None) -> list[dict]:
    """One row per period of the requested scope and dates (see the module's docstring)."""
    return build_figures(resolve_request(actor, filters, now=now))


def build_figures(req: ReportRequest) -> list[dict]:
    spans = periods(req.start, req.end, req.group_by)
    days = _snapshot_days(req)
    if req.end == req.today:
        days[req.today] = _live_today(req)
    waits = _bucket(spans, _claim_waits(req))
    helped = _bucket(spans, _households(req))
    return [_row(p, days, waits[i], helped[i], req) for i, p in enumerate(spans)]


def _row(period: Period, days: dict, waits: list, helped: list, req: ReportRequest) -> dict:
    covered = [d for d in sorted(days) if period.start <= d <= period.end]
    sums = {name: _sum(days[d].get(name) for d in covered) for name in SUMMED}
    last = days[covered[-1]] if covered else {}
    expected = (min(period.end, req.today - timedelta(days=1)) - period.start).days + 1
    past = [d for d in covered if d < req.today]
    minutes = sums["volunteer_minutes"]
    return {
        "period": period.key, "start": period.start, "end": period.end,
        "wishes_posted": sums["wishes_posted"] or 0,
        "wishes_claimed": sums["wishes_claimed"] or 0,
        "wishes_confirmed": sums["wishes_confirmed"] or 0,
        "wishes_open": last.get("wishes_open"),
        "median_hours_to_claim": round(median(waits), 2) if waits else None,
        "claims_measured": len(waits),
        "orders_requested": sums["orders_requested"],
        "orders_done": sums["orders_done"],
        "volunteers_active": last.get("active_volunteers"),
        "volunteer_hours": round(minutes / 60, 2) if minutes is not None else None,
        "points_awarded": sums["points_credited"] or 0,
        "households_helped": len(set(helped)),
        "days_without_snapshot": max(0, expected - len(past)),
    }


def _sum(values) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _snapshot_days(req: ReportRequest) -> dict:
    """{day: {figure: total over the scope's communities}} for the days before today."""
    last = min(req.end, req.today - timedelta(days=1))
    if last < req.start or not req.communities:
        return {}
    f = CommunityFigures
    columns = [db.func.sum(getattr(f, name)).label(name) for name in (*SUMMED, *STOCKS)]
    query = (db.select(f.day, *columns)
             .where(f.community_id.in_(req.communities), f.day >= req.start, f.day <= last)
             .group_by(f.day))
    return {row.day: row._asdict() for row in db.session.execute(query)}


def _live_today(req: ReportRequest) -> dict:
    window = (local_midnight(req.today), req.now)
    figures = live_figures(window)
    wanted = set(req.communities)
    return {name: sum(v for cid, v in by_community.items() if cid in wanted)
            for name, by_community in figures.items()}


def _claim_waits(req: ReportRequest) -> list[tuple[str, float]]:
    """(local day of the first claim, hours the wish waited since it opened) of the wishes first
    claimed in the range, in the scope — computed in SQL, so no row becomes a Python datetime."""
    start, end = req.utc_bounds()
    earlier = aliased(WishClaim)
    opened = db.func.coalesce(Wish.reviewed_at, Wish.created_at)
    query = (db.select(_local_day(WishClaim.claimed_at), _hours(WishClaim.claimed_at, opened))
             .join(Wish, Wish.id == WishClaim.wish_id)
             .where(WishClaim.claimed_at >= start, WishClaim.claimed_at < end,
                    Wish.community_id.in_(req.communities),
                    ~db.select(earlier.id).where(earlier.wish_id == WishClaim.wish_id,
                                                 earlier.claimed_at < WishClaim.claimed_at)
                    .exists()))
    return [(day, max(0.0, float(hours))) for day, hours in db.session.execute(query)]


def _households(req: ReportRequest) -> list[tuple[str, int]]:
    """(local day, resident) for the wishes confirmed and orders done in the range, in the scope."""
    start, end = req.utc_bounds()
    wishes = db.select(_local_day(Wish.confirmed_at), Wish.owner_id).where(
        Wish.confirmed_at >= start, Wish.confirmed_at < end,
        Wish.community_id.in_(req.communities)).distinct()
    orders = db.select(_local_day(ServiceOrder.done_at), ServiceOrder.resident_id).where(
        ServiceOrder.done_at >= start, ServiceOrder.done_at < end,
        ServiceOrder.community_id.in_(req.communities)).distinct()
    return [*db.session.execute(wishes), *db.session.execute(orders)]


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _local_day(column):
    """The local (Asia/Shanghai) date of a stored UTC time, in SQL. SQLite keeps naive UTC text;
    China has kept UTC+8 without summer time since 1991."""
    if _postgres():
        return db.func.date(db.func.timezone(LOCAL_TZ.key, column))
    return db.func.date(column, "+8 hours")


def _hours(later, earlier):
    if _postgres():
        return db.func.extract("epoch", later - earlier) / 3600.0
    return (db.func.julianday(later) - db.func.julianday(earlier)) * 24.0


def _bucket(spans: list[Period], rows) -> list[list]:
    """The second item of each (local day, value) row, in the list of the period holding it."""
    index = {}
    for i, period in enumerate(spans):
        day = period.start
        while day <= period.end:
            index[day.isoformat()] = i
            day += timedelta(days=1)
    out = [[] for _ in spans]
    for day, value in rows:
        slot = index.get(day if isinstance(day, str) else day.isoformat())
        if slot is not None:
            out[slot].append(value)
    return out


def compare_communities(actor, filters: dict, *, now: datetime | None = None) -> list[dict]:
    """Each community of the scope over the whole range, side by side (snapshot + today)."""
    req = resolve_request(actor, filters, now=now)
    f = CommunityFigures
    last = min(req.end, req.today - timedelta(days=1))
    query = (db.select(f.community_id, *[db.func.sum(getattr(f, n)).label(n) for n in SUMMED])
             .where(f.community_id.in_(req.communities), f.day >= req.start, f.day <= last)
             .group_by(f.community_id))
    totals = {row.community_id: row._asdict() for row in db.session.execute(query)}
    live = live_figures((local_midnight(req.today), req.now)) if req.end == req.today else {}
    names = dict(db.session.execute(db.select(Community.id, Community.name).where(
        Community.id.in_(req.communities))).all())
    rows = []
    for cid in req.communities:
        sums = {n: (totals.get(cid, {}).get(n) or 0) + live.get(n, {}).get(cid, 0) for n in SUMMED}
        rows.append({"community_id": cid, "community": names.get(cid, ""),
                     "wishes_posted": sums["wishes_posted"],
                     "wishes_confirmed": sums["wishes_confirmed"],
                     "orders_done": sums["orders_done"],
                     "volunteer_hours": round(sums["volunteer_minutes"] / 60, 2),
                     "points_awarded": sums["points_credited"]})
    return rows
