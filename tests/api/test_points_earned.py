"""Spending points at the love supermarket (积分兑换) does not lower a volunteer's rank (issue 14):
the leaderboard, the reports' points awarded and the ledger count points EARNED in the period;
the balance (GET /points/me) stays the sum of every entry."""
from datetime import timedelta

from server.extensions import db
from server.points.models import PointsEntry
from server.stars.services import ledger_evidence
from server.timeutil import LOCAL_TZ, utcnow
from tests.donation_world import build_donations
from tests.service_system_b_world import make_period

API = "/api/v1"


def _credit(volunteer, points, ref_id):
    db.session.add(PointsEntry(volunteer_id=volunteer.id, community_id=volunteer.community_id,
                               delta=points, reason="wish_confirmed", ref_type="wish",
                               ref_id=ref_id))


def test_spending_points_keeps_the_rank_and_the_awarded_figures(client, world, login):
    w = build_donations(world)
    spender, other = w.volunteers["volunteer"], w.volunteers["volunteer2"]
    _credit(spender, 12, 9001)
    _credit(other, 10, 9002)
    db.session.commit()
    redeemed = client.post(f"{API}/stations/{w.stations['a'].id}/redemptions",
                           headers=login("keeper"),
                           json={"volunteer_id": spender.id,
                                 "lines": [{"item_id": w.item.id, "quantity": 2}]})
    assert redeemed.status_code == 201 and redeemed.get_json()["total_points"] == 10
    me = client.get(f"{API}/points/me", headers=login("volunteer")).get_json()
    assert me["balance"] == 2  # the balance is every entry, the spending too
    a = w.communities[0].id
    board = client.get(f"{API}/points/leaderboard?community_id={a}&period=month",
                       headers=login("secretary")).get_json()
    assert [(row["volunteer_id"], row["points"]) for row in board] == [(spender.id, 12),
                                                                        (other.id, 10)]
    today = utcnow().astimezone(LOCAL_TZ).date()
    query = {"scope": "community", "id": a, "from": today.isoformat()}
    figures = client.get(f"{API}/reports/figures", headers=login("secretary"),
                         query_string=query).get_json()
    assert figures[-1]["points_awarded"] == 22
    ledger = client.get(f"{API}/reports/volunteer-ledger", headers=login("secretary"),
                        query_string={**query, "from": (today - timedelta(days=1)).isoformat()})
    body = ledger.get_json()
    rows = body["items"] if isinstance(body, dict) else body
    points = {row["volunteer_id"]: row["points"] for row in rows}
    assert points[spender.id] == 12 and points[other.id] == 10
    # 争六星's evidence from the ledger counts them too
    assert ledger_evidence(spender.id, make_period())["points"] == 12
