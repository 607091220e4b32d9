"""Reports (issue 13): figures per period from the nightly snapshot plus today's live counts,
the volunteer ledger, their Excel exports (read back with openpyxl) and who may read them."""
from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from server.audit.models import AuditEntry
from server.excel import read_sheet
from server.extensions import db
from server.identity.services import load_actor
from server.points.services import credit_points
from server.reports.ledger import ledger_rows
from server.reports.models import CommunityFigures
from server.reports.report import compare_communities, figures_report
from server.reports.request import resolve_request
from server.timeutil import LOCAL_TZ, utcnow
from server.wishes.models import Wish, WishClaim
from tests.factories import make_wish
from tests.jobs.helpers import run
from tests.order_world import make_offering, make_order

API = "/api/v1"
DAY1 = datetime(2026, 11, 19, 8, 0, tzinfo=LOCAL_TZ)  # a past day, local
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=LOCAL_TZ)  # "today" in these tests


def _secretary(world, key="secretary"):
    return load_actor(world.users[key].id)


def _clear_world_times(when):
    db.session.execute(update(Wish).values(created_at=when, reviewed_at=when))
    db.session.execute(update(WishClaim).values(claimed_at=when, last_progress_at=when))


def _claimed_wish(world, opened, waited_h, confirmed=None, owner="resident", **extra):
    """A wish opened at `opened` and first claimed `waited_h` hours later (confirmed if given)."""
    status = "confirmed" if confirmed else "claimed"
    wish = make_wish(world, owner=owner, status=status, claimer="volunteer",
                     created_at=opened - timedelta(hours=1), reviewed_at=opened,
                     confirmed_at=confirmed, duration_min=90, **extra)
    db.session.execute(update(WishClaim).where(WishClaim.wish_id == wish.id)
                       .values(claimed_at=opened + timedelta(hours=waited_h)))
    return wish


@pytest.fixture
def history(world):
    """Day 1 (snapshotted at 23:55) and today (live): waits of 1, 3 and 10 hours on day 1."""
    _clear_world_times(DAY1 - timedelta(days=10))
    _claimed_wish(world, DAY1, 1, confirmed=DAY1 + timedelta(hours=5))
    _claimed_wish(world, DAY1, 3, confirmed=DAY1 + timedelta(hours=6))  # same household
    _claimed_wish(world, DAY1, 10)
    credit_points(world.volunteers["volunteer"].id, "wish_confirmed", "wish", 901,
                  now=DAY1 + timedelta(hours=5))
    db.session.commit()
    assert run("figures", DAY1.replace(hour=23, minute=55))["written"] == 3
    # Today: one wish posted and confirmed after a 2-hour wait, by another household.
    _claimed_wish(world, NOW - timedelta(hours=5), 2, confirmed=NOW - timedelta(hours=1),
                  owner="resident2")
    db.session.commit()
    return world


def test_figures_add_the_snapshot_to_todays_live_counts(history):
    rows = figures_report(_secretary(history), {"from": DAY1.date(), "to": NOW.date()}, now=NOW)
    assert [r["period"] for r in rows] == ["2026-11-19", "2026-11-20"]
    day1, today = rows
    assert (day1["wishes_posted"], day1["wishes_claimed"], day1["wishes_confirmed"]) == (3, 3, 2)
    assert day1["median_hours_to_claim"] == 3.0 and day1["claims_measured"] == 3
    assert day1["households_helped"] == 1  # two wishes of one resident
    assert day1["volunteer_hours"] == 3.0  # 2 × 90 min
    assert day1["points_awarded"] == 10 and day1["volunteers_active"] == 2
    assert day1["days_without_snapshot"] == 0
    assert (today["wishes_posted"], today["wishes_confirmed"]) == (1, 1)
    assert today["median_hours_to_claim"] == 2.0 and today["households_helped"] == 1
    assert today["volunteer_hours"] == 1.5 and today["days_without_snapshot"] == 0


def test_a_week_sums_flows_and_keeps_the_last_days_stocks(history):
    filters = {"from": DAY1.date() - timedelta(days=2), "to": NOW.date(), "group_by": "week"}
    (week,) = figures_report(_secretary(history), filters, now=NOW)
    assert (week["period"], week["start"], week["end"]) == ("2026-W47", date(2026, 11, 17),
                                                            date(2026, 11, 20))
    assert (week["wishes_posted"], week["wishes_confirmed"]) == (4, 3)
    assert week["median_hours_to_claim"] == 2.5  # of 1, 2, 3, 10
    assert week["households_helped"] == 2 and week["volunteer_hours"] == 4.5
    assert week["days_without_snapshot"] == 2  # the 17th and 18th were never snapshotted


