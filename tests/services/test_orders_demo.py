"""The demo's service menu: a realistic menu, bookings in every state, waiting home visits, a
service day — and the order walkthrough with the demo logins (book, accept, complete, rate,
points)."""
from server.demo import load_demo
from server.orders.models import ServiceOffering, ServiceOrder, ServiceSlot
from server.orders.queries import unassigned_home_visits
from server.service_days.models import ServiceDay
from tests.order_world import start_now

API = "/api/v1"


def _login(client, openid):
    token = client.post(f"{API}/auth/wechat-login",
                        json={"code": f"fake:{openid}:orders"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_demo_has_a_menu_bookings_visits_and_a_service_day(client, db):
    load_demo(seed=7)
    db.session.commit()
    titles = set(db.session.execute(db.select(ServiceOffering.title)).scalars())
    assert {"周六义务理发", "免费量血压", "法律咨询", "家电维修上门"} <= titles
    statuses = set(db.session.execute(db.select(ServiceOrder.status).distinct()).scalars())
    assert {"requested", "accepted", "rated", "cancelled"} <= statuses
    overbooked = db.session.execute(db.select(ServiceSlot).where(
        ServiceSlot.booked > ServiceSlot.capacity)).first()
    assert overbooked is None
    communities = [c for c, in db.session.execute(db.select(ServiceOrder.community_id)
                                                  .filter_by(kind="visit")).all()]
    assert len(unassigned_home_visits(set(communities))) == 8
    # the day with stalls (the demo also has today's check-in day: volunteer service system, b)
    day = db.session.execute(db.select(ServiceDay).where(
        ServiceDay.title.endswith("义务奉献日"))).scalar_one()
    assert day.day.weekday() == 5 and {v.kind for v in day.venues} == {"main", "branch"}
    shown = client.get(f"{API}/service-days/{day.id}").get_json()
    assert shown["figures"]["stalls"] == 5 and shown["figures"]["orders"] > 0


def test_demo_walkthrough_book_accept_complete_rate(client, db):
    load_demo(seed=7)
    db.session.commit()
    resident, volunteer = _login(client, "demo-resident"), _login(client, "demo-volunteer")
    mine = client.get(f"{API}/volunteers/me", headers=volunteer).get_json()["id"]
    menu = client.get(f"{API}/services?category=repair&mode=home").get_json()
    service = next(s for s in menu if s["provider_id"] == mine)
    slot = next(s for s in service["slots"] if s["remaining"] > 0)
    before = client.get(f"{API}/points/me", headers=volunteer).get_json()["balance"]
    booked = client.post(f"{API}/orders", headers=resident,
                         json={"service_id": service["id"], "slot_id": slot["id"]})
    assert booked.status_code == 201
    oid = booked.get_json()["id"]
    assert client.post(f"{API}/orders/{oid}/accept", headers=volunteer).status_code == 200
    early = client.post(f"{API}/orders/{oid}/complete", headers=volunteer, json={})
    assert early.status_code == 409  # not before the slot begins (issue 10, finding 5)
    start_now(oid)
    for path, headers, body in ((f"/orders/{oid}/complete", volunteer, {"note": "换了温控器"}),
                                (f"/orders/{oid}/rate", resident, {"rating": 5})):
        assert client.post(API + path, headers=headers, json=body).status_code == 200, path
    after = client.get(f"{API}/points/me", headers=volunteer).get_json()["balance"]
    assert after == before + 7
