"""The figures report: the nightly snapshot for past days plus today's live counts, per period.

Flows that add up over days and communities (posted, claimed, confirmed, orders, service minutes,
points) are summed from the snapshot rows; stocks (open wishes, active volunteers) are the
period's last day. A median and a count of distinct households do not add up, so those two are
read from the live rows of the period (docs/reports.md).
"""
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import union
from sqlalchemy.orm import aliased

from ..extensions import db
from ..identity.models import Community
from ..orders.models import ServiceOrder
from ..timeutil import LOCAL_TZ
from ..wishes.models import Wish, WishClaim
from .figures import live_figures
from .models import CommunityFigures
from .request import GroupBy, Period, ReportRequest, local_midnight, periods, resolve_request

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
    keys = {_unclipped(p, req.group_by): i for i, p in enumerate(spans)}
    waits = _by_period(keys, _claim_medians(req))
    helped = _by_period(keys, _households(req))
    return [_row(p, days, waits.get(i, (None, 0)), helped.get(i, 0), req)
            for i, p in enumerate(spans)]


def _row(period: Period, days: dict, waits: tuple, helped: int, req: ReportRequest) -> dict:
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
        "median_hours_to_claim": round(waits[0], 2) if waits[0] is not None else None,
        "claims_measured": waits[1],
        "orders_requested": sums["orders_requested"],
        "orders_done": sums["orders_done"],
        "volunteers_active": last.get("active_volunteers"),
        "volunteer_hours": round(minutes / 60, 2) if minutes is not None else None,
        "points_awarded": sums["points_credited"] or 0,
        "households_helped": helped,
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


def _first_claims(req: ReportRequest):
    """(period, hours the wish waited since it opened) of the wishes first claimed in the range,
    in the scope."""
    start, end = req.utc_bounds()
    earlier = aliased(WishClaim)
    opened = db.func.coalesce(Wish.reviewed_at, Wish.created_at)
    period = _period_of(_local_day(WishClaim.claimed_at), req.group_by).label("period")
    return (db.select(period, _hours(WishClaim.claimed_at, opened).label("hours"))
            .join(Wish, Wish.id == WishClaim.wish_id)
            .where(WishClaim.claimed_at >= start, WishClaim.claimed_at < end,
                   Wish.community_id.in_(req.communities),
                   ~db.select(earlier.id).where(earlier.wish_id == WishClaim.wish_id,
                                                earlier.claimed_at < WishClaim.claimed_at)
                   .exists()))


def _claim_medians(req: ReportRequest) -> list[tuple]:
    """(period, (median hours, claims)) per period: PostgreSQL computes the median; SQLite,
    which has no percentile, hands the hours over (a development database's few rows)."""
    claims = _first_claims(req).subquery()
    if _postgres():
        query = (db.select(claims.c.period, db.func.percentile_cont(0.5).within_group(
            claims.c.hours), db.func.count()).group_by(claims.c.period))
        return [(p, (float(m), int(n))) for p, m, n in db.session.execute(query)]
    hours: dict = {}
    for period, value in db.session.execute(db.select(claims.c.period, claims.c.hours)):
        hours.setdefault(period, []).append(max(0.0, float(value)))
    return [(p, (median(values), len(values))) for p, values in hours.items()]


def _households(req: ReportRequest) -> list[tuple]:
    """(period, distinct residents helped): wishes confirmed and orders done in the range, in
    the scope, counted once per period however often they were helped."""
    start, end = req.utc_bounds()
    wishes = db.select(_period_of(_local_day(Wish.confirmed_at), req.group_by).label("period"),
                       Wish.owner_id.label("resident")).where(
        Wish.confirmed_at >= start, Wish.confirmed_at < end,
        Wish.community_id.in_(req.communities))
    orders = db.select(_period_of(_local_day(ServiceOrder.done_at), req.group_by),
                       ServiceOrder.resident_id).where(
        ServiceOrder.done_at >= start, ServiceOrder.done_at < end,
        ServiceOrder.community_id.in_(req.communities))
    helped = union(wishes, orders).subquery()  # UNION: one row per period and resident
    query = db.select(helped.c.period, db.func.count()).group_by(helped.c.period)
    return list(db.session.execute(query).all())


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _local_day(column):
    """The local (Asia/Shanghai) date of a stored UTC time, in SQL. SQLite keeps naive UTC text;
    China has kept UTC+8 without summer time since 1991."""
    if _postgres():
        return db.func.date(db.func.timezone(LOCAL_TZ.key, column))
    return db.func.date(column, "+8 hours")


def _period_of(day, group_by: GroupBy):
    """The first day of the (unclipped) period holding `day`, in SQL."""
    if group_by == GroupBy.DAY:
        return day
    if _postgres():
        return db.func.date(db.func.date_trunc(str(group_by), day))
    if group_by == GroupBy.WEEK:
        return db.func.date(day, "-6 days", "weekday 1")  # the Monday on or before
    return db.func.date(day, "start of month")


def _unclipped(period: Period, group_by: GroupBy) -> str:
    if group_by == GroupBy.WEEK:
        return (period.start - timedelta(days=period.start.weekday())).isoformat()
    if group_by == GroupBy.MONTH:
        return period.start.replace(day=1).isoformat()
    return period.start.isoformat()


def _hours(later, earlier):
    if _postgres():
        return db.func.extract("epoch", later - earlier) / 3600.0
    return (db.func.julianday(later) - db.func.julianday(earlier)) * 24.0


def _by_period(keys: dict, rows) -> dict:
    """{period index: value} from (period start as a date or ISO text, value) rows."""
    out = {}
    for day, value in rows:
        slot = keys.get(day if isinstance(day, str) else day.isoformat())
        if slot is not None:
            out[slot] = value
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
