"""The daily figures snapshot per community: exact counts, and an upsert that re-runs quietly."""
from datetime import datetime, timedelta

from sqlalchemy import update

from server.extensions import db
from server.points.services import credit_points
from server.reports.figures import _order_model
from server.reports.models import CommunityFigures
from server.timeutil import LOCAL_TZ
from server.wishes.models import Wish, WishClaim
from tests.factories import make_wish

from .helpers import run

NOW = datetime(2026, 11, 20, 21, 0, tzinfo=LOCAL_TZ)  # snapshot time, local


def _pin_world_to(world, when):
    """Give every wish and claim of the world fixed times on the snapshot day."""
    db.session.execute(update(Wish).values(created_at=when))
    db.session.execute(update(WishClaim).values(claimed_at=when, last_progress_at=when))


def _row(community) -> CommunityFigures:
    return db.session.execute(db.select(CommunityFigures).filter_by(
        community_id=community.id, day=NOW.date())).scalar_one()


def test_figures_count_the_day_per_community(world):
    a, b, c = world.communities
    _pin_world_to(world, NOW - timedelta(hours=3))
    make_wish(world, status="open", created_at=NOW - timedelta(days=1))  # yesterday: not posted today
    done = make_wish(world, status="confirmed", claimer="volunteer",
                     created_at=NOW - timedelta(days=2), confirmed_at=NOW - timedelta(hours=1))
    db.session.execute(update(WishClaim).where(WishClaim.wish_id == done.id)
                       .values(claimed_at=NOW - timedelta(days=2)))
    credit_points(world.volunteers["volunteer"].id, "wish_confirmed", "wish", 1,
                  now=NOW - timedelta(hours=1))
    credit_points(world.volunteers["volunteer_b"].id, "wish_confirmed", "wish", 2,
                  now=NOW - timedelta(days=1))  # yesterday
    assert run("figures", NOW) == {"day": "2026-11-20", "communities": 3, "written": 3}
    row = _row(a)
    # The world: pending, open, claimed, fulfilled in 甲 today; plus the two made above.
    assert (row.wishes_posted, row.wishes_open, row.wishes_claimed, row.wishes_confirmed) == (4, 2, 2, 1)
    assert (row.active_volunteers, row.points_credited) == (2, 10)
    assert row.taken_at == NOW
    row_b = _row(b)
    assert (row_b.wishes_posted, row_b.wishes_open, row_b.active_volunteers,
            row_b.points_credited) == (1, 1, 1, 0)
    assert _row(c).wishes_posted == 0


def test_figures_rerun_changes_nothing_more_until_something_happens(world):
    a = world.communities[0]
    _pin_world_to(world, NOW - timedelta(hours=3))
    assert run("figures", NOW)["written"] == 3
    first = {k: v for k, v in vars(_row(a)).items() if not k.startswith("_")}
    assert run("figures", NOW + timedelta(minutes=5))["written"] == 0
    assert db.session.execute(db.select(db.func.count()).select_from(CommunityFigures)).scalar_one() == 3
    assert {k: v for k, v in vars(_row(a)).items() if not k.startswith("_")} == first
    make_wish(world, status="open", created_at=NOW + timedelta(minutes=6))
    assert run("figures", NOW + timedelta(minutes=10))["written"] == 1
    assert _row(a).wishes_posted == first["wishes_posted"] + 1


def test_a_new_day_gets_its_own_rows(world):
    _pin_world_to(world, NOW - timedelta(hours=3))
    run("figures", NOW)
    assert run("figures", NOW + timedelta(hours=4))["day"] == "2026-11-21"
    assert db.session.execute(db.select(db.func.count()).select_from(CommunityFigures)).scalar_one() == 6


def test_order_counts_follow_whether_orders_are_installed(world):
    installed = _order_model() is not None
    if installed:
        from tests.order_world import make_offering, make_order
        slot = make_offering(world).slots[0]
        make_order(world, slot, status="done", created_at=NOW - timedelta(hours=2),
                   done_at=NOW - timedelta(hours=1))
        make_order(world, slot, resident="resident2", created_at=NOW - timedelta(days=3))
    run("figures", NOW)
    row = _row(world.communities[0])
    expected = (1, 1) if installed else (None, None)
    assert (row.orders_requested, row.orders_done) == expected
    assert _row(world.communities[1]).orders_requested == (0 if installed else None)


def test_without_orders_the_order_counts_stay_empty(world, monkeypatch):
    import server.reports.figures as figures
    monkeypatch.setattr(figures.importlib, "import_module", _no_such_module)
    run("figures", NOW)
    assert (_row(world.communities[0]).orders_requested, _row(world.communities[0]).orders_done) \
        == (None, None)


def _no_such_module(name, package=None):
    raise ModuleNotFoundError(name)