def test_a_month_and_the_street_sum_the_communities(history):
    street = history.streets[0].id
    rows = figures_report(load_actor(history.users["street_secretary"].id),
                          {"scope": "street", "id": street, "from": date(2026, 10, 30),
                           "to": NOW.date(), "group_by": "month"}, now=NOW)
    assert [(r["period"], r["start"], r["end"]) for r in rows] == [
        ("2026-10", date(2026, 10, 30), date(2026, 10, 31)),
        ("2026-11", date(2026, 11, 1), date(2026, 11, 20))]
    assert rows[0]["wishes_posted"] == 0 and rows[0]["median_hours_to_claim"] is None
    assert rows[1]["wishes_posted"] == 4 and rows[1]["volunteers_active"] == 3  # 甲 2 + 乙 1


def test_without_a_scope_the_report_is_the_callers_widest_grant(history):
    req = resolve_request(load_actor(history.users["admin"].id), {}, now=NOW)
    assert (str(req.scope), req.start, req.end) == (
        f"district:{history.district.id}", NOW.date() - timedelta(days=29), NOW.date())
    assert len(req.communities) == 3


def test_figures_endpoint_answers_today(client, world, login):
    a = world.communities[0]
    today = utcnow().astimezone(LOCAL_TZ).date()
    db.session.add(CommunityFigures(community_id=a.id, day=today - timedelta(days=1),
                                    wishes_posted=7, wishes_confirmed=2, active_volunteers=5,
                                    points_credited=20, volunteer_minutes=150, orders_done=1))
    db.session.commit()
    resp = client.get(f"{API}/reports/figures", headers=login("secretary"), query_string={
        "scope": "community", "id": a.id, "from": (today - timedelta(days=1)).isoformat()})
    assert resp.status_code == 200, resp.get_json()
    yesterday, now = resp.get_json()
    assert (yesterday["wishes_posted"], yesterday["volunteer_hours"],
            yesterday["volunteers_active"], yesterday["orders_done"]) == (7, 2.5, 5, 1)
    assert now["period"] == today.isoformat()
    assert now["wishes_posted"] == 4 and now["volunteers_active"] == 2  # the world, live


# --- scope: checked on the whole requested scope ---------------------------------------------

@pytest.mark.parametrize("who, scope, target, expected", [
    ("secretary", "community", "b", 403),
    ("secretary", "street", "s1", 403),  # her community lies in it; the street is wider
    ("secretary", "district", "d", 403),
    ("secretary", "community", "missing", 404),
    ("street_secretary", "community", "b", 200),
    ("street_secretary", "community", "c", 403),
    ("street_secretary", "street", "s2", 403),
    ("secretary_b", "community", "a", 403),
    ("admin", "district", "d", 200),
    ("admin", "street", "s2", 200),
    ("resident", "community", "a", 403),
    ("volunteer", "community", "a", 403),
])
@pytest.mark.parametrize("path", ["figures", "figures.xlsx", "communities", "volunteer-ledger",
                                  "volunteer-ledger.xlsx"])
def test_reports_refuse_a_scope_outside_the_callers(client, world, login, who, scope, target,
                                                    expected, path):
    ids = {"a": world.communities[0].id, "b": world.communities[1].id,
           "c": world.communities[2].id, "s1": world.streets[0].id, "s2": world.streets[1].id,
           "d": world.district.id, "missing": 999999}
    resp = client.get(f"{API}/reports/{path}", headers=login(who),
                      query_string={"scope": scope, "id": ids[target]})
    assert resp.status_code == expected, resp.get_json()
    if expected >= 400:
        assert resp.get_json()["code"] == expected
    assert db.session.execute(db.select(db.func.count()).select_from(AuditEntry).where(
        AuditEntry.action.like("reports.%"))).scalar_one() == (
        1 if expected == 200 and path.endswith(".xlsx") else 0)


# --- bad input: 422 in the error shape, in Chinese -------------------------------------------

