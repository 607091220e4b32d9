"""The demo's snapshot history (issue 13): after `load_demo`, the reports of the demo district
have a year of months to draw, figures that agree with each other, the service days standing out,
and the same rows for the same seed; the console's charts draw more than one point."""
import random
import re
from datetime import timedelta

from server.demo import load_demo
from server.demo.history import HISTORY_DAYS, load_demo_history
from server.donations.models import AidCard
from server.identity.models import Community, District, User
from server.reports.models import CommunityFigures
from server.timeutil import LOCAL_TZ, utcnow
from server.volunteers.models import Volunteer
from tests.console.conftest import ConsoleClient, demo_user_id

SEED = 7


def _login(client, openid):
    token = client.post("/api/v1/auth/wechat-login",
                        json={"code": f"fake:{openid}:h"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def _rows(db):
    return db.session.execute(db.select(CommunityFigures).order_by(
        CommunityFigures.community_id, CommunityFigures.day)).scalars().all()


def _dump(db):
    names = [c.name for c in CommunityFigures.__table__.columns if c.name != "id"]
    return [tuple(getattr(row, n) for n in names) for row in _rows(db)]


def test_the_demo_district_has_a_year_of_figures_by_month(client, db):
    load_demo(seed=SEED)
    db.session.commit()
    today = utcnow().astimezone(LOCAL_TZ).date()
    district = db.session.execute(db.select(District.id)).scalar_one()
    resp = client.get("/api/v1/reports/figures", headers=_login(client, "demo-admin"),
                      query_string={"scope": "district", "id": district, "group_by": "month",
                                    "from": (today - timedelta(days=364)).isoformat()})
    assert resp.status_code == 200, resp.get_json()
    months = resp.get_json()
    busy = [m for m in months if m["wishes_posted"] and m["wishes_confirmed"]
            and m["volunteers_active"] and m["points_awarded"] and m["volunteer_hours"]]
    assert len(months) >= 12 and len(busy) >= 12, months
    for month in months:
        assert month["wishes_confirmed"] <= month["wishes_posted"], month
        assert month["orders_done"] <= month["orders_requested"], month
        assert month["days_without_snapshot"] == 0, month
    # the cards follow the households' recorded tiers (issue 14), in the demo too
    for card in db.session.execute(db.select(AidCard)).scalars():
        assert db.session.get(User, card.household_id).need_tier == card.tier
    _rows_agree_and_the_service_days_stand_out(db)
    _same_rows_for_the_same_seed(db)


def _rows_agree_and_the_service_days_stand_out(db):
    rows = _rows(db)
    communities = db.session.execute(db.select(Community.id)).scalars().all()
    assert len(rows) == HISTORY_DAYS * len(communities)
    people = dict(db.session.execute(db.select(Volunteer.community_id, db.func.count())
                                     .group_by(Volunteer.community_id)).all())
    earliest_live = utcnow().astimezone(LOCAL_TZ).date() - timedelta(days=60)
    for row in rows:
        assert 0 <= row.active_volunteers <= people.get(row.community_id, 0), row.day
        assert row.wishes_open >= 0 and row.volunteer_minutes >= 0
        if row.day < earliest_live:  # the background alone: per day as well
            assert row.wishes_confirmed <= row.wishes_claimed <= row.wishes_posted, row.day
            assert row.orders_done <= row.orders_requested, row.day
    service_days = [r.wishes_posted for r in rows if r.day.weekday() == 5 and r.day.day <= 7
                    and r.day < earliest_live]
    others = [r.wishes_posted for r in rows if not (r.day.weekday() == 5 and r.day.day <= 7)
              and r.day < earliest_live]
    assert sum(service_days) / len(service_days) > 2 * sum(others) / len(others)


def _same_rows_for_the_same_seed(db):
    first = _dump(db)
    communities = db.session.execute(db.select(Community).order_by(Community.id)).scalars().all()
    load_demo_history(random.Random(SEED + 13), communities)  # the same stream load_demo used
    db.session.commit()
    assert _dump(db) == first


def test_the_console_reports_page_draws_lines_not_a_lone_point(app, db):
    load_demo(seed=SEED)
    db.session.commit()
    browser = ConsoleClient(app.test_client())
    page = browser.get("/console/login").get_data(as_text=True)
    resp = browser.post("/console/login/demo", {"user_id": demo_user_id(page, "demo-secretary")})
    assert resp.status_code == 303
    html = browser.get("/console/reports").get_data(as_text=True)
    lines = re.findall(r'<polyline points="([^"]+)"', html)
    assert len(lines) >= 3  # posted, confirmed, volunteers active
    assert all(len(points.split()) > 1 for points in lines)
    months = browser.get("/console/reports?group_by=month&from="
                         + (utcnow().astimezone(LOCAL_TZ).date() - timedelta(days=364))
                         .isoformat()).get_data(as_text=True)
    assert max(len(p.split()) for p in re.findall(r'<polyline points="([^"]+)"', months)) >= 12
