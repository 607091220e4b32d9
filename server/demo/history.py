"""The demo's snapshot history (issue 13): the nightly figures rows of the last ~13 months for
every community, so the reports' charts have more than today to draw.

A real district's rows are written by the jobs process each night from the day's live rows
(server/reports/figures.py). The demo has live rows for its last few weeks only, so each past day
here is a plausible background — seeded, deterministic — plus the demo's own live rows of that
day counted by the nightly job's code (`live_figures`), written through the same upsert
(`write_figures`). The figures agree with each other: claimed ≤ posted, confirmed ≤ claimed,
orders done ≤ requested, active volunteers ≤ the community's volunteers, points and service
minutes follow from what was finished; the first Saturday of each month (党员义务奉献日) and the
donation day (党员一日捐献, a year before the demo's drive) stand out, as do 学雷锋月 (March)
and 重阳 (October).
"""
import math
from datetime import date, datetime, timedelta

from ..extensions import db
from ..orders.models import ServiceOrder
from ..points.models import PointsEntry
from ..reports.figures import FIGURES, live_figures, write_figures
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer, VolunteerStatus
from ..wishes.models import Wish

HISTORY_DAYS = 395  # ~13 months before today, so a year by month has a full first month
MONTH = {1: 0.8, 2: 0.7, 3: 1.3, 4: 1.0, 5: 1.0, 6: 1.1, 7: 0.9, 8: 0.9, 9: 1.0, 10: 1.2,
         11: 1.0, 12: 1.1}  # 春节 quiet, 学雷锋月 and 重阳 busy
FLOWS = ("wishes_posted", "wishes_claimed", "wishes_confirmed", "points_credited",
         "orders_requested", "orders_done", "volunteer_minutes")


def load_demo_history(rng, communities, *, now: datetime | None = None) -> str:
    """Write the nightly rows of the HISTORY_DAYS days before today (today stays live)."""
    now = now or utcnow()
    today = now.astimezone(LOCAL_TZ).date()
    first = today - timedelta(days=HISTORY_DAYS)
    donation_day = today - timedelta(days=366)  # the demo's drive (yesterday), a year before
    live = _live_days(first, today)
    people = _volunteers()
    rows = []
    for community in communities:
        total, active = people.get(community.id, (0, 0))
        state = {"open": rng.randint(2, 6)}
        for offset in range(HISTORY_DAYS):
            day = first + timedelta(days=offset)
            busy = _busyness(day, donation_day) * (0.6 + 0.4 * offset / HISTORY_DAYS)
            row = _background(rng, state, busy, total, active, offset)
            for name, value in live.get(day, {}).items():
                row[name] += value.get(community.id, 0)
            rows.append({"community_id": community.id, "day": day,
                         "taken_at": datetime(day.year, day.month, day.day, 23, 55,
                                              tzinfo=LOCAL_TZ), **row})
    write_figures(rows)
    return (f"figures history: {len(rows)} nightly rows, {HISTORY_DAYS} days × "
            f"{len(communities)} communities")


def _busyness(day: date, donation_day: date) -> float:
    factor = MONTH[day.month]
    if day.weekday() == 5 and day.day <= 7:  # the first Saturday: 党员义务奉献日
        factor *= 3.0
    gap = abs((day - donation_day).days)
    if gap <= 3:
        factor *= 2.0 if gap == 0 else 1.3
    return factor


def _background(rng, state: dict, busy: float, total: int, active: int, offset: int) -> dict:
    """One community's day: flows drawn around its busyness, stocks carried from the day before."""
    posted = _poisson(rng, 1.2 * busy)
    claimed = _binomial(rng, posted, 0.85)
    confirmed = _binomial(rng, claimed, 0.9)
    requested = _poisson(rng, 0.6 * busy)
    done = _binomial(rng, requested, 0.85)
    expired = _binomial(rng, state["open"], 0.04)
    state["open"] = max(0, state["open"] + posted - claimed - expired)
    share = 0.75 + 0.25 * offset / HISTORY_DAYS + rng.uniform(-0.03, 0.03)
    return {
        "wishes_posted": posted, "wishes_claimed": claimed, "wishes_confirmed": confirmed,
        "wishes_open": state["open"],
        "active_volunteers": min(active, max(0, round(active * share))),
        "orders_requested": requested, "orders_done": done,
        "points_credited": 10 * confirmed + 5 * _binomial(rng, confirmed, 0.6) + 5 * done,
        "volunteer_minutes": sum(rng.choice((60, 90, 120)) for _ in range(confirmed)) + 90 * done,
    }


def _live_days(first: date, today: date) -> dict[date, dict[str, dict[int, int]]]:
    """The demo's live rows of each past day, counted as the nightly job counts them (flows only:
    the stocks of a past day are not in the live rows any more)."""
    earliest = min((t for t in (
        db.session.execute(db.select(db.func.min(column))).scalar()
        for column in (Wish.created_at, ServiceOrder.created_at, PointsEntry.created_at))
        if t is not None), default=None)
    if earliest is None:
        return {}
    day, out = max(first, earliest.astimezone(LOCAL_TZ).date()), {}
    while day < today:
        start = datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)
        end = start + timedelta(days=1) - timedelta(microseconds=1)
        figures = live_figures((start, end))
        out[day] = {name: figures.get(name) or {} for name in FLOWS if name in FIGURES}
        day += timedelta(days=1)
    return out


def _volunteers() -> dict[int, tuple[int, int]]:
    """{community: (volunteers, active volunteers)} today."""
    counts = db.session.execute(db.select(
        Volunteer.community_id, db.func.count(),
        db.func.sum(db.case((Volunteer.status == VolunteerStatus.ACTIVE, 1), else_=0)))
        .group_by(Volunteer.community_id)).all()
    return {cid: (int(n), int(active or 0)) for cid, n, active in counts}


def _poisson(rng, lam: float) -> int:
    """Knuth's method: fine for the small means of one community's day."""
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _binomial(rng, n: int, p: float) -> int:
    return sum(rng.random() < p for _ in range(n))