@pytest.mark.parametrize("query, field", [
    ({"from": "2026-11-20", "to": "2026-11-01"}, "from"),
    ({"scope": "city", "id": 1}, "scope"),
    ({"scope": "grid", "id": 1}, "scope"),
    ({"scope": "community"}, "id"),
    ({"id": 1}, "scope"),
    ({"from": "2020-01-01", "to": "2026-11-01"}, "from"),  # a day-by-day report of 7 years
    ({"from": "0001-01-01", "group_by": "month"}, "from"),
    ({"from": "9999-12-31"}, "from"),
    ({"from": "0001-01-01", "to": "0001-01-05"}, "from"),  # near year 1: no UTC arithmetic
    ({"to": "0001-01-01"}, "from"),
    ({"from": "2026-13-01"}, "from"),
    ({"to": "yesterday"}, "to"),
    ({"group_by": "year"}, "group_by"),
    ({"id": 0, "scope": "community"}, "id"),
    ({"id": 2**40, "scope": "community"}, "id"),
])
@pytest.mark.parametrize("path", ["figures", "figures.xlsx"])
def test_bad_report_input_is_422_in_chinese(client, world, login, query, field, path):
    resp = client.get(f"{API}/reports/{path}", headers=login("admin"), query_string=query)
    assert resp.status_code == 422, resp.get_json()
    body = resp.get_json()
    assert set(body) == {"code", "status", "message", "errors", "request_id"}
    errors = body["errors"].get("query", body["errors"])  # the schema's, or the service's
    assert field in errors, body
    text = body["message"] + str(body["errors"])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), body


def test_a_year_by_week_is_allowed_but_not_a_year_by_day_and_a_day(client, world, login):
    admin = login("admin")
    today = utcnow().astimezone(LOCAL_TZ).date()
    year = {"from": (today - timedelta(days=365)).isoformat(), "to": today.isoformat()}
    assert client.get(f"{API}/reports/figures", headers=admin,
                      query_string=year).status_code == 200  # 366 days
    longer = {**year, "from": (today - timedelta(days=366)).isoformat()}
    assert client.get(f"{API}/reports/figures", headers=admin,
                      query_string=longer).status_code == 422
    weekly = client.get(f"{API}/reports/figures", headers=admin,
                        query_string={**longer, "group_by": "week"})
    assert weekly.status_code == 200 and len(weekly.get_json()) in (53, 54)


# --- the ledger ------------------------------------------------------------------------------

def _ledger_world(world):
    _clear_world_times(DAY1 - timedelta(days=10))
    _claimed_wish(world, DAY1, 1, confirmed=DAY1 + timedelta(hours=5), rating=5)
    _claimed_wish(world, DAY1, 1, confirmed=DAY1 + timedelta(hours=6), rating=4)
    _claimed_wish(world, DAY1 - timedelta(days=40), 1,
                  confirmed=DAY1 - timedelta(days=39))  # before the range
    offering = make_offering(world, slots=((1, 9, 3),))
    make_order(world, offering.slots[0], status="rated", done_at=DAY1 + timedelta(hours=3),
               rating=3)
    credit_points(world.volunteers["volunteer"].id, "wish_confirmed", "wish", 901,
                  now=DAY1 + timedelta(hours=5))
    db.session.commit()


def test_the_ledger_counts_tasks_hours_points_and_ratings(world):
    _ledger_world(world)
    req = resolve_request(_secretary(world), {"from": DAY1.date() - timedelta(days=7),
                                              "to": NOW.date()}, now=NOW)
    rows = {r["volunteer_id"]: r for r in ledger_rows(req)}
    mine = rows[world.volunteers["volunteer"].id]
    assert (mine["wishes_done"], mine["orders_done"], mine["tasks"]) == (2, 1, 3)
    assert mine["hours"] == 4.0  # 90 + 90 + 60 minutes
    assert (mine["points"], mine["ratings"], mine["average_rating"]) == (10, 3, 4.0)
    assert mine["phone"] == "138****5678" and mine["community"] == "甲社区"
    other = rows[world.volunteers["volunteer2"].id]
    assert (other["tasks"], other["hours"], other["average_rating"]) == (0, 0.0, None)
    # Only community A's volunteers (active ones, and anyone with activity); no applicants.
    assert set(rows) == {world.volunteers["volunteer"].id, world.volunteers["volunteer2"].id}


def test_ledger_endpoint_pages_and_masks_phones_even_to_the_communitys_secretary(
        client, world, login):
    resp = client.get(f"{API}/reports/volunteer-ledger", headers=login("secretary"),
                      query_string={"page_size": 1})
    assert resp.status_code == 200
    assert '"total": 2' in resp.headers["X-Pagination"]
    (row,) = resp.get_json()
    assert row["phone"] == "138****5678" and row["name"]


# --- Excel: read back with openpyxl ---------------------------------------------------------

def test_figures_export_reads_back_with_headers_totals_and_an_audit_row(client, history, login):
    a = history.communities[0]
    # The endpoint reads today's real date; pin the history's day-1 row inside the range.
    today = utcnow().astimezone(LOCAL_TZ).date()
    db.session.execute(update(CommunityFigures).values(day=today - timedelta(days=1)))
    db.session.commit()
    resp = client.get(f"{API}/reports/figures.xlsx", headers=login("secretary"), query_string={
        "scope": "community", "id": a.id, "from": (today - timedelta(days=2)).isoformat()})
    assert resp.status_code == 200
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in resp.headers["Content-Disposition"]
    title, headers, body = read_sheet(resp.data)
    assert title.startswith("甲社区服务数据统计")
    assert headers[:6] == ["统计期", "起始日", "截止日", "心愿发布数", "心愿认领数", "心愿完成数"]
    assert "认领用时中位数（小时）" in headers and "受助户数" in headers
    days, totals = body[:3], body[3]
    assert [r[0] for r in days] == [(today - timedelta(days=n)).isoformat() for n in (2, 1, 0)]
    posted = headers.index("心愿发布数")
    assert days[1][posted] == 3 and totals[0] == "合计"
    assert totals[posted] == sum(r[posted] for r in days)
    assert totals[headers.index("受助户数")] is None  # distinct households do not add up
    sheet = load_workbook(BytesIO(resp.data)).worksheets[0]
    assert sheet.freeze_panes == "A3"
    assert sheet.cell(row=3, column=posted + 1).number_format == "#,##0"
    assert sheet.cell(row=3, column=headers.index("服务时长（小时）") + 1).number_format == "0.00"
    entry = db.session.execute(db.select(AuditEntry).filter_by(
        action="reports.figures_export")).scalar_one()
    assert (entry.scope, entry.actor_id) == (f"community:{a.id}", history.users["secretary"].id)
    assert entry.detail["rows"] == 3
    # An admin reads the export in the audit trail.
    listed = client.get(f"{API}/audit", headers=login("admin"),
                        query_string={"action": "reports.figures_export"}).get_json()
    assert [e["object_type"] for e in listed] == ["report"]


def test_ledger_export_masks_phones_and_totals_the_tasks(client, world, login):
    _ledger_world(world)
    resp = client.get(f"{API}/reports/volunteer-ledger.xlsx", headers=login("street_secretary"),
                      query_string={"from": "2026-11-01", "to": "2026-11-30"})
    assert resp.status_code == 200
    title, headers, body = read_sheet(resp.data)
    assert "志愿服务台账" in title and "测试街道1" in title
    assert headers[:4] == ["志愿者编号", "姓名", "手机号（已脱敏）", "报到社区"]
    people = [r for r in body if r and isinstance(r[0], int)]
    assert len(people) == 3  # 甲: volunteer, volunteer2; 乙: volunteer_b
    assert all(r[2] is None or "****" in r[2] for r in people)
    totals = next(r for r in body if r and r[0] == "合计")
    tasks = headers.index("服务次数")
    assert totals[tasks] == 3 == sum(r[tasks] for r in people)
    assert totals[headers.index("服务时长（小时）")] == 4.0
    assert db.session.execute(db.select(AuditEntry).filter_by(
        action="reports.ledger_export")).scalar_one().scope == f"street:{world.streets[0].id}"


def test_a_future_end_is_cut_at_today(client, world, login):
    resp = client.get(f"{API}/reports/figures", headers=login("admin"),
                      query_string={"to": "9999-12-31", "group_by": "month"})
    assert resp.status_code == 200, resp.get_json()
    today = utcnow().astimezone(LOCAL_TZ).date()
    assert resp.get_json()[-1]["end"] == today.isoformat()


def test_communities_side_by_side_sum_the_range(history):
    rows = compare_communities(load_actor(history.users["street_secretary"].id),
                               {"scope": "street", "id": history.streets[0].id,
                                "from": DAY1.date(), "to": NOW.date()}, now=NOW)
    assert [r["community"] for r in rows] == ["甲社区", "乙社区"]
    a = rows[0]
    assert (a["wishes_posted"], a["wishes_confirmed"], a["volunteer_hours"]) == (4, 3, 4.5)
    assert a["points_awarded"] == 10 and rows[1]["wishes_posted"] == 0
